-- One indicator for Scotland and every authority over every financial year with any value.
--
-- Parameters:
--   $indicator   varchar   indicator id, e.g. 'cpo_commenced'
--
-- Example: {"indicator": "cpo_per_10000_pop_16_70"}
--
-- Returns one row per area and period with a value: period, sort_key, comparable, period_note,
--   gss_code, area, value, numerator, denominator, method, source_kind

select
    p.period,
    p.sort_key,
    p.comparable,
    p.note as period_note,
    v.gss_code,
    coalesce(a.name, 'Scotland') as area,
    v.value,
    v.numerator,
    v.denominator,
    v.method,
    s.kind as source_kind
from indicator_value as v
inner join period as p on p.period = v.period
inner join source as s on s.source_id = v.source_id
left join authority as a on a.gss_code = v.gss_code
where v.indicator_id = $indicator
  and v.value is not null
  and p.kind = 'financial_year'
order by p.sort_key, area

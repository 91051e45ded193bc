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
    v.period,
    v.sort_key,
    v.comparable,
    v.period_note,
    v.gss_code,
    v.area,
    v.value,
    v.numerator,
    v.denominator,
    v.method,
    v.source_kind
from indicator_series as v
where v.indicator_id = $indicator
  and v.value is not null
  and v.period_kind = 'financial_year'
order by v.sort_key, v.area

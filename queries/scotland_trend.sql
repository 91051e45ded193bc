-- Scotland's value of one indicator over every financial year available.
--
-- Parameters:
--   $indicator   varchar   indicator id, e.g. 'cpo_commenced'
--
-- Example: {"indicator": "cpo_commenced"}
--
-- Returns one row per period: period, comparable, period_note, indicator, unit, value,
--   method, source_kind, source_title, source_url

select
    p.period,
    p.comparable,
    p.note as period_note,
    i.label as indicator,
    i.unit,
    v.value,
    v.method,
    s.kind as source_kind,
    s.title as source_title,
    s.url as source_url
from indicator_value as v
inner join indicator as i on i.indicator_id = v.indicator_id
inner join period as p on p.period = v.period
inner join source as s on s.source_id = v.source_id
where v.indicator_id = $indicator
  and v.gss_code = 'S92000003'
  and p.kind = 'financial_year'
order by p.sort_key

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
    v.period,
    v.comparable,
    v.period_note,
    i.label as indicator,
    i.unit,
    v.value,
    v.method,
    v.source_kind,
    v.source_title,
    v.source_url
from indicator_series as v
inner join indicator as i on i.indicator_id = v.indicator_id
where v.indicator_id = $indicator
  and v.is_scotland
  and v.period_kind = 'financial_year'
order by v.sort_key

-- Scotland's value of one indicator in one period (no row when none is loaded).
--
-- Parameters:
--   $indicator   varchar   indicator id, e.g. 'cpo_successful_completion_rate'
--   $period      varchar   financial year, e.g. '2023-24'
--
-- Example: {"indicator": "cpo_successful_completion_rate", "period": "2023-24"}
--
-- Returns one row: value, numerator, denominator, method, source_kind, source_title, source_url

select
    v.value,
    v.numerator,
    v.denominator,
    v.method,
    v.source_kind,
    v.source_title,
    v.source_url
from indicator_series as v
where v.indicator_id = $indicator
  and v.period = $period
  and v.is_scotland
  and v.value is not null

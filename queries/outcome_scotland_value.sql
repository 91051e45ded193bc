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
    s.kind as source_kind,
    s.title as source_title,
    s.url as source_url
from indicator_value as v
inner join source as s on s.source_id = v.source_id
where v.indicator_id = $indicator
  and v.period = $period
  and v.gss_code = 'S92000003'
  and v.value is not null

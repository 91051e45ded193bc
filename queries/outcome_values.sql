-- One indicator in one period for every authority in scope: the value with its numerator and
-- denominator, how it was obtained and its status. Authorities without a value are still listed
-- (value null), so a page can show "not available" rather than leave them out or draw a zero.
--
-- Parameters:
--   $indicator   varchar     indicator id, e.g. 'cpo_successful_completion_rate'
--   $period      varchar     financial year, e.g. '2023-24'
--   $scope       varchar[]   gss codes of the authorities in scope (the peer group)
--
-- Example: {"indicator": "cpo_successful_completion_rate", "period": "2023-24", "scope": "@all_authorities"}
--
-- Returns one row per authority in scope: gss_code, authority, population_16_70, period, value,
--   numerator, denominator, method, suppressed, source_kind, source_title, source_url, note

select
    a.gss_code,
    a.name as authority,
    a.population_16_70,
    $period as period,
    v.value,
    v.numerator,
    v.denominator,
    v.method,
    v.suppressed,
    v.source_kind,
    v.source_title,
    v.source_url,
    v.note
from authority as a
left join indicator_series as v
    on v.gss_code = a.gss_code
    and v.indicator_id = $indicator
    and v.period = $period
where list_contains($scope, a.gss_code)
order by a.name

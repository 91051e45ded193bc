-- One indicator's value in one period for every authority in scope, with whether the authority
-- reports one barrier theme (with at least the minimum impact). A missing value stays missing
-- (value is null), never zero.
--
-- Parameters:
--   $review       varchar     review edition id, e.g. '2024-25'
--   $scope        varchar[]   gss codes of the authorities in scope (the peer group)
--   $theme        varchar     barrier theme id, e.g. 'information_systems'
--   $min_impact   integer     lowest impact (1 low, 2 moderate, 3 high) that counts as reporting
--   $highlight    varchar[]   gss codes of the highlighted authorities (may be empty)
--   $indicator    varchar     indicator id, e.g. 'cpo_successful_completion_rate'
--   $period       varchar     financial year, e.g. '2023-24'
--
-- Example: {"review": "2024-25", "scope": "@all_authorities", "theme": "information_systems", "min_impact": 1, "highlight": ["S12000047"], "indicator": "cpo_successful_completion_rate", "period": "2023-24"}
--
-- Returns one row per authority: gss_code, authority, theme, reports_theme, impact, highlighted,
--   indicator, unit, period, value, suppressed, method, source_kind, source_title

select
    r.gss_code,
    r.authority,
    r.theme,
    r.reports as reports_theme,
    r.impact,
    list_contains($highlight, r.gss_code) as highlighted,
    i.label as indicator,
    i.unit,
    $period as period,
    v.value,
    coalesce(v.suppressed, false) as suppressed,
    v.method,
    array_to_string(list_sort(list_distinct([r.source_kind, v.source_kind])), ', ') as source_kind,
    v.source_title
from barrier_report($min_impact) as r
inner join indicator as i on i.indicator_id = $indicator
left join indicator_series as v
    on v.indicator_id = i.indicator_id
   and v.gss_code = r.gss_code
   and v.period = $period
where r.review_id = $review
  and r.theme_id = $theme
  and list_contains($scope, r.gss_code)
order by r.authority

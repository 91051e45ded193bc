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
    b.gss_code,
    a.name as authority,
    t.label as theme,
    b.reported and b.impact >= $min_impact as reports_theme,
    b.impact,
    list_contains($highlight, b.gss_code) as highlighted,
    i.label as indicator,
    i.unit,
    $period as period,
    v.value,
    coalesce(v.suppressed, false) as suppressed,
    v.method,
    array_to_string(list_sort(list_distinct([bs.kind, vs.kind])), ', ') as source_kind,
    vs.title as source_title
from authority_barrier as b
inner join barrier_theme as t on t.theme_id = b.theme_id
inner join authority as a on a.gss_code = b.gss_code
inner join source as bs on bs.source_id = b.source_id
inner join indicator as i on i.indicator_id = $indicator
left join indicator_value as v
    on v.indicator_id = i.indicator_id
   and v.gss_code = b.gss_code
   and v.period = $period
left join source as vs on vs.source_id = v.source_id
where b.review_id = $review
  and b.theme_id = $theme
  and list_contains($scope, b.gss_code)
order by a.name

-- How many authorities in scope report each barrier theme, and how severely.
-- An authority counts as reporting a theme when it reported it with at least the minimum impact.
--
-- Parameters:
--   $review       varchar     review edition id, e.g. '2024-25'
--   $scope        varchar[]   gss codes of the authorities in scope (the peer group)
--   $levels       varchar[]   theme levels to include: 'local', 'national' or both
--   $min_impact   integer     lowest impact (1 low, 2 moderate, 3 high) that counts as reporting
--   $highlight    varchar[]   gss codes of the highlighted authorities (may be empty)
--
-- Example: {"review": "2024-25", "scope": "@all_authorities", "levels": ["local", "national"], "min_impact": 1, "highlight": ["S12000047"]}
--
-- Returns one row per theme, most reported first: theme_id, theme, level, review_wording,
--   authorities, reporting, share_pct, low_impact, moderate_impact, high_impact, mean_impact,
--   highlighted_reporting, source_kind

select
    f.theme_id,
    f.theme,
    f.level,
    f.review_wording,
    count(*) as authorities,
    count(*) filter (where f.reports) as reporting,
    round(100.0 * count(*) filter (where f.reports) / count(*), 1) as share_pct,
    count(*) filter (where f.reports and f.impact = 1) as low_impact,
    count(*) filter (where f.reports and f.impact = 2) as moderate_impact,
    count(*) filter (where f.reports and f.impact = 3) as high_impact,
    round(avg(f.impact) filter (where f.reports), 2) as mean_impact,
    coalesce(string_agg(f.authority, ', ' order by f.authority)
             filter (where f.reports and list_contains($highlight, f.gss_code)), '') as highlighted_reporting,
    string_agg(distinct f.source_kind, ', ' order by f.source_kind) as source_kind
from barrier_report($min_impact) as f
where f.review_id = $review
  and list_contains($scope, f.gss_code)
  and list_contains($levels, f.level)
group by f.theme_id, f.theme, f.level, f.review_wording, f.theme_order
order by reporting desc, f.theme_order

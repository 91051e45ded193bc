-- Which barrier themes are reported together: for every pair of themes (a, b), how many
-- authorities in scope report both, and how common b is among authorities that do and do not
-- report a. An authority reports a theme when it reported it with at least the minimum impact.
-- The diagonal (a = b) holds the number of authorities reporting the theme.
--
-- Parameters:
--   $review       varchar     review edition id, e.g. '2024-25'
--   $scope        varchar[]   gss codes of the authorities in scope (the peer group)
--   $levels       varchar[]   theme levels to include: 'local', 'national' or both
--   $min_impact   integer     lowest impact (1 low, 2 moderate, 3 high) that counts as reporting
--
-- Example: {"review": "2024-25", "scope": "@all_authorities", "levels": ["local", "national"], "min_impact": 1}
--
-- Returns one row per ordered pair of themes: theme_a_id, theme_a, theme_a_order, theme_b_id,
--   theme_b, theme_b_order, level_b, authorities, reporting_a, reporting_b, reporting_both,
--   both_share_pct, b_among_a_pct, reporting_b_not_a, b_among_not_a_pct, source_kind

with flagged as (
    select *
    from barrier_report($min_impact) as r
    where r.review_id = $review
      and list_contains($scope, r.gss_code)
      and list_contains($levels, r.level)
)
select
    fa.theme_id as theme_a_id,
    fa.theme as theme_a,
    fa.theme_order as theme_a_order,
    fb.theme_id as theme_b_id,
    fb.theme as theme_b,
    fb.theme_order as theme_b_order,
    fb.level as level_b,
    count(*) as authorities,
    count(*) filter (where fa.reports) as reporting_a,
    count(*) filter (where fb.reports) as reporting_b,
    count(*) filter (where fa.reports and fb.reports) as reporting_both,
    round(100.0 * count(*) filter (where fa.reports and fb.reports) / count(*), 1) as both_share_pct,
    round(100.0 * count(*) filter (where fa.reports and fb.reports)
          / nullif(count(*) filter (where fa.reports), 0), 1) as b_among_a_pct,
    count(*) filter (where not fa.reports and fb.reports) as reporting_b_not_a,
    round(100.0 * count(*) filter (where not fa.reports and fb.reports)
          / nullif(count(*) filter (where not fa.reports), 0), 1) as b_among_not_a_pct,
    string_agg(distinct fa.source_kind, ', ' order by fa.source_kind) as source_kind
from flagged as fa
inner join flagged as fb on fb.gss_code = fa.gss_code
group by fa.theme_id, fa.theme, fa.theme_order, fb.theme_id, fb.theme, fb.theme_order, fb.level
order by fa.theme_order, fb.theme_order

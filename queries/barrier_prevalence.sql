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

with flagged as (
    select
        b.gss_code,
        b.theme_id,
        b.impact,
        b.reported and b.impact >= $min_impact as counts,
        s.kind
    from authority_barrier as b
    inner join source as s on s.source_id = b.source_id
    where b.review_id = $review
      and list_contains($scope, b.gss_code)
)
select
    t.theme_id,
    t.label as theme,
    t.level,
    t.review_wording,
    count(*) as authorities,
    count(*) filter (where f.counts) as reporting,
    round(100.0 * count(*) filter (where f.counts) / count(*), 1) as share_pct,
    count(*) filter (where f.counts and f.impact = 1) as low_impact,
    count(*) filter (where f.counts and f.impact = 2) as moderate_impact,
    count(*) filter (where f.counts and f.impact = 3) as high_impact,
    round(avg(f.impact) filter (where f.counts), 2) as mean_impact,
    coalesce(string_agg(a.name, ', ' order by a.name) filter (where f.counts and list_contains($highlight, f.gss_code)), '')
        as highlighted_reporting,
    string_agg(distinct f.kind, ', ' order by f.kind) as source_kind
from flagged as f
inner join barrier_theme as t on t.theme_id = f.theme_id
inner join authority as a on a.gss_code = f.gss_code
where list_contains($levels, t.level)
group by t.theme_id, t.label, t.level, t.review_wording, t.sort_order
order by reporting desc, t.sort_order

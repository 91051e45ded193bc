-- How many of the authorities in scope report each barrier theme, and with high impact.
--
-- Parameters:
--   $review   varchar     review edition id, e.g. '2024-25'
--   $scope    varchar[]   gss codes of the authorities in scope
--
-- Example: {"review": "2024-25", "scope": "@all_authorities"}
--
-- Returns one row per theme: theme_id, theme, level, authorities_reporting, high_impact,
--   authorities, source_kind

select
    t.theme_id,
    t.label as theme,
    t.level,
    count(*) filter (where b.reported) as authorities_reporting,
    count(*) filter (where b.impact = 3) as high_impact,
    count(*) as authorities,
    string_agg(distinct s.kind, ', ' order by s.kind) as source_kind
from authority_barrier as b
inner join barrier_theme as t on t.theme_id = b.theme_id
inner join source as s on s.source_id = b.source_id
where b.review_id = $review
  and list_contains($scope, b.gss_code)
group by t.theme_id, t.label, t.level, t.sort_order
order by authorities_reporting desc, t.sort_order

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
    r.theme_id,
    r.theme,
    r.level,
    count(*) filter (where r.reported) as authorities_reporting,
    count(*) filter (where r.impact = 3) as high_impact,
    count(*) as authorities,
    string_agg(distinct r.source_kind, ', ' order by r.source_kind) as source_kind
from barrier_rating as r
where r.review_id = $review
  and list_contains($scope, r.gss_code)
group by r.theme_id, r.theme, r.level, r.theme_order
order by authorities_reporting desc, r.theme_order

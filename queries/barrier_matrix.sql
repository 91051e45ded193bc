-- Impact of every barrier theme for every authority in scope: the authority x theme matrix.
--
-- Parameters:
--   $review      varchar     review edition id, e.g. '2024-25'
--   $scope       varchar[]   gss codes of the authorities in scope (the peer group)
--   $levels      varchar[]   theme levels to include: 'local', 'national' or both
--   $highlight   varchar[]   gss codes of the highlighted authorities (may be empty)
--
-- Example: {"review": "2024-25", "scope": "@all_authorities", "levels": ["local", "national"], "highlight": ["S12000047"]}
--
-- Returns one row per authority and theme: gss_code, authority, theme_id, theme, level,
--   theme_order, reported, impact, impact_total, themes_reported, highlighted, note,
--   source_kind, source_title, source_url

select
    r.gss_code,
    r.authority,
    r.theme_id,
    r.theme,
    r.level,
    r.theme_order,
    r.reported,
    r.impact,
    sum(r.impact) over (partition by r.gss_code) as impact_total,
    sum(r.reported::integer) over (partition by r.gss_code) as themes_reported,
    list_contains($highlight, r.gss_code) as highlighted,
    r.note,
    r.source_kind,
    r.source_title,
    r.source_url
from barrier_rating as r
where r.review_id = $review
  and list_contains($scope, r.gss_code)
  and list_contains($levels, r.level)
order by r.authority, r.theme_order

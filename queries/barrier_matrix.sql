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
    b.gss_code,
    a.name as authority,
    t.theme_id,
    t.label as theme,
    t.level,
    t.sort_order as theme_order,
    b.reported,
    b.impact,
    sum(b.impact) over (partition by b.gss_code) as impact_total,
    sum(b.reported::integer) over (partition by b.gss_code) as themes_reported,
    list_contains($highlight, b.gss_code) as highlighted,
    b.note,
    s.kind as source_kind,
    s.title as source_title,
    s.url as source_url
from authority_barrier as b
inner join barrier_theme as t on t.theme_id = b.theme_id
inner join authority as a on a.gss_code = b.gss_code
inner join source as s on s.source_id = b.source_id
where b.review_id = $review
  and list_contains($scope, b.gss_code)
  and list_contains($levels, t.level)
order by a.name, t.sort_order

-- Barrier themes side by side for chosen authorities, with the number of authorities in Scotland
-- reporting each theme.
--
-- Parameters:
--   $review        varchar     review edition id, e.g. '2024-25'
--   $authorities   varchar[]   gss codes of the authorities to compare
--
-- Example: {"review": "2024-25", "authorities": ["S12000045", "S12000047"]}
--
-- Returns one row per theme and authority: theme, level, area, gss_code, reported, impact,
--   scotland_reporting, source_kind

select
    t.label as theme,
    t.level,
    a.name as area,
    b.gss_code,
    b.reported,
    b.impact,
    (select count(*) from authority_barrier as x
     where x.review_id = b.review_id and x.theme_id = b.theme_id and x.reported) as scotland_reporting,
    s.kind as source_kind
from authority_barrier as b
inner join barrier_theme as t on t.theme_id = b.theme_id
inner join authority as a on a.gss_code = b.gss_code
inner join source as s on s.source_id = b.source_id
where b.review_id = $review
  and list_contains($authorities, b.gss_code)
order by t.sort_order, list_position($authorities, b.gss_code)

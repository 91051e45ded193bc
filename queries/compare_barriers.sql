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
    r.theme,
    r.level,
    r.authority as area,
    r.gss_code,
    r.reported,
    r.impact,
    (select count(*) from authority_barrier as x
     where x.review_id = r.review_id and x.theme_id = r.theme_id and x.reported) as scotland_reporting,
    r.source_kind
from barrier_rating as r
where r.review_id = $review
  and list_contains($authorities, r.gss_code)
order by r.theme_order, list_position($authorities, r.gss_code)

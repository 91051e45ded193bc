-- One authority's rating of every barrier theme of the chosen levels, with the review's wording
-- of each theme.
--
-- Parameters:
--   $review      varchar   review edition id, e.g. '2024-25'
--   $gss_code    varchar   the authority's gss code
--   $levels      varchar[] theme levels to include: 'local', 'national' or both
--
-- Example: {"review": "2024-25", "gss_code": "S12000047", "levels": ["local", "national"]}
--
-- Returns one row per theme, highest impact first: gss_code, authority, theme_id, theme, level,
--   review_wording, description, reported, impact, note, source_kind, source_title, source_url

select
    r.gss_code,
    r.authority,
    r.theme_id,
    r.theme,
    r.level,
    r.review_wording,
    r.theme_description as description,
    r.reported,
    r.impact,
    r.note,
    r.source_kind,
    r.source_title,
    r.source_url
from barrier_rating as r
where r.review_id = $review
  and r.gss_code = $gss_code
  and list_contains($levels, r.level)
order by r.impact desc, r.theme_order

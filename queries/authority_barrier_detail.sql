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
    b.gss_code,
    a.name as authority,
    t.theme_id,
    t.label as theme,
    t.level,
    t.review_wording,
    t.description,
    b.reported,
    b.impact,
    b.note,
    s.kind as source_kind,
    s.title as source_title,
    s.url as source_url
from authority_barrier as b
inner join barrier_theme as t on t.theme_id = b.theme_id
inner join authority as a on a.gss_code = b.gss_code
inner join source as s on s.source_id = b.source_id
where b.review_id = $review
  and b.gss_code = $gss_code
  and list_contains($levels, t.level)
order by b.impact desc, t.sort_order

-- The seven barrier themes, each with the review's own wording and where that wording comes from.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per theme: theme_id, theme, level, review_wording, description, source_kind,
--   source_title, source_url

select
    t.theme_id,
    t.label as theme,
    t.level,
    t.review_wording,
    t.description,
    s.kind as source_kind,
    s.title as source_title,
    s.url as source_url
from barrier_theme as t
inner join source as s on s.source_id = t.source_id
order by t.sort_order

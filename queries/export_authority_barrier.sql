-- Bulk download: every authority barrier row with the authority name and its source status.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per review, authority and theme: review_id, gss_code, authority, theme_id,
--   reported, impact, note, source_id, source_kind

select
    r.review_id,
    r.gss_code,
    r.authority,
    r.theme_id,
    r.reported,
    r.impact,
    r.note,
    r.source_id,
    r.source_kind
from barrier_rating as r
order by r.review_id, r.authority, r.theme_id

-- Bulk download: every authority barrier row with the authority name and its source status.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per review, authority and theme: review_id, gss_code, authority, theme_id,
--   reported, impact, note, source_id, source_kind

select
    b.review_id,
    b.gss_code,
    a.name as authority,
    b.theme_id,
    b.reported,
    b.impact,
    b.note,
    b.source_id,
    s.kind as source_kind
from authority_barrier as b
inner join authority as a on a.gss_code = b.gss_code
inner join source as s on s.source_id = b.source_id
order by b.review_id, a.name, b.theme_id

-- Bulk download: every completeness level with the authority, domain and source status.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per review, authority and evidence item: review_id, gss_code, authority,
--   domain_id, item_id, level, source_id, source_kind

select
    c.review_id,
    c.gss_code,
    a.name as authority,
    i.domain_id,
    c.item_id,
    c.level,
    c.source_id,
    s.kind as source_kind
from completeness as c
inner join authority as a on a.gss_code = c.gss_code
inner join evidence_item as i on i.item_id = c.item_id
inner join source as s on s.source_id = c.source_id
order by c.review_id, a.name, i.domain_id, c.item_id

-- Item-level evidence completeness for chosen authorities: for every evidence item, the level
-- each authority reached, with the level in words.
--
-- Parameters:
--   $review        varchar     review edition id, e.g. '2024-25'
--   $authorities   varchar[]   gss codes of the authorities to show, in the order to show them
--
-- Example: {"review": "2024-25", "authorities": ["S12000047", "S12000045"]}
--
-- Returns one row per authority and item: gss_code, authority, authority_order, domain_id,
--   domain, domain_order, item_id, item, item_order, item_description, level, level_label,
--   short_label, source_kind, source_title, source_url

select
    c.gss_code,
    a.name as authority,
    list_position($authorities, c.gss_code) as authority_order,
    d.domain_id,
    d.label as domain,
    d.sort_order as domain_order,
    i.item_id,
    i.label as item,
    i.sort_order as item_order,
    i.description as item_description,
    c.level,
    l.label as level_label,
    l.short_label,
    s.kind as source_kind,
    s.title as source_title,
    s.url as source_url
from completeness as c
inner join authority as a on a.gss_code = c.gss_code
inner join evidence_item as i on i.item_id = c.item_id
inner join evidence_domain as d on d.domain_id = i.domain_id
inner join completeness_level as l on l.level = c.level
inner join source as s on s.source_id = c.source_id
where c.review_id = $review
  and list_contains($authorities, c.gss_code)
order by d.sort_order, i.sort_order, authority_order

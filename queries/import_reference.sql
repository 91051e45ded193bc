-- Everything an imported return may refer to, for checking it and for the data template: the
-- authorities (with their other names and codes), reviews, barrier themes, evidence items,
-- indicators and periods.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per known id or name: kind, id, label, detail, extra, sort_order

select 'authority' as kind, a.gss_code as id, a.name as label, a.council_body_name as detail,
       null as extra, 0 as sort_order
from authority as a
union all
select 'alias', al.gss_code, al.alias, al.note, null, 0
from authority_alias as al
union all
select 'review', r.review_id, r.title, cast(r.published as varchar), null, 0
from review as r
union all
select 'theme', t.theme_id, t.label, t.level, null, t.sort_order
from barrier_theme as t
union all
select 'item', i.item_id, i.label, i.domain_id, d.label, d.sort_order * 1000 + i.sort_order
from evidence_item as i
inner join evidence_domain as d on d.domain_id = i.domain_id
union all
select 'indicator', n.indicator_id, n.label, n.value_type, n.rate_of, n.sort_order
from indicator as n
union all
select 'period', p.period, p.label, p.kind, null, p.sort_key
from period as p
order by kind, sort_order, label

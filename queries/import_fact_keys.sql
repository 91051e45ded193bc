-- Every fact row now in the database, by the key an imported row would replace, with its status:
-- used to preview what an import changes and to keep published figures as published.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per fact: table_name, slice_id, gss_code, item_key, value, source_kind

select 'authority_barrier' as table_name, b.review_id as slice_id, b.gss_code, b.theme_id as item_key,
       cast(b.impact as double) as value, s.kind as source_kind
from authority_barrier as b
inner join source as s on s.source_id = b.source_id
union all
select 'completeness', c.review_id, c.gss_code, c.item_id, cast(c.level as double), s.kind
from completeness as c
inner join source as s on s.source_id = c.source_id
union all
select 'indicator_value', v.indicator_id, v.gss_code, v.period, v.value, s.kind
from indicator_value as v
inner join source as s on s.source_id = v.source_id
where v.method <> 'calculated'

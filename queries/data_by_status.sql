-- What the database holds, by table and source: how many rows, for how many authorities, and
-- how many values disclosure control hides. Shows at a glance which data is illustrative and
-- which came from an uploaded return.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per table and source: table_name, source_kind, source_title, authorities,
--   rows, hidden_values

with facts as (
    select 'Barriers' as table_name, source_id, gss_code, false as suppressed from authority_barrier
    union all
    select 'Evidence completeness', source_id, gss_code, false from completeness
    union all
    select 'Indicator values', source_id, gss_code, suppressed from indicator_value
)
select
    f.table_name,
    s.kind as source_kind,
    s.title as source_title,
    count(distinct f.gss_code) filter (where f.gss_code <> (select gss_code from scotland)) as authorities,
    count(*) as rows,
    count(*) filter (where f.suppressed) as hidden_values
from facts as f
inner join source as s on s.source_id = f.source_id
group by all
order by f.table_name, s.kind, s.title

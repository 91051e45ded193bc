-- Every source with its status, licence and how many fact rows cite it.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per source: source_id, title, publisher, url, licence, kind, retrieved,
--   notes, fact_rows

with citations as (
    select source_id from indicator_value
    union all
    select source_id from completeness
    union all
    select source_id from authority_barrier
)
select
    s.source_id,
    s.title,
    s.publisher,
    s.url,
    s.licence,
    s.kind,
    s.retrieved,
    s.notes,
    count(c.source_id) as fact_rows
from source as s
left join citations as c on c.source_id = s.source_id
group by all
order by s.kind, s.publisher, s.title

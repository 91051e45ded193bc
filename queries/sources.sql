-- Every source with its status, licence and how many fact rows cite it.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per source: source_id, title, publisher, url, licence, kind, retrieved,
--   notes, fact_rows

-- Count citations per source first, then join the long text columns once per source (cheap
-- whatever the number of fact rows).
with citations as (
    select source_id, count(*) as fact_rows
    from (
        select source_id from indicator_value
        union all
        select source_id from completeness
        union all
        select source_id from authority_barrier
    )
    group by source_id
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
    coalesce(c.fact_rows, 0) as fact_rows
from source as s
left join citations as c on c.source_id = s.source_id
order by s.kind, s.publisher, s.title

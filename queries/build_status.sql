-- When the database was built and how many rows of each status it holds.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row: built_at, published_rows, council_reported_rows, illustrative_rows, uploaded_rows

with fact_rows as (
    select source_id from indicator_value
    union all
    select source_id from completeness
    union all
    select source_id from authority_barrier
)
select
    b.built_at,
    count(*) filter (where s.kind = 'published') as published_rows,
    count(*) filter (where s.kind = 'council_reported') as council_reported_rows,
    count(*) filter (where s.kind = 'illustrative') as illustrative_rows,
    count(*) filter (where s.kind = 'uploaded') as uploaded_rows
from build_info as b
cross join fact_rows as f
inner join source as s on s.source_id = f.source_id
group by b.built_at

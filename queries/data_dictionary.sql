-- The data dictionary: every column of every table with its type, whether it may be empty and
-- what it means (from the comments in jsw_explorer/sql/column_comments.sql).
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per column: table_name, column_name, data_type, may_be_empty, description

select
    c.table_name,
    c.column_name,
    c.data_type,
    c.is_nullable as may_be_empty,
    coalesce(c.comment, '') as description
from duckdb_columns() as c
where c.schema_name = 'main'
  -- build metadata, and the shared joins for queries (end of schema.sql): helpers, not data
  and c.table_name not in ('build_info', 'scotland', 'barrier_rating', 'indicator_series')
order by c.table_name, c.column_index

-- Bulk download: every row of the barrier_theme table, as stored.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns every column of barrier_theme: *

select *
from barrier_theme

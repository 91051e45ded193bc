-- Bulk download: every row of the period table, as stored.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns every column of period: *

select *
from period

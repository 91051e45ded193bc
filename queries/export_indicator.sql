-- Bulk download: every row of the indicator table, as stored.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns every column of indicator: *

select *
from indicator

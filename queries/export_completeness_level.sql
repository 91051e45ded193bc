-- Bulk download: every row of the completeness_level table, as stored.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns every column of completeness_level: *

select *
from completeness_level

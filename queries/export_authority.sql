-- Bulk download: every row of the authority table, as stored.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns every column of authority: *

select *
from authority

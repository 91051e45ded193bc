-- Bulk download: every row of the review table, as stored.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns every column of review: *

select *
from review

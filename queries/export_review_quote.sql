-- Bulk download: every row of the review_quote table, as stored.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns every column of review_quote: *

select *
from review_quote

-- Bulk download: every row of the evidence_item table, as stored.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns every column of evidence_item: *

select *
from evidence_item

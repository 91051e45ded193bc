-- Bulk download: every row of the evidence_domain table, as stored.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns every column of evidence_domain: *

select *
from evidence_domain

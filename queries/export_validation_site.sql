-- Bulk download: every row of the validation_site table, as stored.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns every column of validation_site: *

select *
from validation_site

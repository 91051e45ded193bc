-- Bulk download: every row of the evaluation_scale table, as stored.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns every column of evaluation_scale: *

select *
from evaluation_scale

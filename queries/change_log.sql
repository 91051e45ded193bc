-- The change log: every import of a return (loaded or rejected) and the build of the database
-- now in use, newest first.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per event: happened_at, event, file_name, sha256, rows, loaded_by, outcome,
--   message

select
    l.loaded_at as happened_at,
    'Import ' || l.import_id as event,
    l.file_name,
    l.sha256,
    l.rows,
    l.loaded_by,
    l.outcome,
    l.message
from import_log as l
union all
select
    b.built_at,
    'Database built',
    null,
    b.fingerprint,
    null,
    null,
    'built',
    'Built from the source files in data/ (and every loaded import).'
from build_info as b
order by happened_at desc, event desc

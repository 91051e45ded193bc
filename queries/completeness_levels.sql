-- The four completeness levels and what each means.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per level: level, label, short_label, description

select
    l.level,
    l.label,
    l.short_label,
    l.description
from completeness_level as l
order by l.level

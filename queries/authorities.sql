-- The 32 authorities with their peer groups and populations, for filters and labels.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per authority: gss_code, authority, family_group_people, family_group_other,
--   population_16_70, population_all_ages

select
    a.gss_code,
    a.name as authority,
    a.family_group_people,
    a.family_group_other,
    a.population_16_70,
    a.population_all_ages
from authority as a
order by a.name

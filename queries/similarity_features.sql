-- The measures used to find similar authorities: size, sentencing volumes and the two LGBF
-- family group schemes (deprivation for people services, rurality for other services).
--
-- Parameters:
--   $period   varchar   financial year for the volume rates, e.g. '2022-23'
--
-- Example: {"period": "2022-23"}
--
-- Returns one row per authority: gss_code, authority, population_16_70, cpo_rate, dtto_rate,
--   family_group_people, family_group_other, rates_source_kind

select
    a.gss_code,
    a.name as authority,
    a.population_16_70,
    cpo.value as cpo_rate,
    dtto.value as dtto_rate,
    a.family_group_people,
    a.family_group_other,
    concat_ws(', ', distinct_kinds.kinds) as rates_source_kind
from authority as a
left join indicator_value as cpo
    on cpo.gss_code = a.gss_code and cpo.indicator_id = 'cpo_per_10000_pop_16_70' and cpo.period = $period
left join indicator_value as dtto
    on dtto.gss_code = a.gss_code and dtto.indicator_id = 'dtto_per_10000_pop_16_70' and dtto.period = $period
left join (
    select v.gss_code, string_agg(distinct v.source_kind, ', ' order by v.source_kind) as kinds
    from indicator_series as v
    where v.period = $period
      and v.indicator_id in ('cpo_per_10000_pop_16_70', 'dtto_per_10000_pop_16_70')
    group by v.gss_code
) as distinct_kinds on distinct_kinds.gss_code = a.gss_code
order by a.name

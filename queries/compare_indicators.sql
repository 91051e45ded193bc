-- Every indicator with a value in the chosen period, for chosen authorities and Scotland.
--
-- Parameters:
--   $authorities   varchar[]   gss codes of the authorities to compare
--   $period        varchar     financial year, e.g. '2022-23'
--
-- Example: {"authorities": ["S12000045", "S12000047"], "period": "2022-23"}
--
-- Returns one row per indicator and area: indicator_id, indicator, unit, area, gss_code, value,
--   numerator, denominator, method, suppressed, source_kind

with areas as (
    select gss_code, name as area, list_position($authorities, gss_code) as area_order
    from authority
    where list_contains($authorities, gss_code)
    union all
    select sc.gss_code, sc.name, 999
    from scotland as sc
),
indicators_in_period as (
    select distinct v.indicator_id
    from indicator_value as v
    where v.period = $period
      and list_contains($authorities, v.gss_code)
)
select
    i.indicator_id,
    i.label as indicator,
    i.unit,
    ar.area,
    ar.gss_code,
    v.value,
    v.numerator,
    v.denominator,
    v.method,
    coalesce(v.suppressed, false) as suppressed,
    v.source_kind
from indicators_in_period as ip
inner join indicator as i on i.indicator_id = ip.indicator_id
cross join areas as ar
left join indicator_series as v
    on v.indicator_id = i.indicator_id and v.gss_code = ar.gss_code and v.period = $period
order by i.sort_order, ar.area_order

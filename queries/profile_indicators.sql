-- Each indicator's latest value for one authority, with its rank among authorities with a value,
-- its family group's median and the Scotland value for the same period.
--
-- Parameters:
--   $authority   varchar   gss code of the authority
--
-- Example: {"authority": "S12000045"}
--
-- Returns one row per indicator: indicator_id, indicator, category, unit, higher_is_better,
--   period, comparable, value, numerator, denominator, method, rank_highest_first,
--   authorities_with_value, family_group_median, scotland_value, source_kind, source_title

with subject as (
    select gss_code, family_group_people from authority where gss_code = $authority
),
latest as (
    select
        v.indicator_id,
        arg_max(v.period, v.sort_key) as period
    from indicator_series as v
    where v.gss_code = $authority
      and v.value is not null
      and v.period_kind = 'financial_year'
    group by v.indicator_id
),
peers as (
    select
        v.indicator_id,
        v.period,
        v.gss_code,
        v.value,
        a.family_group_people,
        rank() over (partition by v.indicator_id, v.period order by v.value desc) as rank_highest_first,
        count(*) over (partition by v.indicator_id, v.period) as authorities_with_value
    from indicator_value as v
    inner join latest as l on l.indicator_id = v.indicator_id and l.period = v.period
    inner join authority as a on a.gss_code = v.gss_code
    where v.value is not null
)
select
    i.indicator_id,
    i.label as indicator,
    i.category,
    i.unit,
    i.higher_is_better,
    v.period,
    v.comparable,
    v.value,
    v.numerator,
    v.denominator,
    v.method,
    own.rank_highest_first,
    own.authorities_with_value,
    (select median(pe.value) from peers as pe
     where pe.indicator_id = v.indicator_id
       and pe.family_group_people = (select family_group_people from subject)) as family_group_median,
    scotland.value as scotland_value,
    v.source_kind,
    v.source_title
from latest as l
inner join indicator_series as v
    on v.indicator_id = l.indicator_id and v.period = l.period and v.gss_code = $authority
inner join indicator as i on i.indicator_id = v.indicator_id
inner join peers as own on own.indicator_id = v.indicator_id and own.gss_code = v.gss_code
left join indicator_series as scotland
    on scotland.indicator_id = v.indicator_id and scotland.period = v.period and scotland.is_scotland
order by i.sort_order

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

-- The authority's own rows first (its latest financial year per indicator), then only those
-- indicator-years across authorities: never the whole series.
with latest as (
    select
        v.indicator_id,
        arg_max(v.period, p.sort_key) as period
    from indicator_value as v
    inner join period as p on p.period = v.period
    where v.gss_code = $authority
      and v.value is not null
      and p.kind = 'financial_year'
    group by v.indicator_id
),
peers as (
    select
        v.indicator_id,
        v.gss_code,
        v.value,
        a.family_group_people,
        rank() over (partition by v.indicator_id order by v.value desc) as rank_highest_first,
        count(*) over (partition by v.indicator_id) as authorities_with_value
    from indicator_value as v
    inner join latest as l on l.indicator_id = v.indicator_id and l.period = v.period
    inner join authority as a on a.gss_code = v.gss_code
    where v.value is not null
),
own as (
    select pe.*
    from peers as pe
    where pe.gss_code = $authority
),
family as (
    select
        pe.indicator_id,
        median(pe.value) as family_group_median
    from peers as pe
    inner join own as o on o.indicator_id = pe.indicator_id and o.family_group_people = pe.family_group_people
    group by pe.indicator_id
)
select
    i.indicator_id,
    i.label as indicator,
    i.category,
    i.unit,
    i.higher_is_better,
    v.period,
    p.comparable,
    v.value,
    v.numerator,
    v.denominator,
    v.method,
    own.rank_highest_first,
    own.authorities_with_value,
    f.family_group_median,
    scotland.value as scotland_value,
    s.kind as source_kind,
    s.title as source_title
from latest as l
inner join indicator_value as v
    on v.indicator_id = l.indicator_id and v.period = l.period and v.gss_code = $authority
inner join period as p on p.period = v.period
inner join source as s on s.source_id = v.source_id
inner join indicator as i on i.indicator_id = v.indicator_id
inner join own on own.indicator_id = v.indicator_id
left join family as f on f.indicator_id = v.indicator_id
left join indicator_value as scotland
    on scotland.indicator_id = v.indicator_id and scotland.period = v.period
   and scotland.gss_code = (select gss_code from scotland)
order by i.sort_order

-- One authority's published figures (status 'published': read from official publications, or
-- calculated by this tool from them), the latest period of each indicator, with its rank among the
-- authorities with a published value, the Scotland value, its denominator (for the funnel position) and its first period
-- (for the trend). What a profile or briefing leads with, before anything illustrative.
--
-- Parameters:
--   $authority   varchar   gss code of the authority
--
-- Example: {"authority": "S12000047"}
--
-- Returns one row per indicator: indicator_id, indicator, category, unit, value_type, higher_is_better,
--   period, period_label, value, denominator, method, rank_highest_first, authorities_with_value,
--   scotland_value, first_period, first_value, periods, source_kind, source_title, source_url, note

with own as (
    select
        v.indicator_id,
        v.period,
        p.label as period_label,
        p.sort_key,
        v.value,
        v.denominator,
        v.method,
        v.note,
        s.kind,
        s.title,
        s.url
    from indicator_value as v
    inner join source as s on s.source_id = v.source_id
    inner join period as p on p.period = v.period
    where v.gss_code = $authority
      and s.kind = 'published'
      and v.value is not null
),
span as (
    select
        indicator_id,
        max(sort_key) as last_key,
        min(sort_key) as first_key,
        count(*) as periods
    from own
    group by indicator_id
),
others as (  -- ranked only among published values: never against illustrative ones
    select v.indicator_id, v.period, v.value
    from indicator_value as v
    inner join authority as a on a.gss_code = v.gss_code
    inner join source as s on s.source_id = v.source_id
    where v.value is not null
      and s.kind = 'published'
)
select
    i.indicator_id,
    i.label as indicator,
    i.category,
    i.unit,
    i.value_type,
    i.higher_is_better,
    latest.period,
    latest.period_label,
    latest.value,
    latest.denominator,
    latest.method,
    (select count(*) + 1 from others as o
     where o.indicator_id = latest.indicator_id and o.period = latest.period and o.value > latest.value)
        as rank_highest_first,
    (select count(*) from others as o
     where o.indicator_id = latest.indicator_id and o.period = latest.period) as authorities_with_value,
    scotland_value_row.value as scotland_value,
    first.period_label as first_period,
    first.value as first_value,
    span.periods,
    latest.kind as source_kind,
    latest.title as source_title,
    latest.url as source_url,
    latest.note
from span
inner join own as latest on latest.indicator_id = span.indicator_id and latest.sort_key = span.last_key
inner join own as first on first.indicator_id = span.indicator_id and first.sort_key = span.first_key
inner join indicator as i on i.indicator_id = span.indicator_id
left join indicator_value as scotland_value_row
    on scotland_value_row.indicator_id = latest.indicator_id
    and scotland_value_row.period = latest.period
    and scotland_value_row.gss_code = (select gss_code from scotland)
order by i.sort_order

-- Coverage: for every indicator and period with any value, each of the 32 authorities' cell and
-- what it holds: published, council-reported, calculated (by this tool from published figures),
-- uploaded, illustrative (including rates calculated from illustrative counts), hidden (disclosure
-- control) or missing. Scotland rows are left out: the matrix is about per-authority coverage.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per indicator, period and authority: indicator_id, indicator, category, sort_order,
--   period, period_label, period_key, gss_code, authority, status

with slices as (
    select distinct v.indicator_id, v.period
    from indicator_value as v
    inner join authority as a on a.gss_code = v.gss_code
)
select
    i.indicator_id,
    i.label as indicator,
    i.category,
    i.sort_order,
    p.period,
    p.label as period_label,
    p.sort_key as period_key,
    a.gss_code,
    a.name as authority,
    case
        when v.indicator_id is null then 'missing'
        when v.suppressed then 'hidden'
        when s.kind = 'illustrative' then 'illustrative'
        when v.method = 'calculated' then 'calculated'
        when s.kind = 'council_reported' then 'council-reported'
        else s.kind
    end as status
from slices
inner join indicator as i on i.indicator_id = slices.indicator_id
inner join period as p on p.period = slices.period
cross join authority as a
left join indicator_value as v
    on v.indicator_id = slices.indicator_id
    and v.period = slices.period
    and v.gss_code = a.gss_code
left join source as s on s.source_id = v.source_id
order by i.sort_order, p.sort_key, a.name

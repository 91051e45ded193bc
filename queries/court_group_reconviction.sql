-- Reconviction by court-based local-authority group, every cohort, for the groups that contain any
-- of the given authorities: each row is a GROUP's figure (never one authority's own), with the
-- councils the group covers and the Scotland figure of the same cohort. Rates of fewer than 10
-- people were not published ("**"): suppressed, rate null.
--
-- Parameters:
--   $authorities   varchar[]   gss codes; the groups that contain any of them are returned
--
-- Example: {"authorities": ["S12000010", "S12000036"]}
--
-- Returns one row per authority, cohort and group: gss_code, authority, cohort, court_group, covers,
--   offenders, reconviction_rate, reconvictions_per_offender, suppressed, scotland_rate, source_kind,
--   source_title, source_url, note

with covers as (
    select
        m.period,
        m.court_group,
        string_agg(a.name, ', ' order by a.name) as covers
    from court_group_member as m
    inner join authority as a on a.gss_code = m.gss_code
    group by m.period, m.court_group
)
select
    m.gss_code,
    a.name as authority,
    g.period as cohort,
    g.court_group,
    c.covers,
    g.offenders,
    g.reconviction_rate,
    g.reconvictions_per_offender,
    g.suppressed,
    scotland.reconviction_rate as scotland_rate,
    s.kind as source_kind,
    s.title as source_title,
    s.url as source_url,
    g.note
from court_group_member as m
inner join authority as a on a.gss_code = m.gss_code
inner join court_group_value as g on g.period = m.period and g.court_group = m.court_group
inner join covers as c on c.period = g.period and c.court_group = g.court_group
inner join source as s on s.source_id = g.source_id
left join court_group_value as scotland on scotland.period = g.period and scotland.court_group = 'Scotland'
where list_contains($authorities, m.gss_code)
order by a.name, g.period desc, g.court_group

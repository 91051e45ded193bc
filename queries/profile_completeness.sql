-- Completeness score (0-100) per evidence domain for one authority, against the Scotland median
-- and the median of its LGBF people-services family group, with its rank among the 32.
--
-- Parameters:
--   $review      varchar   review edition id, e.g. '2024-25'
--   $authority   varchar   gss code of the authority
--
-- Example: {"review": "2024-25", "authority": "S12000045"}
--
-- Returns one row per domain: domain_id, domain, score, scotland_median, family_group_median,
--   rank, authorities, family_group, source_kind

with scores as (
    select cs.gss_code, cs.domain_id, cs.score, cs.source_kind
    from completeness_score as cs
    where cs.review_id = $review
),
ranked as (
    select
        sc.*,
        a.family_group_people,
        rank() over (partition by sc.domain_id order by sc.score desc) as rank,
        count(*) over (partition by sc.domain_id) as authorities
    from scores as sc
    inner join authority as a on a.gss_code = sc.gss_code
),
subject as (
    select * from ranked where gss_code = $authority
)
select
    d.domain_id,
    d.label as domain,
    round(subject.score, 1) as score,
    round((select median(r.score) from ranked as r where r.domain_id = subject.domain_id), 1) as scotland_median,
    round((select median(r.score) from ranked as r
           where r.domain_id = subject.domain_id
             and r.family_group_people = subject.family_group_people), 1) as family_group_median,
    subject.rank,
    subject.authorities,
    subject.family_group_people as family_group,
    subject.source_kind
from subject
inner join evidence_domain as d on d.domain_id = subject.domain_id
order by d.sort_order

-- Completeness score (0-100) per domain for chosen authorities, plus the Scotland median.
--
-- Parameters:
--   $review        varchar     review edition id, e.g. '2024-25'
--   $authorities   varchar[]   gss codes of the authorities to compare
--
-- Example: {"review": "2024-25", "authorities": ["S12000045", "S12000047"]}
--
-- Returns one row per area and domain: area, gss_code, domain_id, domain, score, source_kind

with scores as (
    select cs.gss_code, cs.domain_id, cs.score, cs.source_kind
    from completeness_score as cs
    where cs.review_id = $review
),
chosen as (
    select a.name as area, sc.gss_code, sc.domain_id, sc.score, sc.source_kind, 0 as area_order
    from scores as sc
    inner join authority as a on a.gss_code = sc.gss_code
    where list_contains($authorities, sc.gss_code)
    union all
    select 'Scotland median', (select gss_code from scotland), sc.domain_id, median(sc.score), max(sc.source_kind), 1
    from scores as sc
    group by sc.domain_id
)
select
    ch.area,
    ch.gss_code,
    d.domain_id,
    d.label as domain,
    round(ch.score, 1) as score,
    ch.source_kind
from chosen as ch
inner join evidence_domain as d on d.domain_id = ch.domain_id
order by ch.area_order, list_position($authorities, ch.gss_code), d.sort_order

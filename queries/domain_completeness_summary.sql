-- Completeness score (0-100) per evidence domain, summarised across the authorities in scope.
--
-- Parameters:
--   $review   varchar     review edition id, e.g. '2024-25'
--   $scope    varchar[]   gss codes of the authorities in scope (the peer group)
--
-- Example: {"review": "2024-25", "scope": "@all_authorities"}
--
-- Returns one row per domain: domain_id, domain, median_score, lowest_score, highest_score,
--   authorities, source_kind

with scores as (
    select cs.gss_code, cs.domain_id, cs.score, cs.source_kind
    from completeness_score as cs
    where cs.review_id = $review
      and list_contains($scope, cs.gss_code)
)
select
    d.domain_id,
    d.label as domain,
    round(median(sc.score), 1) as median_score,
    round(min(sc.score), 1) as lowest_score,
    round(max(sc.score), 1) as highest_score,
    count(*) as authorities,
    string_agg(distinct sc.source_kind, ', ' order by sc.source_kind) as source_kind
from scores as sc
inner join evidence_domain as d on d.domain_id = sc.domain_id
group by d.domain_id, d.label, d.sort_order
order by d.sort_order

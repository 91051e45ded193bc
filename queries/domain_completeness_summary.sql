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
    select
        c.gss_code,
        i.domain_id,
        100 * avg(c.level) / 3 as score,
        max(s.kind) as source_kind
    from completeness as c
    inner join evidence_item as i on i.item_id = c.item_id
    inner join source as s on s.source_id = c.source_id
    where c.review_id = $review
      and list_contains($scope, c.gss_code)
    group by all
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

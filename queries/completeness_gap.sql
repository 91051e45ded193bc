-- The gap between performance and outcomes evidence per authority in scope: performance score
-- minus outcomes score (0-100 scale, in points). A larger gap means outcomes evidence is further
-- behind performance evidence.
--
-- Parameters:
--   $review      varchar     review edition id, e.g. '2024-25'
--   $scope       varchar[]   gss codes of the authorities in scope (the peer group)
--   $highlight   varchar[]   gss codes of the highlighted authorities (may be empty)
--
-- Example: {"review": "2024-25", "scope": "@all_authorities", "highlight": ["S12000047"]}
--
-- Returns one row per authority, largest gap first: gss_code, authority, performance_score,
--   quality_score, outcomes_score, gap_points, highlighted, source_kind

with scores as (
    select
        c.gss_code,
        round(100 * avg(c.level) filter (where i.domain_id = 'performance') / 3, 1) as performance_score,
        round(100 * avg(c.level) filter (where i.domain_id = 'quality') / 3, 1) as quality_score,
        round(100 * avg(c.level) filter (where i.domain_id = 'outcomes') / 3, 1) as outcomes_score,
        string_agg(distinct s.kind, ', ' order by s.kind) as source_kind
    from completeness as c
    inner join evidence_item as i on i.item_id = c.item_id
    inner join source as s on s.source_id = c.source_id
    where c.review_id = $review
      and list_contains($scope, c.gss_code)
    group by c.gss_code
)
select
    sc.gss_code,
    a.name as authority,
    sc.performance_score,
    sc.quality_score,
    sc.outcomes_score,
    round(sc.performance_score - sc.outcomes_score, 1) as gap_points,
    list_contains($highlight, sc.gss_code) as highlighted,
    sc.source_kind
from scores as sc
inner join authority as a on a.gss_code = sc.gss_code
order by gap_points desc nulls last, a.name

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
        cs.gss_code,
        round(any_value(cs.score) filter (where cs.domain_id = 'performance'), 1) as performance_score,
        round(any_value(cs.score) filter (where cs.domain_id = 'quality'), 1) as quality_score,
        round(any_value(cs.score) filter (where cs.domain_id = 'outcomes'), 1) as outcomes_score,
        -- every status among the three domains' items, each once (a domain's source_kind may list two)
        array_to_string(list_sort(list_distinct(flatten(list(string_split(cs.source_kind, ', '))))), ', ')
            as source_kind
    from completeness_score as cs
    where cs.review_id = $review
      and list_contains($scope, cs.gss_code)
    group by cs.gss_code
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

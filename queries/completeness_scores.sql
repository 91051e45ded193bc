-- Completeness score (0-100) per authority in scope for each evidence domain and overall, with
-- the median of all 32 authorities and the median of the authorities in scope as references.
-- Score = 100 x average level / 3, rounded to one decimal; overall averages all items.
--
-- Parameters:
--   $review      varchar     review edition id, e.g. '2024-25'
--   $scope       varchar[]   gss codes of the authorities in scope (the peer group)
--   $highlight   varchar[]   gss codes of the highlighted authorities (may be empty)
--
-- Example: {"review": "2024-25", "scope": "@all_authorities", "highlight": ["S12000047"]}
--
-- Returns one row per authority and domain (performance, quality, outcomes, overall), highest
--   score first within a domain: gss_code, authority, domain_id, domain, domain_order, score,
--   items, scotland_median, scope_median, highlighted, source_kind

with item_levels as (
    select
        c.gss_code,
        i.domain_id,
        c.level,
        s.kind
    from completeness as c
    inner join evidence_item as i on i.item_id = c.item_id
    inner join source as s on s.source_id = c.source_id
    where c.review_id = $review
),
scores as (
    select
        l.gss_code,
        l.domain_id,
        round(100 * avg(l.level) / 3, 1) as score,
        count(*) as items,
        string_agg(distinct l.kind, ', ' order by l.kind) as source_kind
    from item_levels as l
    group by l.gss_code, l.domain_id
    union all
    select
        l.gss_code,
        'overall' as domain_id,
        round(100 * avg(l.level) / 3, 1) as score,
        count(*) as items,
        string_agg(distinct l.kind, ', ' order by l.kind) as source_kind
    from item_levels as l
    group by l.gss_code
),
with_medians as (
    select
        sc.*,
        median(sc.score) over (partition by sc.domain_id) as scotland_median,
        median(sc.score) filter (where list_contains($scope, sc.gss_code)) over (partition by sc.domain_id)
            as scope_median
    from scores as sc
)
select
    w.gss_code,
    a.name as authority,
    w.domain_id,
    coalesce(d.label, 'Overall') as domain,
    coalesce(d.sort_order, 99) as domain_order,
    w.score,
    w.items,
    round(w.scotland_median, 1) as scotland_median,
    round(w.scope_median, 1) as scope_median,
    list_contains($highlight, w.gss_code) as highlighted,
    w.source_kind
from with_medians as w
inner join authority as a on a.gss_code = w.gss_code
left join evidence_domain as d on d.domain_id = w.domain_id
where list_contains($scope, w.gss_code)
order by domain_order, w.score desc, a.name

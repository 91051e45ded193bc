-- Barrier themes for one authority: whether it reported each and with what impact, with how many
-- authorities in Scotland reported the same theme.
--
-- Parameters:
--   $review      varchar   review edition id, e.g. '2024-25'
--   $authority   varchar   gss code of the authority
--
-- Example: {"review": "2024-25", "authority": "S12000045"}
--
-- Returns one row per theme: theme_id, theme, level, reported, impact, review_wording,
--   authorities_reporting, authorities_total, source_kind, source_title

with everyone as (
    select
        b.theme_id,
        count(*) filter (where b.reported) as authorities_reporting,
        count(*) as authorities_total
    from authority_barrier as b
    where b.review_id = $review
    group by b.theme_id
)
select
    t.theme_id,
    t.label as theme,
    t.level,
    b.reported,
    b.impact,
    t.review_wording,
    e.authorities_reporting,
    e.authorities_total,
    s.kind as source_kind,
    s.title as source_title
from authority_barrier as b
inner join barrier_theme as t on t.theme_id = b.theme_id
inner join everyone as e on e.theme_id = b.theme_id
inner join source as s on s.source_id = b.source_id
where b.review_id = $review
  and b.gss_code = $authority
order by b.impact desc, t.sort_order

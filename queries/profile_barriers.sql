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
    r.theme_id,
    r.theme,
    r.level,
    r.reported,
    r.impact,
    r.review_wording,
    e.authorities_reporting,
    e.authorities_total,
    r.source_kind,
    r.source_title
from barrier_rating as r
inner join everyone as e on e.theme_id = r.theme_id
where r.review_id = $review
  and r.gss_code = $authority
order by r.impact desc, r.theme_order

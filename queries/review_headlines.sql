-- Headline facts about one review edition: services, validation sites and barrier themes.
--
-- Parameters:
--   $review   varchar   review edition id, e.g. '2024-25'
--
-- Example: {"review": "2024-25"}
--
-- Returns one row: review_id, title, publisher, published, fieldwork_from, fieldwork_to,
--   services_self_evaluated, services_validated_on_site, themes_total, themes_local,
--   themes_national, source_title, source_url

select
    r.review_id,
    r.title,
    r.publisher,
    r.published,
    r.fieldwork_from,
    r.fieldwork_to,
    r.services_self_evaluated,
    r.services_validated_on_site,
    (select count(*) from barrier_theme) as themes_total,
    (select count(*) from barrier_theme where level = 'local') as themes_local,
    (select count(*) from barrier_theme where level = 'national') as themes_national,
    s.title as source_title,
    s.url as source_url
from review as r
inner join source as s on s.source_id = r.source_id
where r.review_id = $review

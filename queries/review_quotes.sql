-- The review's own words, by section, with the page each quote comes from.
--
-- Parameters:
--   $section   varchar   'aim' | 'method' | 'finding' | 'barrier'
--
-- Example: {"section": "finding"}
--
-- Returns one row per quote: quote_id, text, source_title, source_url, publisher

select
    q.quote_id,
    q.text,
    s.title as source_title,
    s.url as source_url,
    s.publisher
from review_quote as q
inner join source as s on s.source_id = q.source_id
where q.section = $section
order by q.sort_order

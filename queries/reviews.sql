-- Review editions available, newest first, for the review filter.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per review: review_id, title, published

select
    r.review_id,
    r.title,
    r.published
from review as r
order by r.published desc

-- The 32 council areas for the maps: tile-grid place, short label, and the boundary simplified at
-- build time (GeoJSON, null if no boundary file was loaded), joined on the code the boundary file
-- uses (authority.geo_code: four areas changed code in 2018-2019), with the boundary's attribution.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per authority: gss_code, authority, short_name, tile_row, tile_col, geo_code,
--   name_in_geo_file, geojson, boundary_source_title, boundary_source_url, boundary_licence

select
    a.gss_code,
    a.name as authority,
    t.short_name,
    t.tile_row,
    t.tile_col,
    a.geo_code,
    g.name_in_geo_file,
    g.geojson,
    s.title as boundary_source_title,
    s.url as boundary_source_url,
    s.licence as boundary_licence
from authority as a
inner join area_tile as t on t.gss_code = a.gss_code
left join area_geometry as g on g.geo_code = a.geo_code
left join source as s on s.source_id = g.source_id
order by a.name

"""Map geometry: the TopoJSON is decoded and simplified correctly, and every authority gets a shape and a tile."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import shape
from shapely.geometry.polygon import LinearRing

from helpers import APP_ROOT
from jsw_explorer import geo, map_topology
from jsw_explorer.build import BuildError, build
from jsw_explorer.data_access import load_sql, open_read_only

BOUNDARY_PATH = APP_ROOT / "data" / geo.BOUNDARY_FILE
CHANGED_CODES = {  # current code: (code in the 2013 boundary file, name)
    "S12000047": ("S12000015", "Fife"),
    "S12000048": ("S12000024", "Perth and Kinross"),
    "S12000049": ("S12000046", "Glasgow City"),
    "S12000050": ("S12000044", "North Lanarkshire"),
}
EILEAN_SIAR = "S12000013"


def two_squares() -> dict:
    """Two unit squares side by side sharing one border (arc 1), quantised with a transform.

    Arc 0: the left square's outer edge, (1,1) -> (0,1) -> (0,0) -> (1,0) with a wiggle point;
    arc 1: the shared border (1,0) -> (1,1); arc 2: the right square's outer edge (1,1) -> (2,1) ->
    (2,0) -> (1,0). Positions are delta-encoded integers: real = cumsum × 0.5 + (10, 50).
    """
    def delta(points):
        return [points[0]] + [[b[0] - a[0], b[1] - a[1]] for a, b in zip(points, points[1:])]
    left = [[2, 2], [1, 2], [0, 2], [0, 0], [2, 0]]          # x2 scale: (1,1) (0.5,1) (0,1) (0,0) (1,0)
    shared = [[2, 0], [2, 1], [2, 2]]                         # a midpoint that simplification may drop
    right = [[2, 2], [4, 2], [4, 0], [2, 0]]
    return {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [10, 50]},
        "arcs": [delta(left), delta(shared), delta(right)],
        "objects": {"areas": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]], "properties": {"LAD13CD": "A", "LAD13NM": "Left"}},
            {"type": "Polygon", "arcs": [[2, ~1]], "properties": {"LAD13CD": "B", "LAD13NM": "Right"}},
        ]}},
    }


def test_arcs_are_decoded_from_quantised_deltas():
    arcs = geo.decode_arcs(two_squares())
    assert arcs[0].tolist() == [[11.0, 51.0], [10.5, 51.0], [10.0, 51.0], [10.0, 50.0], [11.0, 50.0]]
    assert arcs[1].tolist() == [[11.0, 50.0], [11.0, 50.5], [11.0, 51.0]]


def test_each_area_is_rebuilt_from_its_arcs_with_a_reversed_arc_walked_backwards():
    frame = geo.area_geometries(two_squares(), tolerance=0, min_part_area=0)
    left, right = (shape(json.loads(g)) for g in frame["geojson"])
    assert list(frame["geo_code"]) == ["A", "B"] and list(frame["name_in_geo_file"]) == ["Left", "Right"]
    assert left.area == pytest.approx(1.0) and right.area == pytest.approx(1.0)
    assert left.bounds == (10.0, 50.0, 11.0, 51.0) and right.bounds == (11.0, 50.0, 12.0, 51.0)


def test_simplification_keeps_shared_borders_identical_so_neighbours_never_gap_or_overlap():
    frame = geo.area_geometries(two_squares(), tolerance=0.2, min_part_area=0)
    left, right = (shape(json.loads(g)) for g in frame["geojson"])
    assert len(left.exterior.coords) == 5, "the collinear wiggle point and border midpoint were simplified away"
    assert left.intersection(right).area == 0
    assert left.union(right).area == pytest.approx(2.0)
    assert left.intersection(right).length == pytest.approx(1.0), "they still share the whole border"


def test_exterior_rings_are_clockwise_for_d3_geo():
    for text in geo.area_geometries(two_squares())["geojson"]:
        ring = json.loads(text)["coordinates"][0]
        assert not LinearRing(ring).is_ccw


def test_a_file_that_is_not_a_topology_is_refused_with_a_reason():
    with pytest.raises(geo.GeometryError, match="not a TopoJSON topology"):
        geo.area_geometries({"type": "FeatureCollection", "features": []})
    broken = two_squares()
    broken["objects"]["areas"]["geometries"][0]["arcs"] = [[0, 9]]
    with pytest.raises(geo.GeometryError, match="'A' refers to arcs"):
        geo.area_geometries(broken)


def test_the_real_boundaries_shrink_a_lot_but_keep_each_areas_shape():
    simplified = geo.area_geometries(geo.read_topology(BOUNDARY_PATH))
    full = geo.area_geometries(geo.read_topology(BOUNDARY_PATH), tolerance=0, decimals=6, min_part_area=0)
    simplified_bytes = simplified["geojson"].str.len().sum()
    assert simplified_bytes < 0.25 * BOUNDARY_PATH.stat().st_size
    assert simplified_bytes < 0.10 * full["geojson"].str.len().sum()
    for code, small, big in zip(simplified["geo_code"], simplified["geojson"], full["geojson"]):
        before, after = shape(json.loads(big)), shape(json.loads(small))
        assert after.area == pytest.approx(before.area, rel=0.03), code
        assert after.centroid.distance(before.centroid) < 0.02, code


def map_areas(database) -> list[dict]:
    with open_read_only(database) as connection:
        cursor = connection.execute(load_sql("map_areas"))
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


def test_all_32_areas_have_a_boundary_after_the_join_including_changed_codes_and_eilean_siar(database):
    areas = {row["gss_code"]: row for row in map_areas(database)}
    assert len(areas) == 32 and all(row["geojson"] for row in areas.values())
    for code, (code_2013, name) in CHANGED_CODES.items():
        assert areas[code]["authority"] == name and areas[code]["geo_code"] == code_2013
        assert areas[code]["name_in_geo_file"] == name
    assert areas[EILEAN_SIAR]["authority"] == "Na h-Eileanan Siar"
    assert areas[EILEAN_SIAR]["name_in_geo_file"] == "Eilean Siar"


@pytest.mark.parametrize("code, longitude, latitude", [
    ("S12000047", -3.1, 56.2),   # Fife
    ("S12000048", -3.8, 56.6),   # Perth and Kinross
    ("S12000049", -4.25, 55.86),  # Glasgow City
    ("S12000050", -3.95, 55.87),  # North Lanarkshire
    ("S12000013", -6.9, 57.8),   # Na h-Eileanan Siar
])
def test_each_changed_code_is_joined_to_the_right_place(database, code, longitude, latitude):
    row = next(r for r in map_areas(database) if r["gss_code"] == code)
    area = shape(json.loads(row["geojson"]))
    assert area.centroid.distance(shape({"type": "Point", "coordinates": [longitude, latitude]})) < 0.4


def test_the_boundary_attribution_is_carried_with_the_map_data(database):
    row = map_areas(database)[0]
    assert "CC BY 4.0" in row["boundary_licence"] and "Crown copyright" in row["boundary_licence"]
    assert row["boundary_source_url"] == "https://github.com/martinjc/UK-GeoJSON"


# Land borders between council areas (islands have none): the tile grid should keep most of them.
LAND_BORDERS = """Aberdeen City|Aberdeenshire; Aberdeenshire|Moray; Aberdeenshire|Highland; Aberdeenshire|Perth and Kinross
Aberdeenshire|Angus; Angus|Perth and Kinross; Angus|Dundee City; Argyll and Bute|Highland; Argyll and Bute|Perth and Kinross
Argyll and Bute|Stirling; Argyll and Bute|West Dunbartonshire; Clackmannanshire|Stirling; Clackmannanshire|Perth and Kinross
Clackmannanshire|Fife; Dumfries and Galloway|South Ayrshire; Dumfries and Galloway|East Ayrshire
Dumfries and Galloway|South Lanarkshire; Dumfries and Galloway|Scottish Borders; Dundee City|Perth and Kinross
East Ayrshire|North Ayrshire; East Ayrshire|South Ayrshire; East Ayrshire|East Renfrewshire; East Ayrshire|South Lanarkshire
East Dunbartonshire|Glasgow City; East Dunbartonshire|North Lanarkshire; East Dunbartonshire|Stirling
East Dunbartonshire|West Dunbartonshire; East Lothian|City of Edinburgh; East Lothian|Midlothian; East Lothian|Scottish Borders
East Renfrewshire|Glasgow City; East Renfrewshire|Renfrewshire; East Renfrewshire|North Ayrshire
East Renfrewshire|South Lanarkshire; City of Edinburgh|West Lothian; City of Edinburgh|Midlothian; Falkirk|Stirling
Falkirk|North Lanarkshire; Falkirk|West Lothian; Fife|Perth and Kinross; Glasgow City|West Dunbartonshire
Glasgow City|Renfrewshire; Glasgow City|South Lanarkshire; Glasgow City|North Lanarkshire; Highland|Moray
Highland|Perth and Kinross; Inverclyde|Renfrewshire; Inverclyde|North Ayrshire; Midlothian|Scottish Borders
North Ayrshire|Renfrewshire; North Lanarkshire|Stirling; North Lanarkshire|West Lothian; North Lanarkshire|South Lanarkshire
Perth and Kinross|Stirling; Scottish Borders|South Lanarkshire; South Lanarkshire|West Lothian; Stirling|West Dunbartonshire"""


def tile_grid() -> dict[str, tuple[int, int]]:
    names = {row["gss_code"]: row["name"] for row in csv.DictReader(open(APP_ROOT / "data" / "local_authorities.csv"))}
    return {names[row["gss_code"]]: (int(row["row"]), int(row["col"]))
            for row in csv.DictReader(open(APP_ROOT / "data" / "tile_grid.csv"))}


def test_the_tile_grid_places_each_authority_once_and_keeps_most_neighbours_touching():
    grid = tile_grid()
    assert len(grid) == 32 and len(set(grid.values())) == 32
    borders = [pair.strip().split("|") for line in LAND_BORDERS.splitlines() for pair in line.split(";")]
    touching = [a for a, b in borders if max(abs(grid[a][0] - grid[b][0]), abs(grid[a][1] - grid[b][1])) <= 1]
    assert len(borders) == 57
    assert len(touching) >= 0.8 * len(borders)
    north_to_south = ["Shetland Islands", "Orkney Islands", "Highland", "Perth and Kinross", "Glasgow City",
                      "Dumfries and Galloway"]
    assert [grid[name][0] for name in north_to_south] == sorted(grid[name][0] for name in north_to_south)
    assert grid["Na h-Eileanan Siar"][1] < grid["Highland"][1] < grid["Aberdeen City"][1]


def test_a_database_built_without_the_boundary_file_still_has_the_tile_grid(data_copy, tmp_path, database):
    # data_copy leaves data/geo out: the choropleth is then absent, but the build and the tiles are fine
    built = build(data_copy, tmp_path / "jsw.duckdb")
    areas = map_areas(built)
    assert len(areas) == 32 and all(row["geojson"] is None for row in areas)
    assert all(row["tile_row"] is not None for row in areas)


def test_a_broken_boundary_file_fails_the_build_naming_the_file(data_copy, tmp_path):
    (data_copy / "geo").mkdir()
    (data_copy / geo.BOUNDARY_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(BuildError, match="geo/scotland_lad13_topo.json: cannot be read as JSON"):
        build(data_copy, tmp_path / "jsw.duckdb")


def test_a_tile_grid_with_two_authorities_on_one_tile_fails_the_build(data_copy, tmp_path):
    path = data_copy / "tile_grid.csv"
    lines = path.read_text().splitlines()
    first_place = ",".join(lines[1].split(",")[1:3])
    lines[2] = ",".join([lines[2].split(",")[0], first_place, "Dup"])
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(BuildError, match="area_tile"):
        build(data_copy, tmp_path / "jsw.duckdb")


def test_a_missing_tile_fails_the_build_by_its_integrity_rule(data_copy, tmp_path):
    path = data_copy / "tile_grid.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n")
    with pytest.raises(BuildError, match="every authority has a place on the tile-grid map"):
        build(data_copy, tmp_path / "jsw.duckdb")


def test_boundary_files_are_part_of_the_build_fingerprint(tmp_path):
    from jsw_explorer.build import fingerprint
    import shutil

    data = tmp_path / "data"
    shutil.copytree(APP_ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*"))
    before = fingerprint(data)
    topology = data / geo.BOUNDARY_FILE
    topology.write_text(topology.read_text() + " ")
    assert fingerprint(data) != before


def test_the_browser_topology_holds_every_ring_exactly_in_about_half_the_bytes():
    simplified = geo.area_geometries(geo.read_topology(BOUNDARY_PATH))
    features = [{"type": "Feature", "geometry": json.loads(text), "properties": {"gss_code": code}}
                for code, text in zip(simplified["geo_code"], simplified["geojson"])]
    topology = map_topology.as_topology(features)
    arcs = geo.decode_arcs(topology)
    geometries = topology["objects"]["areas"]["geometries"]
    assert [g["properties"]["gss_code"] for g in geometries] == list(simplified["geo_code"])
    for feature, geometry in zip(features, geometries):
        assert geometry["type"] == feature["geometry"]["type"]
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        for polygon, source in zip(polygons, map_topology.polygons_of(feature["geometry"]), strict=True):
            for ring_arcs, ring in zip(polygon, source, strict=True):
                assert geo.ring_points(ring_arcs, arcs) == pytest.approx(np.asarray(ring), abs=1e-9)
    as_geojson = len(json.dumps(features, separators=(",", ":")))
    assert len(json.dumps(topology, separators=(",", ":"))) < 0.6 * as_geojson

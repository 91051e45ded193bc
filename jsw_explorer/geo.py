"""Map geometry prepared when the database is built: council-area boundaries, simplified once.

The boundary file is a TopoJSON topology (data/geo/scotland_lad13_topo.json, Martin Chorley's
UK-GeoJSON, CC BY 4.0): every border between two council areas is stored once, as an "arc",
and each area lists the arcs around it. Simplifying the ARCS (not each area on its own) keeps
neighbouring areas sharing exactly the same simplified border: no gaps, no slivers.

Steps, all pure functions (the build calls `boundary_rows`):
  1. decode the quantised, delta-encoded arcs into longitude/latitude points;
  2. simplify each arc with Douglas-Peucker (shapely), which keeps its two end points, so arcs
     still meet where they met;
  3. round coordinates to COORDINATE_DECIMALS places (shared points round identically);
  4. rebuild each area's rings, drop rings that collapsed and island parts smaller than
     MIN_PART_AREA (the largest part of an area is always kept), orient rings the way d3-geo
     (Vega-Lite's renderer) expects, and write one GeoJSON geometry per area.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, mapping
from shapely.geometry.polygon import orient

from jsw_explorer.map_topology import COORDINATE_DECIMALS

BOUNDARY_FILE = Path("geo") / "scotland_lad13_topo.json"  # relative to data/
BOUNDARY_SOURCE_ID = "uk-geojson"
CODE_PROPERTY = "LAD13CD"
NAME_PROPERTY = "LAD13NM"

# 0.004 degrees is about 450 m north-south and 250 m east-west at Scotland's latitude. The maps
# draw Scotland (about 9 degrees of latitude) some 600 pixels tall, so one pixel is ~0.015
# degrees: a tolerance under a third of a pixel changes nothing a reader can see.
SIMPLIFY_TOLERANCE_DEGREES = 0.004
# COORDINATE_DECIMALS (three places, ~110 m) is finer than the tolerance, so rounding adds no visible
# error; the map's topology (jsw_explorer.map_topology) encodes positions at that precision.
# Island parts under ~2 km² (in square degrees at 57°N) are below a pixel at map size; the main
# islands (Lewis and Harris, Mainland Orkney and Shetland, Skye, Mull, Arran...) are far larger.
MIN_PART_AREA = 0.0003


class GeometryError(ValueError):
    """The boundary file is not a topology this module can read; the message says why."""


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Each arc as an (n, 2) array of longitude/latitude, undoing quantisation and delta coding.

    TopoJSON: with a transform, positions are integers and each point after the first is stored
    as the difference from the one before; position = cumulative sum * scale + translate.
    """
    arcs = topology.get("arcs")
    if not isinstance(arcs, list) or not arcs:
        raise GeometryError("the topology has no arcs")
    transform = topology.get("transform")
    decoded = []
    for index, arc in enumerate(arcs):
        points = np.asarray(arc, dtype=float)
        if points.ndim != 2 or points.shape[0] < 2 or points.shape[1] < 2:
            raise GeometryError(f"arc {index} is not a list of at least two [x, y] positions")
        points = points[:, :2]
        if transform:
            points = np.cumsum(points, axis=0) * np.asarray(transform["scale"]) + np.asarray(transform["translate"])
        decoded.append(points)
    return decoded


def simplify_arcs(arcs: list[np.ndarray], tolerance: float, decimals: int) -> list[np.ndarray]:
    """Douglas-Peucker on every arc (end points kept), then rounding; shared arcs stay shared."""
    simplified = []
    for points in arcs:
        if tolerance > 0 and len(points) > 2:
            points = np.asarray(LineString(points).simplify(tolerance, preserve_topology=False).coords)
        simplified.append(np.round(points, decimals))
    return simplified


def ring_points(ring_arcs: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """Join a ring's arcs end to end; a negative index ~i means arc i walked backwards."""
    pieces = []
    for position, index in enumerate(ring_arcs):
        arc = arcs[~index][::-1] if index < 0 else arcs[index]
        pieces.append(arc if position == 0 else arc[1:])  # consecutive arcs share their joining point
    return np.concatenate(pieces)


def polygons_from_rings(rings: list[list[int]], arcs: list[np.ndarray]) -> list[Polygon]:
    """The polygon(s) a list of rings (exterior, then holes) makes after simplification.

    An exterior that collapsed gives nothing. A ring that came to touch or cross itself is
    repaired (shapely's make_valid, "structure" method), which can split it into parts.
    """
    shells = []
    for ring in rings:
        points = ring_points(ring, arcs)
        shells.append(points if len(np.unique(points, axis=0)) >= 3 else None)
    if shells[0] is None:
        return []
    polygon = Polygon(shells[0], [hole for hole in shells[1:] if hole is not None])
    if polygon.is_valid:
        return [polygon]
    repaired = shapely.make_valid(polygon, method="structure")
    return [part for part in getattr(repaired, "geoms", [repaired]) if isinstance(part, Polygon)]


def without_small_holes(polygon: Polygon, min_area: float) -> Polygon:
    """Drop holes below min_area: the source has no real holes, so these are pinches left by repair."""
    holes = [ring for ring in polygon.interiors if Polygon(ring).area >= min_area]
    return Polygon(polygon.exterior, holes)


def area_geometry(geometry: dict, arcs: list[np.ndarray], min_part_area: float,
                  decimals: int = COORDINATE_DECIMALS) -> dict:
    """One area's GeoJSON geometry, with exterior rings clockwise as d3-geo requires.

    d3-geo works on the sphere and reads a counter-clockwise exterior as "everything except this
    area", which would paint the whole map; so every exterior ring is oriented clockwise.
    """
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["arcs"]]
    elif kind == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        raise GeometryError(f"area {geometry.get('properties', {}).get(CODE_PROPERTY)!r} is a {kind}, not a polygon")
    parts = [p for rings in polygons for p in polygons_from_rings(rings, arcs) if not p.is_empty]
    if not parts:
        raise GeometryError(f"area {geometry.get('properties', {}).get(CODE_PROPERTY)!r} vanished when simplified")
    largest = max(parts, key=lambda p: p.area)
    kept = [p for p in parts if p is largest or p.area >= min_part_area]
    clockwise = [orient(without_small_holes(p, min_part_area), sign=-1.0) for p in kept]
    shape = mapping(MultiPolygon(clockwise)) if len(clockwise) > 1 else mapping(clockwise[0])
    return round_coordinates(shape, decimals)


def round_coordinates(shape: dict, decimals: int = COORDINATE_DECIMALS) -> dict:
    """Plain lists of rounded floats (mapping() gives tuples), ready for compact JSON."""
    def convert(value):
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], (int, float)):
                return [round(float(v), decimals) for v in value]
            return [convert(v) for v in value]
        return value
    return {"type": shape["type"], "coordinates": convert(shape["coordinates"])}


def area_geometries(topology: dict, tolerance: float = SIMPLIFY_TOLERANCE_DEGREES,
                    decimals: int = COORDINATE_DECIMALS, min_part_area: float = MIN_PART_AREA) -> pd.DataFrame:
    """One row per area in the topology's first object: geo_code, name_in_geo_file, geojson."""
    if topology.get("type") != "Topology" or not isinstance(topology.get("objects"), dict) or not topology["objects"]:
        raise GeometryError("the file is not a TopoJSON topology with objects")
    collection = next(iter(topology["objects"].values()))
    arcs = simplify_arcs(decode_arcs(topology), tolerance, decimals)
    rows = []
    for geometry in collection.get("geometries", []):
        properties = geometry.get("properties") or {}
        if CODE_PROPERTY not in properties:
            raise GeometryError(f"an area has no {CODE_PROPERTY} property")
        try:
            shape = area_geometry(geometry, arcs, min_part_area, decimals)
        except (IndexError, KeyError, TypeError) as error:
            raise GeometryError(f"area {properties[CODE_PROPERTY]!r} refers to arcs the file does not have") from error
        rows.append({"geo_code": properties[CODE_PROPERTY], "name_in_geo_file": properties.get(NAME_PROPERTY),
                     "geojson": json.dumps(shape, separators=(",", ":"))})
    return pd.DataFrame(rows, columns=["geo_code", "name_in_geo_file", "geojson"])


def read_topology(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise GeometryError(f"cannot be read as JSON ({error})") from error


def boundary_rows(data_dir: Path) -> pd.DataFrame | None:
    """The simplified boundaries for the area_geometry table, or None when the file is absent."""
    path = data_dir / BOUNDARY_FILE
    if not path.exists():
        return None
    return area_geometries(read_topology(path)).assign(source_id=BOUNDARY_SOURCE_ID)

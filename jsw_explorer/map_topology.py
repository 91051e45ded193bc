"""The map's council-area boundaries as the browser gets them: one compact TopoJSON topology.

Kept apart from jsw_explorer.geo (which simplifies the boundaries when the database is built, with
shapely) so that drawing a map needs numpy only.
"""

from __future__ import annotations

import numpy as np

COORDINATE_DECIMALS = 3  # jsw_explorer.geo rounds the boundaries to this when the database is built


def as_topology(features: list[dict], decimals: int = COORDINATE_DECIMALS, name: str = "areas") -> dict:
    """GeoJSON features (polygons) as one TopoJSON topology for the browser: about half the bytes.

    Positions become integers on a grid of the coordinates' own precision (lossless, as they were
    rounded to `decimals` places) and each point after a ring's first is stored as the step from the
    one before, which is a short number. Each ring is one arc: borders are not shared (the areas were
    repaired one by one when simplified), which keeps the encoding simple and exact. Vega-Lite reads
    it with format {"type": "topojson", "feature": name}; each feature keeps its properties.
    """
    rings = [ring for feature in features for polygon in polygons_of(feature["geometry"]) for ring in polygon]
    if not rings:
        return {"type": "Topology", "objects": {name: {"type": "GeometryCollection", "geometries": []}}, "arcs": []}
    step = 10.0 ** -decimals
    origin = np.min([np.min(np.asarray(ring, dtype=float), axis=0) for ring in rings], axis=0)
    arcs: list[list[list[int]]] = []

    def arc(ring) -> list[int]:
        grid = np.rint((np.asarray(ring, dtype=float) - origin) / step).astype(np.int64)
        arcs.append(np.vstack([grid[:1], np.diff(grid, axis=0)]).tolist())
        return [len(arcs) - 1]

    geometries = []
    for feature in features:
        polygons = [[arc(ring) for ring in polygon] for polygon in polygons_of(feature["geometry"])]
        geometry = ({"type": "Polygon", "arcs": polygons[0]} if feature["geometry"]["type"] == "Polygon"
                    else {"type": "MultiPolygon", "arcs": polygons})
        geometries.append({**geometry, "properties": feature.get("properties") or {}})
    return {"type": "Topology", "transform": {"scale": [step, step], "translate": [float(origin[0]), float(origin[1])]},
            "objects": {name: {"type": "GeometryCollection", "geometries": geometries}}, "arcs": arcs}


def polygons_of(geometry: dict) -> list:
    """A Polygon's or MultiPolygon's polygons, each a list of rings."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise ValueError(f"a {geometry['type']} is not an area")

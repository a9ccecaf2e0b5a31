"""Country outlines (Natural Earth 1:50m, as the world-atlas TopoJSON the web app ships) and
the test a place's point must pass: inside its country's outline, or within a few km of it.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry

ATLAS = (
    Path(__file__).resolve().parent.parent
    / "web"
    / "static"
    / "vendor"
    / "world-atlas"
    / "countries-50m.json"
)
# The 1:50m outlines simplify coasts and borders by a few km; a point this close still counts.
TOLERANCE_KM = 15.0
# Outlines the atlas gives without an ISO number.
_UNNUMBERED = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}

Ring = list[tuple[float, float]]  # (lon, lat)


@dataclass
class Outline:
    rings: list[Ring] = field(default_factory=list)
    bbox: tuple[float, float, float, float] = (180.0, 90.0, -180.0, -90.0)

    def add(self, ring: Ring) -> None:
        self.rings.append(ring)
        lons = [p[0] for p in ring]
        lats = [p[1] for p in ring]
        w, s, e, n = self.bbox
        self.bbox = (min(w, *lons), min(s, *lats), max(e, *lons), max(n, *lats))

    def contains(self, lat: float, lon: float) -> bool:
        # Rings are unwrapped across the antimeridian (Chukotka runs on past 180°).
        return any(self._contains(lat, lon + shift) for shift in (0.0, 360.0, -360.0))

    def _contains(self, lat: float, lon: float) -> bool:
        w, s, e, n = self.bbox
        if not (w <= lon <= e and s <= lat <= n):
            return False
        inside = False
        for ring in self.rings:
            j = len(ring) - 1
            for i in range(len(ring)):
                xi, yi = ring[i]
                xj, yj = ring[j]
                crosses = (yi > lat) != (yj > lat)
                if crosses and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                    inside = not inside
                j = i
        return inside

    def distance_km(self, lat: float, lon: float) -> float:
        """The distance from the point to the nearest edge of the outline (equirectangular)."""
        k = math.cos(math.radians(lat))
        best = math.inf
        for ring in self.rings:
            for (x1, y1), (x2, y2) in itertools.pairwise(ring):
                ax, ay = (x1 - lon) * k, y1 - lat
                bx, by = (x2 - lon) * k, y2 - lat
                dx, dy = bx - ax, by - ay
                length = dx * dx + dy * dy
                t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
                px, py = ax + t * dx, ay + t * dy
                best = min(best, px * px + py * py)
        return math.sqrt(best) * 111.2


def _arcs(topo: dict[str, Any]) -> list[Ring]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(arcs: list[Ring], indexes: list[int]) -> Ring:
    ring: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    unwrapped: Ring = []
    for x, y in ring:
        if unwrapped:
            last = unwrapped[-1][0]
            while x - last > 180:
                x -= 360
            while x - last < -180:
                x += 360
        unwrapped.append((x, y))
    return unwrapped


def _code(geometry: dict[str, Any]) -> str | None:
    number = geometry.get("id")
    if number is None:
        return _UNNUMBERED.get(geometry.get("properties", {}).get("name", ""))
    record = pycountry.countries.get(numeric=str(number).zfill(3))
    return record.alpha_2 if record is not None else None


def load_outlines(path: Path = ATLAS) -> dict[str, Outline]:
    """ISO alpha-2 code -> its outline."""
    topo = json.loads(path.read_text(encoding="utf-8"))
    arcs = _arcs(topo)
    outlines: dict[str, Outline] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        code = _code(geometry)
        if code is None:
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
        outline = outlines.setdefault(code, Outline())
        for polygon in polygons:
            for ring in polygon:
                outline.add(_ring(arcs, ring))
    return outlines


def fits(outlines: dict[str, Outline], country: str, lat: float, lon: float) -> bool | None:
    """Whether the point lies inside the country's outline or within TOLERANCE_KM of it; None
    when the atlas has no outline for the country (a microstate, a small island)."""
    outline = outlines.get(country)
    if outline is None:
        return None
    if outline.contains(lat, lon):
        return True
    w, s, e, n = outline.bbox
    margin = TOLERANCE_KM / 111.2
    k = max(0.1, math.cos(math.radians(lat)))
    if not (w - margin / k <= lon <= e + margin / k and s - margin <= lat <= n + margin):
        return False
    return outline.distance_km(lat, lon) <= TOLERANCE_KM


def country_at(outlines: dict[str, Outline], lat: float, lon: float) -> str | None:
    """The country whose outline holds the point, if one does."""
    for code in sorted(outlines):
        if outlines[code].contains(lat, lon):
            return code
    return None


# Areas the atlas draws in another state than the registry does, as (the two states, south,
# west, north, east): Crimea (Ukraine in the registry, Russia in Natural Earth), Western
# Sahara, and Ceuta and Melilla (too small for the 1:50m outlines, drawn as Morocco).
DISPUTED = (
    (frozenset({"UA", "RU"}), 44.3, 32.4, 46.3, 36.7),
    (frozenset({"EH", "MA"}), 20.7, -17.2, 27.8, -8.6),
    (frozenset({"ES", "MA"}), 35.2, -5.4, 35.95, -2.9),
)


def disputed(a: str, b: str, lat: float, lon: float) -> bool:
    return any(
        pair == frozenset({a, b}) and s <= lat <= n and w <= lon <= e
        for pair, s, w, n, e in DISPUTED
    )


# A point in no outline (the sea, or an island the 1:50m outlines omit) counts when it lies
# this close to its country's outline.
OFFSHORE_KM = 150.0


@dataclass
class PointCheck:
    """What the outline test did to one place: kept ("offshore", "disputed"), or fixed
    ("country" from the sources, "point" from another source, "dropped")."""

    place: Any
    action: str
    before: tuple[str, float, float]
    found_in: str | None


def check_place(
    outlines: dict[str, Outline], place: Any, nodes: list[Any], same_state: Any
) -> PointCheck | None:
    """Rule `outline`: a place's point must lie in (or within TOLERANCE_KM of) its country's
    outline. Otherwise, when the point lies in a country a source states and the place's
    country came from a gazetteer, that stated country wins; else another source's point
    inside the country is taken; else the point is dropped. None when the point fits."""
    if place.lat is None or place.lon is None or not place.country:
        return None
    verdict = fits(outlines, place.country, place.lat, place.lon)
    if verdict is None or verdict:
        return None
    before = (place.country, place.lat, place.lon)
    here = country_at(outlines, place.lat, place.lon)
    offshore = here is None
    if offshore and outlines[place.country].distance_km(place.lat, place.lon) <= OFFSHORE_KM:
        return PointCheck(place, "offshore", before, None)
    assert place.country is not None
    known = here is not None and (
        disputed(place.country, here, place.lat, place.lon) or same_state(place.country, here)
    )
    if known:
        return PointCheck(place, "disputed", before, here)
    stated = {code for node in nodes for code in node.mention.countries}
    if here is not None and here in stated and place.country not in stated:
        place.country, place.admin_area, place.admin_code = here, "", ""
        return PointCheck(place, "country", before, here)
    for node in nodes:
        for lat, lon in _points(node):
            if fits(outlines, place.country, lat, lon):
                place.lat, place.lon = lat, lon
                return PointCheck(place, "point", before, here)
    if offshore:
        # Far out at sea and no other point: a remote island as likely as a wrong point.
        return PointCheck(place, "far offshore", before, None)
    place.lat = place.lon = None
    return PointCheck(place, "dropped", before, here)


def _points(node: Any) -> list[tuple[float, float]]:
    out = []
    if node.lat is not None and node.lon is not None:
        out.append((node.lat, node.lon))
    for ref in (node.csc, node.geo):
        if ref is not None and ref.lat is not None and ref.lon is not None:
            out.append((ref.lat, ref.lon))
    return out

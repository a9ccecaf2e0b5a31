"""Great-circle distance and a grid index for "what lies within r km of here"."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

EARTH_RADIUS_KM = 6371.0088
_CELL_DEG = 0.25


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return (math.floor(lat / _CELL_DEG), math.floor(lon / _CELL_DEG))


class GridIndex(Generic[T]):
    """Items on a 0.25° grid; `near` scans just the cells a radius can reach."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[tuple[float, float, T]]] = {}

    def add(self, lat: float, lon: float, item: T) -> None:
        self._cells.setdefault(_cell(lat, lon), []).append((lat, lon, item))

    def near(self, lat: float, lon: float, radius_km: float) -> Iterator[tuple[float, T]]:
        """(distance, item) for every item within `radius_km`, in insertion order per cell."""
        dlat = radius_km / 111.0
        coslat = max(math.cos(math.radians(lat)), 0.01)
        dlon = min(radius_km / (111.0 * coslat), 180.0)
        lat_lo, lon_lo = _cell(lat - dlat, lon - dlon)
        lat_hi, lon_hi = _cell(lat + dlat, lon + dlon)
        for ci in range(lat_lo, lat_hi + 1):
            for cj in range(lon_lo, lon_hi + 1):
                for ilat, ilon, item in self._cells.get((ci, cj), ()):
                    dist = distance_km(lat, lon, ilat, ilon)
                    if dist <= radius_km:
                        yield dist, item

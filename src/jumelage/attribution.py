"""The data attribution line shown by the web app, the API and `jumelage about`."""

from __future__ import annotations

from pathlib import Path

_FILE = Path(__file__).parent / "data" / "attribution.txt"

ATTRIBUTION = (
    _FILE.read_text(encoding="utf-8").strip()
    if _FILE.exists()
    else "Data: Wikidata (CC0); English Wikipedia contributors (CC BY-SA 4.0); "
    "countries-states-cities database and OpenStreetMap contributors (ODbL 1.0); "
    "GeoNames (CC BY 4.0)."
)

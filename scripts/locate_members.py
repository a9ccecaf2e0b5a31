"""Places of the bundled networks' member towns, looked up in the dataset build's gazetteer.

    python scripts/locate_members.py        # needs: pip install 'jumelage[dataset]'

Writes `src/jumelage/data/reference/member_places.csv`: for each member town of a
bundled member list (name and country), the one GeoNames place of that name in that
country — its point, population and GeoNames id — with the region of the nearest
countries-states-cities town of the same country (and that town's QID when it bears
the member's name). A town for which GeoNames knows no place, or several, of that name
in that country gets no point: the row says how many it found. Loading the reference
data creates the members the registry lacks from this file, so the gazetteer packages
are needed only here, as for the dataset build. Nothing is fetched from the internet.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from jumelage.dataset.gazetteer import Gazetteer, GeoPlace, default_paths, load_gazetteer
from jumelage.dataset.naming import variants
from jumelage.dataset.places import ADMIN_RADIUS_KM
from jumelage.domain.names import fold

REFERENCE = Path(__file__).resolve().parent.parent / "src" / "jumelage" / "data" / "reference"
OUT = REFERENCE / "member_places.csv"
COLUMNS = (
    "town",
    "country",
    "match",
    "geonames_id",
    "lat",
    "lon",
    "population",
    "admin_area",
    "admin_code",
    "qid",
)
_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")


def members() -> list[tuple[str, str]]:
    """(town, country) of every bundled member list, in file order, once each."""
    records = json.loads((REFERENCE / "networks.json").read_text(encoding="utf-8"))["networks"]
    seen: dict[tuple[str, str], None] = {}
    for record in records:
        if not record.get("members"):
            continue
        with (REFERENCE / record["members"]).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                town = (row.get("town") or row.get("city") or "").strip()
                seen[(town, (row.get("country_iso2") or "").strip().upper())] = None
    return list(seen)


def geonames_matches(gaz: Gazetteer, town: str, country: str) -> list[GeoPlace]:
    """The GeoNames places of that country holding the town's name exactly (folded), else
    one of its spellings, else those of its name without a bracketed qualifier
    ("Werben (Elbe)" → "Werben"): the first of these that finds any."""
    for keys in ({fold(town)}, variants(town), variants(_QUALIFIER.sub("", town))):
        found = {
            gid: gaz.geo[gid]
            for key in keys
            for gid in gaz.geo_by_name.get(key, ())
            if gaz.geo[gid].country == country
        }
        if found:
            return sorted(found.values(), key=lambda p: p.id)
    return []


def locate(gaz: Gazetteer, town: str, country: str) -> dict[str, object]:
    row: dict[str, object] = {"town": town, "country": country}
    found = geonames_matches(gaz, town, country)
    if len(found) != 1:
        return {**row, "match": f"{len(found)} GeoNames places" if found else "not in GeoNames"}
    place = found[0]
    row.update(
        match="GeoNames, unique",
        geonames_id=place.id,
        lat=round(place.lat, 5),
        lon=round(place.lon, 5),
        population=place.population or "",
    )
    near = sorted(
        (dist, city.id, city)
        for dist, city in gaz.csc_grid.near(place.lat, place.lon, ADMIN_RADIUS_KM)
        if city.country == country
    )
    if near:
        city = near[0][2]
        if city.state_name:
            row.update(admin_area=city.state_name, admin_code=f"{country}-{city.state_code}")
        if city.qid and variants(city.name) & variants(town):
            row["qid"] = city.qid
    return row


def main() -> None:
    gaz = load_gazetteer(*default_paths())
    rows = [locate(gaz, town, country) for town, country in members()]
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    located = sum(1 for r in rows if r.get("geonames_id"))
    print(f"{OUT.name}: {len(rows)} towns, {located} located")


if __name__ == "__main__":
    main()

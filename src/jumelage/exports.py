"""Open-data exports of the registry: CSV (the import format), JSON and GeoJSON.

Writers take plain dicts from `jumelage.store.queries` and a text stream, so
they are the same for the CLI and the API.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

import orjson

from jumelage.attribution import ATTRIBUTION
from jumelage.importers import names
from jumelage.importers.csv_links import COLUMNS

FORMATS = ("csv", "json", "geojson")

# A spreadsheet program reads a cell that starts with one of these as a formula
# (OWASP, "CSV Injection"); such a text cell gets a leading apostrophe, which the
# programs show as text. Numbers (a negative longitude) stay numbers.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet evaluates: text starting like a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_row(link: dict[str, Any]) -> dict[str, Any]:
    return {
        "a_id": link["a_id"],
        "a_qid": link["a_qid"] or "",
        "a_name": link["a_name"],
        "a_country": link["a_country"] or "",
        "a_lat": "" if link["a_lat"] is None else link["a_lat"],
        "a_lon": "" if link["a_lon"] is None else link["a_lon"],
        "b_id": link["b_id"],
        "b_qid": link["b_qid"] or "",
        "b_name": link["b_name"],
        "b_country": link["b_country"] or "",
        "b_lat": "" if link["b_lat"] is None else link["b_lat"],
        "b_lon": "" if link["b_lon"] is None else link["b_lon"],
        "level": link["level"],
        "start_date": link["start_date"] or "",
        "end_date": link["end_date"] or "",
        "source": "jumelage",
        "as_of": "",
        "reference": f"jumelage link {link['id']}; sources: {link['sources']}",
    }


def write_csv(links: Iterable[dict[str, Any]], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for link in links:
        writer.writerow({k: safe_cell(v) for k, v in _csv_row(link).items()})
        count += 1
    return count


def write_names(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """The names pages show by language, in the columns `jumelage place names` reads
    (a place by its QID, else by its id in the registry that wrote the file)."""
    writer = csv.DictWriter(out, fieldnames=names.COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(
            {
                "place": row["qid"] or row["id"],
                "country": row["country"] or "",
                "lang": row["lang"],
                "name": safe_cell(row["name"]),
            }
        )
        count += 1
    return count


def _link_json(link: dict[str, Any]) -> dict[str, Any]:
    side = ("id", "qid", "name", "country", "lat", "lon")
    return {
        "id": link["id"],
        "a": {k: link[f"a_{k}"] for k in side},
        "b": {k: link[f"b_{k}"] for k in side},
        "level": link["level"],
        "status": link["status"],
        "start_date": link["start_date"],
        "end_date": link["end_date"],
        "sources": link["sources"].split(";") if link["sources"] else [],
    }


def write_json(links: Iterable[dict[str, Any]], out: TextIO) -> int:
    out.write('{"attribution": ' + orjson.dumps(ATTRIBUTION).decode() + ', "links": [\n')
    count = 0
    for link in links:
        out.write((",\n" if count else "") + orjson.dumps(_link_json(link)).decode())
        count += 1
    out.write("\n]}\n")
    return count


def write_geojson(
    places: Iterable[dict[str, Any]], links: Iterable[dict[str, Any]], out: TextIO
) -> int:
    """A FeatureCollection of places (points) and links (lines between partners).

    Places and links without coordinates are left out; GIS software needs
    geometry. Coordinates are [longitude, latitude] as RFC 7946 requires.
    """
    out.write('{"type": "FeatureCollection", "features": [\n')
    count = 0

    def emit(feature: dict[str, Any]) -> None:
        nonlocal count
        out.write((",\n" if count else "") + orjson.dumps(feature).decode())
        count += 1

    for p in places:
        if p["lat"] is None or p["lon"] is None:
            continue
        properties = {k: p[k] for k in ("id", "qid", "name", "kind", "country", "population")}
        emit(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                "properties": {"feature": "municipality", **properties},
            }
        )
    for link in links:
        if None in (link["a_lat"], link["a_lon"], link["b_lat"], link["b_lon"]):
            continue
        data = _link_json(link)
        emit(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[link["a_lon"], link["a_lat"]], [link["b_lon"], link["b_lat"]]],
                },
                "properties": {
                    "feature": "link",
                    "id": data["id"],
                    "a_id": data["a"]["id"],
                    "a_name": data["a"]["name"],
                    "b_id": data["b"]["id"],
                    "b_name": data["b"]["name"],
                    "level": data["level"],
                    "status": data["status"],
                    "start_date": data["start_date"],
                    "end_date": data["end_date"],
                    "sources": link["sources"],
                },
            }
        )
    out.write("\n]}\n")
    return count

"""Wikidata Query Service results (SPARQL 1.1 JSON) for P190 with its qualifiers.

The query that produces this file is in docs/wikidata.md (a test checks that it
selects the variables of tests/wikidata/p190-example.json): ?item and ?twin, and
optionally their labels, ?start/?end with ?startPrecision/?endPrecision (the P580
and P582 qualifiers), ?itemCountryCode/?twinCountryCode and ?itemCoord/?twinCoord.

Rows are numbered from 1 in the order of `results.bindings`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from jumelage.errors import Invalid
from jumelage.importers import Record, Rejected
from jumelage.importers.wikidata_time import wikidata_time
from jumelage.services.registry import PlaceFacts, SourceRef

_ENTITY = re.compile(r"^https?://www\.wikidata\.org/entity/(Q[0-9]+)$")
_POINT = re.compile(r"^Point\(\s*(-?[0-9.eE+-]+)\s+(-?[0-9.eE+-]+)\s*\)$")


def _value(binding: dict[str, Any], name: str) -> str | None:
    cell = binding.get(name)
    if not isinstance(cell, dict):
        return None
    value = cell.get("value")
    return value if isinstance(value, str) and value.strip() else None


def _qid(binding: dict[str, Any], name: str) -> str:
    value = _value(binding, name)
    match = _ENTITY.match(value or "")
    if not match:
        raise Invalid(f"?{name} is not a Wikidata entity URI: {value!r}", field=name)
    return match[1]


def _coord(binding: dict[str, Any], name: str) -> tuple[float | None, float | None]:
    value = _value(binding, name)
    match = _POINT.match(value or "")
    if not match:
        return None, None
    lon, lat = float(match[1]), float(match[2])
    return lat, lon


def _place(binding: dict[str, Any], var: str) -> PlaceFacts:
    qid = _qid(binding, var)
    label = _value(binding, f"{var}Label")
    # The label service falls back to the QID itself when no label exists.
    name = label if label and label != qid else qid
    lang = (binding.get(f"{var}Label") or {}).get("xml:lang")
    country = _value(binding, f"{var}CountryCode")
    lat, lon = _coord(binding, f"{var}Coord")
    return PlaceFacts(
        name=name,
        qid=qid,
        country=country.upper() if country else None,
        lat=lat,
        lon=lon,
        names={lang: [name]} if lang and name != qid else {},
    )


def _date(binding: dict[str, Any], var: str) -> str | None:
    value = _value(binding, var)
    if value is None:
        return None
    precision = _value(binding, f"{var}Precision")
    return wikidata_time(value, int(precision) if precision and precision.isdigit() else 11)


def parse(path: Path, as_of: str | None = None) -> Iterator[Record | Rejected]:
    try:
        document = orjson.loads(path.read_bytes())
        bindings = document["results"]["bindings"]
        variables = document["head"]["vars"]
    except (orjson.JSONDecodeError, KeyError, TypeError) as err:
        raise Invalid(
            f"{path.name} is not a SPARQL JSON result ({err.__class__.__name__}: {err})",
            field="file",
            rule="format",
        ) from None
    if "item" not in variables or "twin" not in variables:
        raise Invalid(
            f"{path.name}: the query must select ?item and ?twin (it has {variables})",
            field="head.vars",
            rule="columns",
        )
    for row, binding in enumerate(bindings, start=1):
        try:
            a, b = _place(binding, "item"), _place(binding, "twin")
            yield Record(
                line=row,
                a=a,
                b=b,
                level="partnership",
                source=SourceRef("wikidata", as_of, "Wikidata P190 (query)", a.name, b.name),
                start=_date(binding, "start"),
                end=_date(binding, "end"),
            )
        except Invalid as err:
            yield Rejected(row, err.message)

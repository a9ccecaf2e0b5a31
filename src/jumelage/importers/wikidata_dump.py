"""Wikidata JSON dump lines: one entity per line inside a JSON array, plain, gzip or bzip2.

The file is streamed line by line and never held whole. Only lines that can
matter are parsed: items with P190 (twinned administrative body) claims,
country items (P297, their ISO code) and places (P625 or P17) that may be the
far side of a P190 claim. From each we keep labels, P17, P625 and the latest
P1082 population; from each P190 claim its P580/P582 (start/end) qualifiers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from jumelage.errors import Invalid
from jumelage.importers import Record, Rejected
from jumelage.importers.dump_reader import blocks, lines_with
from jumelage.importers.wikidata_time import DAY, wikidata_time
from jumelage.services.registry import PlaceFacts, SourceRef

LANGUAGES = ("mul", "en", "de", "fr", "es", "it", "nl", "pl", "cs", "sk", "pt", "sv", "da")


class _Claims(msgspec.Struct):
    """The claims the importer reads; msgspec skips all others without building them."""

    P17: list[Any] = []
    P190: list[Any] = []
    P297: list[Any] = []
    P625: list[Any] = []
    P1082: list[Any] = []


class _Line(msgspec.Struct):
    id: str
    labels: dict[str, Any] = {}
    claims: _Claims = msgspec.field(default_factory=_Claims)


_DECODER = msgspec.json.Decoder(_Line)


def read_entity(line: bytes) -> dict[str, Any]:
    """An entity line as a dict of its id, labels and the claims read here."""
    found = _DECODER.decode(line)
    claims = found.claims
    return {
        "id": found.id,
        "labels": found.labels,
        "claims": {
            "P17": claims.P17,
            "P190": claims.P190,
            "P297": claims.P297,
            "P625": claims.P625,
            "P1082": claims.P1082,
        },
    }


@dataclass
class Entity:
    qid: str
    line: int
    labels: dict[str, str]
    country_qid: str | None
    lat: float | None
    lon: float | None
    population: int | None
    population_year: int | None
    twins: list[tuple[str, str | None, str | None]] = field(default_factory=list)


def _statements(claims: dict[str, Any], prop: str) -> list[dict[str, Any]]:
    found = [s for s in claims.get(prop, ()) if s.get("rank") != "deprecated"]
    preferred = [s for s in found if s.get("rank") == "preferred"]
    return preferred or found


def _value(statement: dict[str, Any]) -> Any:
    snak = statement.get("mainsnak", {})
    if snak.get("snaktype") != "value":
        return None
    return snak.get("datavalue", {}).get("value")


def _qualifier_time(statement: dict[str, Any], prop: str) -> str | None:
    for snak in statement.get("qualifiers", {}).get(prop, ()):
        if snak.get("snaktype") == "value":
            value = snak["datavalue"]["value"]
            return wikidata_time(value["time"], int(value.get("precision", DAY)))
    return None


def _population(claims: dict[str, Any]) -> tuple[int | None, int | None]:
    best: tuple[str, int] | None = None
    for statement in _statements(claims, "P1082"):
        value = _value(statement)
        if not value:
            continue
        when = _qualifier_time(statement, "P585") or ""
        amount = int(float(value["amount"]))
        if best is None or when > best[0]:
            best = (when, amount)
    if best is None:
        return None, None
    return best[1], (int(best[0][:4]) if best[0] else None)


def _entity(data: dict[str, Any], line: int) -> Entity:
    claims = data.get("claims", {})
    labels = {
        lang: data["labels"][lang]["value"] for lang in LANGUAGES if lang in data.get("labels", {})
    }
    countries = [_value(s) for s in _statements(claims, "P17")]
    coords = [_value(s) for s in _statements(claims, "P625")]
    coord = next((c for c in coords if c), None)
    population, year = _population(claims)
    entity = Entity(
        qid=data["id"],
        line=line,
        labels=labels,
        country_qid=next((c["id"] for c in countries if c), None),
        lat=coord["latitude"] if coord else None,
        lon=coord["longitude"] if coord else None,
        population=population,
        population_year=year,
    )
    for statement in _statements(claims, "P190"):
        value = _value(statement)
        if value:
            entity.twins.append(
                (
                    value["id"],
                    _qualifier_time(statement, "P580"),
                    _qualifier_time(statement, "P582"),
                )
            )
    return entity


@dataclass
class DumpScan:
    subjects: list[Entity] = field(default_factory=list)
    places: dict[str, Entity] = field(default_factory=dict)
    country_codes: dict[str, str] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)


# Lines naming none of these properties cannot matter (the vast majority).
NEEDLE = re.compile(rb'"P(?:190|297|625|17)"')


def scan(path: Path) -> DumpScan:
    """One streaming pass over the dump; only lines naming a property we read are parsed."""
    result = DumpScan()
    for number, raw in lines_with(blocks(path), NEEDLE):
        line = raw.strip().rstrip(b",")
        try:
            data = read_entity(line)
            if b'"P297"' in line:
                for statement in _statements(data.get("claims", {}), "P297"):
                    code = _value(statement)
                    if isinstance(code, str) and len(code) == 2:
                        result.country_codes[data["id"]] = code.upper()
                        break
            entity = _entity(data, number)
        except (msgspec.DecodeError, KeyError, TypeError, ValueError, Invalid) as err:
            result.rejected.append(Rejected(number, f"unreadable entity: {err}"))
            continue
        if entity.twins:
            result.subjects.append(entity)
        result.places[entity.qid] = entity
    return result


def _facts(entity: Entity, codes: dict[str, str]) -> PlaceFacts:
    name = next((entity.labels[lang] for lang in LANGUAGES if lang in entity.labels), entity.qid)
    names: dict[str, list[str]] = {}
    for lang, label in entity.labels.items():
        names.setdefault("und" if lang == "mul" else lang, []).append(label)
    return PlaceFacts(
        name=name,
        qid=entity.qid,
        country=codes.get(entity.country_qid or ""),
        lat=entity.lat,
        lon=entity.lon,
        population=entity.population,
        population_year=entity.population_year,
        names=names,
    )


def parse(path: Path, as_of: str | None = None) -> Iterator[Record | Rejected]:
    try:
        result = scan(path)
    except (OSError, EOFError) as err:
        raise Invalid(f"{path.name} cannot be read as a dump: {err}", field="file") from None
    if not result.places and not result.rejected:
        raise Invalid(
            f"{path.name} holds no Wikidata entity: give a Wikidata JSON dump (one entity "
            "per line, plain, .gz or .bz2), or choose --format csv or sparql-json",
            field="file",
            rule="format",
        )
    yield from result.rejected
    # One PlaceFacts per entity, shared by its records (the writer may skip facts it
    # has already applied to an unchanged place).
    facts: dict[str, PlaceFacts] = {}

    def facts_of(entity: Entity) -> PlaceFacts:
        found = facts.get(entity.qid)
        if found is None:
            found = facts[entity.qid] = _facts(entity, result.country_codes)
        return found

    for subject in result.subjects:
        for twin_qid, start, end in subject.twins:
            twin = result.places.get(twin_qid)
            if twin is None:
                yield Rejected(subject.line, f"{subject.qid}: twin {twin_qid} is not in the dump")
                continue
            a, b = facts_of(subject), facts_of(twin)
            yield Record(
                line=subject.line,
                a=a,
                b=b,
                level="partnership",
                source=SourceRef("wikidata", as_of, "Wikidata P190 (JSON dump)", a.name, b.name),
                start=start,
                end=end,
            )

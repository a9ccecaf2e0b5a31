"""Builders of the round trip: facts two sides confirmed, an ending one side recorded,
Wikidata files of the documented query's shape, and a refresh as `jumelage import` runs it."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from jumelage.domain.permissions import Principal
from jumelage.importers import sparql
from jumelage.importers.refresh import RefreshReport, refresh
from jumelage.registry import Registry
from jumelage.services import links as link_service
from jumelage.services import writing
from jumelage.services.wikidata import link_between
from tests.builders import place_id, resolved_contact

EXAMPLE = Path(__file__).resolve().parent / "p190-example.json"
ENTITY = "http://www.wikidata.org/entity/"
XSD = "http://www.w3.org/2001/XMLSchema#"
DOCUMENT = "https://www.bonn.de/rat/beschluss-2021-17"

# (QID, English label, country) of the fixture's places, as the query states them.
KOELN = ("Q365", "Cologne", "DE")
LIVERPOOL = ("Q24826", "Liverpool", "GB")
TURIN = ("Q495", "Turin", "IT")
LILLE = ("Q648", "Lille", "FR")
BONN = ("Q586", "Bonn", "DE")
OXFORD = ("Q34217", "Oxford", "GB")
TUNIS = ("Q3572", "Tunis", "TN")
BARCELONA = ("Q1492", "Barcelona", "ES")


@pytest.fixture
def registry(registry: Registry, tmp_path: Path) -> Registry:
    """The fixture registry with a data folder of its own (curators' decisions go there)."""
    return Registry(
        dataclasses.replace(registry.settings, data_dir=tmp_path / "data"), registry.engine
    )


def confirmed_signing(
    engine: Any, a_ref: str, b_ref: str, year: int, signed_on: str, document: str | None
) -> int:
    """A partnership whose charter one side signed and the other confirmed; its link id."""
    link_id = resolved_contact(engine, a_ref, b_ref, year)
    a, b = place_id(engine, a_ref), place_id(engine, b_ref)
    payload = {
        "signed_on": signed_on,
        "place": "Town hall",
        "signatories": ["Mayor A", "Mayor B"],
        "document_ref": document,
    }
    with writing(engine, Principal("side-a", "editor", frozenset({a}))) as w:
        proposed = link_service.propose_shared(w, link_id, a, "sign", payload)
    with writing(engine, Principal("side-b", "editor", frozenset({b}))) as w:
        link_service.decide_shared(w, proposed["confirmation_id"], b, True)
    return link_id


def ended_by_side(engine: Any, side_ref: str, partner_ref: str, date: str) -> int:
    """The link of two places ended by one side's editor through the lifecycle; its id."""
    side, partner = place_id(engine, side_ref), place_id(engine, partner_ref)
    with engine.connect() as conn:
        link_id = int(link_between(conn, side, partner).id)
    with writing(engine, Principal("side-editor", "editor", frozenset({side}))) as w:
        link_service.take_step(w, link_id, "end", date=date, reason="council decision")
    return link_id


def ended_by_administrator(engine: Any, a_ref: str, b_ref: str, date: str) -> int:
    """The link of two places ended for both sides by an administrator; its id."""
    with engine.connect() as conn:
        link_id = int(link_between(conn, place_id(engine, a_ref), place_id(engine, b_ref)).id)
    with writing(engine, "umbrella") as w:
        link_service.take_step(w, link_id, "end", date=date, reason="curator's decision")
    return link_id


def _time(date: str) -> tuple[dict[str, str], dict[str, str]]:
    """A partial ISO date as the query returns it: a dateTime and its precision."""
    parts = date.split("-")
    full = "-".join(parts + ["01"] * (3 - len(parts)))
    value = {"type": "literal", "datatype": XSD + "dateTime", "value": f"{full}T00:00:00Z"}
    precision = {"type": "literal", "datatype": XSD + "integer", "value": str(8 + len(parts))}
    return value, precision


def p190_row(
    item: tuple[str, str, str],
    twin: tuple[str, str, str],
    start: str | None = None,
    end: str | None = None,
) -> dict[str, Any]:
    """A P190 row of the query's shape: (QID, label, country) of each side, and the
    start and end qualifiers ("1958", "1958-05", "1958-05-09") at their precision."""
    row: dict[str, Any] = {}
    for var, (qid, label, country) in (("item", item), ("twin", twin)):
        row[var] = {"type": "uri", "value": ENTITY + qid}
        row[f"{var}Label"] = {"type": "literal", "value": label}
        row[f"{var}CountryCode"] = {"type": "literal", "value": country}
    for var, date in (("start", start), ("end", end)):
        if date:
            row[var], row[f"{var}Precision"] = _time(date)
    return row


def p190_file(path: Path, rows: list[dict[str, Any]]) -> Path:
    """A query result holding `rows`, with the example file's head."""
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document["results"]["bindings"] = rows
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def refresh_file(registry: Registry, path: Path, dry_run: bool = False) -> RefreshReport:
    """`jumelage import PATH --format sparql-json --as-of 2026-12 [--dry-run]`."""
    items = list(sparql.parse(path, "2026-12"))
    return refresh(registry.engine, items, path, "curator", "2026-12", dry_run=dry_run)

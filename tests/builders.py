"""Small builders that write import files in the real formats."""

from __future__ import annotations

import bz2
import csv
import gzip
import json
from pathlib import Path
from typing import Any

from jumelage.importers.csv_links import COLUMNS


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in COLUMNS})
    return path


def csv_link(a: str, a_country: str, b: str, b_country: str, **extra: Any) -> dict[str, Any]:
    return {"a_name": a, "a_country": a_country, "b_name": b, "b_country": b_country, **extra}


def _uri(qid: str) -> dict[str, str]:
    return {"type": "uri", "value": f"http://www.wikidata.org/entity/{qid}"}


def _literal(value: str, lang: str | None = None, datatype: str | None = None) -> dict[str, str]:
    cell = {"type": "literal", "value": value}
    if lang:
        cell["xml:lang"] = lang
    if datatype:
        cell["datatype"] = datatype
    return cell


def sparql_binding(
    item: tuple[str, str, str],
    twin: tuple[str, str, str],
    start: str | None = None,
    start_precision: int | None = None,
) -> dict[str, Any]:
    """item/twin: (QID, English label, ISO country code)."""
    binding: dict[str, Any] = {
        "item": _uri(item[0]),
        "itemLabel": _literal(item[1], "en"),
        "itemCountryCode": _literal(item[2]),
        "twin": _uri(twin[0]),
        "twinLabel": _literal(twin[1], "en"),
        "twinCountryCode": _literal(twin[2]),
        "itemCoord": _literal(
            "Point(6.95 50.93)", datatype="http://www.opengis.net/ont/geosparql#wktLiteral"
        ),
    }
    if start:
        binding["start"] = _literal(start, datatype="http://www.w3.org/2001/XMLSchema#dateTime")
    if start_precision is not None:
        binding["startPrecision"] = _literal(
            str(start_precision), datatype="http://www.w3.org/2001/XMLSchema#integer"
        )
    return binding


def write_sparql(path: Path, bindings: list[dict[str, Any]]) -> Path:
    variables = ["item", "itemLabel", "twin", "twinLabel", "start", "startPrecision"]
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _time(value: str, precision: int) -> dict[str, Any]:
    return {
        "snaktype": "value",
        "property": "P580",
        "datavalue": {
            "value": {
                "time": value,
                "timezone": 0,
                "before": 0,
                "after": 0,
                "precision": precision,
                "calendarmodel": "http://www.wikidata.org/entity/Q1985727",
            },
            "type": "time",
        },
        "datatype": "time",
    }


def _item_snak(prop: str, qid: str) -> dict[str, Any]:
    return {
        "snaktype": "value",
        "property": prop,
        "datavalue": {
            "value": {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid},
            "type": "wikibase-entityid",
        },
        "datatype": "wikibase-item",
    }


def entity(
    qid: str,
    labels: dict[str, str],
    country: str | None = None,
    coord: tuple[float, float] | None = None,
    population: tuple[int, str] | None = None,
    twins: list[tuple[str, str | None, int]] | None = None,
    iso: str | None = None,
) -> dict[str, Any]:
    """A Wikidata entity as it appears in the JSON dump (trimmed to what matters)."""
    claims: dict[str, Any] = {}
    if country:
        claims["P17"] = [
            {"mainsnak": _item_snak("P17", country), "type": "statement", "rank": "normal"}
        ]
    if coord:
        claims["P625"] = [
            {
                "mainsnak": {
                    "snaktype": "value",
                    "property": "P625",
                    "datavalue": {
                        "value": {
                            "latitude": coord[0],
                            "longitude": coord[1],
                            "altitude": None,
                            "precision": 0.0001,
                            "globe": "http://www.wikidata.org/entity/Q2",
                        },
                        "type": "globecoordinate",
                    },
                    "datatype": "globe-coordinate",
                },
                "type": "statement",
                "rank": "normal",
            }
        ]
    if population:
        amount, when = population
        pop_qualifier = _time(when, 9)
        pop_qualifier["property"] = "P585"
        claims["P1082"] = [
            {
                "mainsnak": {
                    "snaktype": "value",
                    "property": "P1082",
                    "datavalue": {
                        "value": {"amount": f"+{amount}", "unit": "1"},
                        "type": "quantity",
                    },
                    "datatype": "quantity",
                },
                "qualifiers": {"P585": [pop_qualifier]},
                "type": "statement",
                "rank": "normal",
            }
        ]
    if iso:
        claims["P297"] = [
            {
                "mainsnak": {
                    "snaktype": "value",
                    "property": "P297",
                    "datavalue": {"value": iso, "type": "string"},
                    "datatype": "external-id",
                },
                "type": "statement",
                "rank": "normal",
            }
        ]
    for twin, start, precision in twins or []:
        statement: dict[str, Any] = {
            "mainsnak": _item_snak("P190", twin),
            "type": "statement",
            "rank": "normal",
        }
        if start:
            statement["qualifiers"] = {"P580": [_time(start, precision)]}
        claims.setdefault("P190", []).append(statement)
    return {
        "type": "item",
        "id": qid,
        "labels": {lang: {"language": lang, "value": v} for lang, v in labels.items()},
        "descriptions": {},
        "aliases": {},
        "claims": claims,
        "sitelinks": {},
    }


def write_dump(path: Path, entities: list[dict[str, Any]]) -> Path:
    """The dump's layout: '[' line, one entity per line with a trailing comma, ']' line."""
    lines = ["["]
    for i, e in enumerate(entities):
        lines.append(json.dumps(e, ensure_ascii=False) + ("," if i < len(entities) - 1 else ""))
    lines.append("]")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(data, mtime=0))
    elif path.suffix == ".bz2":
        path.write_bytes(bz2.compress(data))
    else:
        path.write_bytes(data)
    return path


def token_for(engine: Any, username: str, role: str, municipality_ids: list[int]) -> str:
    """Create an account and return a bearer token for it."""
    from jumelage.services import writing
    from jumelage.services.accounts import add_user, create_token

    with writing(engine, "test setup") as w:
        add_user(w, username, "correct horse battery", role, municipality_ids)
        _id, token = create_token(w, username, "tests")
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def place_id(engine: Any, ref: str) -> int:
    from jumelage.store import queries

    with engine.connect() as conn:
        found = queries.resolve_ref(conn, ref)
    assert found is not None, ref
    return found


def resolved_contact(engine: Any, a_ref: str, b_ref: str, year: int) -> int:
    """A contact between two places whose councils both resolved a partnership in
    `year` (the step before the charter is signed); returns the link's id."""
    from jumelage.domain import lifecycle as rules
    from jumelage.domain.lifecycle import Terms
    from jumelage.services import links as link_service
    from jumelage.services import writing

    a, b = place_id(engine, a_ref), place_id(engine, b_ref)
    with writing(engine, "test setup") as w:
        link_id = link_service.propose_link(w, a, b, "contact", f"{year}-01", Terms())
        for side, side_id in (("a", a), ("b", b)):
            link_service.transition(w, link_id, rules.Resolve(f"{year}-02", side, None), side_id)
    return int(link_id)


def snapshot(engine: Any) -> dict[str, Any]:
    """Row counts of every table plus the data version: equal snapshots, nothing changed."""
    from sqlalchemy import func, select

    from jumelage.store.schema import metadata, registry_state

    with engine.connect() as conn:
        counts: dict[str, Any] = {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar()
            for t in metadata.sorted_tables
            # the derived values are a cache the reads fill, not data a request changed
            if t.name != "login_attempt" and not t.info.get("cache")
        }
        counts["data_version"] = conn.execute(select(registry_state.c.data_version)).scalar()
        from jumelage.store.schema import link

        counts["links"] = [tuple(r) for r in conn.execute(select(link).order_by(link.c.id))]
    return counts

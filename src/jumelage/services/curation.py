"""The curation queue: a curator decides what the build or a refresh was not sure of.

Each item takes one decision, applied through the services that own the change
(a duplicate merge, a corrected point, a name), with the audit record. Every
decision is also appended to `curation-decisions.jsonl` in the data folder,
keyed by the places' stable keys; when the bundled data is loaded again (a new
build, a fresh database) `reapply` replays the file, so no curator's work is lost.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import orjson
from sqlalchemy import Engine, insert, select, update

from jumelage.domain.permissions import Principal
from jumelage.errors import Conflict, Invalid, JumelageError, NotFound
from jumelage.services import Writer, writing
from jumelage.services.common import checked_text
from jumelage.services.lifecycle import merge_duplicate
from jumelage.services.registry import set_language_name, update_municipality
from jumelage.store.places import by_stable_key
from jumelage.store.schema_curation import curation_item

DECISIONS_FILE: Final = "curation-decisions.jsonl"

# The decisions each kind of item takes.
DECISIONS: Final[dict[str, tuple[str, ...]]] = {
    "duplicate": ("merge", "keep_apart"),
    "uncertain_merge": ("merge", "keep_apart"),
    "suspicious_point": ("fix_point", "keep_point"),
    "unlabelled": ("set_name", "keep_name"),
    "refresh_contradiction": ("accept", "reject"),
}


def decisions_path(data_dir: Path) -> Path:
    return Path(data_dir) / DECISIONS_FILE


def add_items(w: Writer, found: Iterable[dict[str, Any]], origin: str) -> int:
    """Put new items in the queue; an item already there (same key) is left as it is."""
    have = {r.key for r in w.conn.execute(select(curation_item.c.key))}
    rows = []
    for item in found:
        if item["key"] in have:
            continue
        have.add(item["key"])
        rows.append(
            {
                "key": item["key"],
                "kind": item["kind"],
                "origin": origin,
                "places": list(item["places"]),
                "reason": item.get("reason", ""),
                "evidence": item.get("evidence", []),
                "status": "open",
                "created_at": w.now,
            }
        )
    for start in range(0, len(rows), 1000):
        w.conn.execute(insert(curation_item), rows[start : start + 1000])
    if rows:
        w.audit("queue", "curation_item", None, None, {"origin": origin, "items": len(rows)})
    return len(rows)


def _place(w: Writer, key: str) -> int:
    found = by_stable_key(w.conn, key)
    if found is None:
        raise NotFound(f"no municipality with the key {key!r} in this registry")
    return found


def _float(data: dict[str, Any], name: str) -> float | None:
    raw = data.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return float(raw)
    except (TypeError, ValueError):
        raise Invalid(f"{name} must be a number", field=name, rule="range") from None


def _apply(w: Writer, item: Any, decision: str, data: dict[str, Any]) -> dict[str, Any]:
    """Make the change a decision stands for; returns what the decisions file keeps."""
    places = list(item.places)
    if decision == "merge":
        keep = str(data.get("keep") or places[0])
        if keep not in places:
            raise Invalid("keep must be one of the item's places", field="keep", rule="choice")
        drop = next(k for k in places if k != keep)
        merge_duplicate(w, _place(w, drop), _place(w, keep), f"curation: {item.reason}")
        return {"keep": keep}
    if decision == "fix_point":
        lat, lon = _float(data, "lat"), _float(data, "lon")
        place_id = _place(w, places[0])
        update_municipality(w, place_id, {"lat": lat, "lon": lon}, None)
        return {"lat": lat, "lon": lon}
    if decision == "set_name":
        name = checked_text(data.get("name"), "name", 200)
        assert name is not None
        lang = str(data.get("lang") or "en")
        place_id = _place(w, places[0])
        set_language_name(w, place_id, lang, name)
        if data.get("display", True):
            update_municipality(w, place_id, {"name": name}, None)
        return {"name": name, "lang": lang, "display": bool(data.get("display", True))}
    if decision == "accept":
        from jumelage.services.wikidata import accept_contradiction

        accept_contradiction(w, item)
        return {}
    # keep_apart, keep_point, keep_name, reject: the registry stays as it is.
    return {}


def decide(
    w: Writer, item_id: int, decision: str, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Take one decision on an open item; returns the record for the decisions file."""
    w.require("curation.decide")
    data = data or {}
    item = w.conn.execute(select(curation_item).where(curation_item.c.id == item_id)).first()
    if item is None:
        raise NotFound(f"no curation item with id {item_id}")
    if item.status != "open":
        raise Conflict(
            f"curation item {item_id} was already decided ({item.decision} by {item.decided_by})"
        )
    allowed = DECISIONS[item.kind]
    if decision not in allowed:
        raise Invalid(
            f"a {item.kind} item takes one of: {', '.join(allowed)}",
            field="decision",
            rule="choice",
        )
    kept = _apply(w, item, decision, data)
    w.conn.execute(
        update(curation_item)
        .where(curation_item.c.id == item_id)
        .values(
            status="decided",
            decision=decision,
            decision_data=kept,
            decided_by=w.actor,
            decided_at=w.now,
        )
    )
    w.audit(
        "decide",
        "curation_item",
        item_id,
        {"status": "open"},
        {"status": "decided", "decision": decision, **kept},
    )
    return {
        "key": item.key,
        "kind": item.kind,
        "places": list(item.places),
        "reason": item.reason,
        "evidence": item.evidence,
        "decision": decision,
        "data": kept,
        "actor": w.actor,
        "at": w.now.isoformat(),
    }


def keep_decision(data_dir: Path, record: dict[str, Any]) -> None:
    """Append a decision to the data folder's file (one JSON object a line)."""
    path = decisions_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as out:
        fcntl.flock(out, fcntl.LOCK_EX)
        out.write(orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n")


def decide_and_keep(
    engine: Engine,
    principal: Principal | str,
    data_dir: Path,
    item_id: int,
    decision: str,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The one door for every interface: decide in one transaction, then keep the decision."""
    with writing(engine, principal) as w:
        record = decide(w, item_id, decision, data)
    keep_decision(data_dir, record)
    return record


def read_decisions(data_dir: Path) -> list[dict[str, Any]]:
    path = decisions_path(data_dir)
    if not path.exists():
        return []
    out = []
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                try:
                    out.append(orjson.loads(line))
                except orjson.JSONDecodeError:
                    continue  # a line cut short by a crash; the others still count
    return out


@dataclass
class ReapplyReport:
    applied: int = 0
    already: int = 0
    not_applicable: list[str] = field(default_factory=list)


def reapply(engine: Engine, data_dir: Path, actor: str = "jumelage init") -> ReapplyReport:
    """Apply the kept decisions again, in their order, to a registry loaded anew.

    A decision whose item is already decided is skipped; one whose places this
    registry no longer holds (or that a rebuild made impossible) is reported and
    leaves its item open. Each decision runs in its own transaction.
    """
    report = ReapplyReport()
    for record in read_decisions(data_dir):
        try:
            with writing(engine, actor) as w:
                row = w.conn.execute(
                    select(curation_item).where(curation_item.c.key == record["key"])
                ).first()
                if row is None:
                    missing = [k for k in record["places"] if by_stable_key(w.conn, k) is None]
                    if missing:
                        report.not_applicable.append(
                            f"{record['key']}: {', '.join(missing)} not in this registry"
                        )
                        continue
                    add_items(w, [record], "decision")
                    row = w.conn.execute(
                        select(curation_item).where(curation_item.c.key == record["key"])
                    ).one()
                if row.status != "open":
                    report.already += 1
                    continue
                decide(w, row.id, record["decision"], dict(record.get("data") or {}))
                w.conn.execute(
                    update(curation_item)
                    .where(curation_item.c.id == row.id)
                    .values(decided_by=record.get("actor", actor))
                )
            report.applied += 1
        except (JumelageError, KeyError) as err:
            message = err.message if isinstance(err, JumelageError) else f"missing {err}"
            report.not_applicable.append(f"{record.get('key')}: {message}")
    return report

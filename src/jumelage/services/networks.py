"""Writes for multilateral networks (Die Hanse, Douzelage, Europastadt, rings)
and their memberships, and the loading of the bundled member lists."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import insert, select, update

from jumelage.domain.dates import checked_date, checked_period
from jumelage.domain.networks import KINDS, periods_overlap
from jumelage.errors import Conflict, Invalid, NotFound
from jumelage.services import Writer, check_version, inserted_id, lock_row
from jumelage.services.common import REFERENCE
from jumelage.services.registry import require_municipality
from jumelage.store import queries_networks as qn
from jumelage.store.schema import network
from jumelage.store.schema import network_membership as membership

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")

# Source notes that call a membership less than attested.
_DOUBT = ("inferred", "moderate confidence", "indirect evidence")

NETWORK_FIELDS = ("name", "kind", "founded", "description", "source")


def _checked_network(values: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if "name" in out:
        out["name"] = str(out["name"]).strip()
        if not out["name"] or len(out["name"]) > 200:
            raise Invalid("a network needs a name of 1-200 characters", field="name")
    if "kind" in out and out["kind"] not in KINDS:
        raise Invalid(f"kind must be one of {', '.join(KINDS)}", field="kind", rule="choice")
    if "founded" in out:
        out["founded"] = checked_date(out["founded"], "founded")
    for field in ("description", "source"):
        if field in out:
            out[field] = str(out[field] or "")
    return out


def create_network(
    w: Writer,
    key: str,
    name: str,
    kind: str,
    founded: str | None = None,
    description: str = "",
    source: str = "",
) -> int:
    """A new network; `key` (lower-case letters, digits, '-') addresses it in URLs."""
    w.require("network.write")
    if not _KEY.match(key):
        raise Invalid("a key is 2-40 lower-case letters, digits or '-'", field="key", rule="format")
    if qn.network_by_key(w.conn, key) is not None:
        raise Conflict(f"a network {key!r} exists already")
    fields = {"name": name, "kind": kind, "founded": founded, "description": description}
    values = _checked_network({**fields, "source": source})
    network_id = inserted_id(w.conn.execute(insert(network).values(key=key, **values)))
    w.audit("create", "network", network_id, None, {"key": key, **values})
    return network_id


def require_network(w: Writer, key: str) -> dict[str, Any]:
    found = qn.network_by_key(w.conn, key)
    if found is None:
        raise NotFound(f"no network {key!r}")
    return found


def _overlapping(
    w: Writer, network_id: int, municipality_id: int, period: tuple[str | None, str | None]
) -> Any:
    for row in qn.memberships_of(w.conn, network_id, municipality_id):
        if periods_overlap((row.joined_on, row.left_on), period):
            return row
    return None


def _checked_period(joined_on: str | None, left_on: str | None) -> tuple[str | None, str | None]:
    return checked_period(joined_on, left_on, "joined_on", "left_on")


def add_member(
    w: Writer,
    key: str,
    municipality_id: int,
    joined_on: str | None = None,
    left_on: str | None = None,
    source: str = "",
    verified: bool = True,
) -> int:
    """A membership period of a municipality in a network; periods may not overlap."""
    w.require("network.write")
    found = require_network(w, key)
    require_municipality(w, municipality_id)
    period = _checked_period(joined_on, left_on)
    clash = _overlapping(w, found["id"], municipality_id, period)
    if clash is not None:
        raise Conflict(
            f"municipality {municipality_id} is already a member in that period "
            f"(membership {clash.id}: {clash.joined_on or '…'}–{clash.left_on or ''})",
            details={"membership_id": clash.id},
        )
    values = {
        "network_id": found["id"],
        "municipality_id": municipality_id,
        "joined_on": period[0],
        "left_on": period[1],
        "source": source,
        "verified": int(verified),
    }
    member_id = inserted_id(w.conn.execute(insert(membership).values(**values)))
    w.audit("create", "network_membership", member_id, None, values)
    return member_id


MEMBERSHIP_FIELDS = ("joined_on", "left_on", "source", "verified")


def update_membership(
    w: Writer,
    key: str,
    membership_id: int,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Change a membership: usually its leave date, when a town leaves the network.
    With `expected_version`, only the version read (412 otherwise)."""
    w.require("network.write")
    found = require_network(w, key)
    lock_row(w, membership, membership_id)
    row = w.conn.execute(
        select(membership).where(
            membership.c.id == membership_id, membership.c.network_id == found["id"]
        )
    ).first()
    if row is None:
        raise NotFound(f"no membership {membership_id} in network {key!r}")
    check_version(row.version, expected_version, f"membership {membership_id}")
    unknown = sorted(set(changes) - set(MEMBERSHIP_FIELDS))
    if unknown:
        raise Invalid(f"{unknown[0]} cannot be changed", field=unknown[0], rule="read_only")
    joined, left = _checked_period(
        changes.get("joined_on", row.joined_on), changes.get("left_on", row.left_on)
    )
    for other in qn.memberships_of(w.conn, found["id"], row.municipality_id):
        if other.id != row.id and periods_overlap((other.joined_on, other.left_on), (joined, left)):
            raise Conflict(f"the new period overlaps membership {other.id}")
    values: dict[str, Any] = {"joined_on": joined, "left_on": left}
    if "source" in changes:
        values["source"] = str(changes["source"] or "")
    if "verified" in changes:
        values["verified"] = int(bool(changes["verified"]))
    before = {k: getattr(row, k) for k in values}
    w.conn.execute(
        update(membership)
        .where(membership.c.id == row.id)
        .values(**values, version=membership.c.version + 1)
    )
    w.audit("update", "network_membership", row.id, before, values)
    return {"membership_id": row.id, **values, "version": row.version + 1}


# --- bundled member lists ----------------------------------------------------------


def read_reference_networks() -> Iterator[tuple[dict[str, Any], list[dict[str, str]]]]:
    """Each bundled network with the rows of its member list (none for Europastadt)."""
    records = json.loads((REFERENCE / "networks.json").read_text(encoding="utf-8"))["networks"]
    for record in records:
        rows: list[dict[str, str]] = []
        if record.get("members"):
            with (REFERENCE / record["members"]).open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
        yield record, rows


def _sync_network_row(w: Writer, record: Mapping[str, Any]) -> int:
    values = _checked_network({k: record.get(k) for k in NETWORK_FIELDS})
    row = w.conn.execute(select(network).where(network.c.key == record["key"])).first()
    if row is None:
        new_id = inserted_id(w.conn.execute(insert(network).values(key=record["key"], **values)))
        w.audit("create", "network", new_id, None, {"key": record["key"], **values})
        return new_id
    if any(getattr(row, k) != v for k, v in values.items()):
        before = {k: getattr(row, k) for k in values}
        w.conn.execute(update(network).where(network.c.id == row.id).values(**values))
        w.audit("update", "network", row.id, before, values)
    return int(row.id)


def _reference_member(row: Mapping[str, str]) -> dict[str, Any]:
    source = (row.get("source") or "").strip()
    return {
        "town": (row.get("town") or row.get("city") or "").strip(),
        "country": (row.get("country_iso2") or "").strip().upper(),
        "joined_on": checked_date(row.get("joined"), "joined"),
        "left_on": checked_date(row.get("left"), "left"),
        "source": source,
        "verified": int(not any(word in source.lower() for word in _DOUBT)),
    }


def _place_member(
    w: Writer, network_id: int, member: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    """Add one listed member; returns what happened and the report line."""
    line = {"town": member["town"], "country": member["country"]}
    found = qn.find_town(w.conn, member["town"], member["country"])
    if len(found) != 1:
        reason = "ambiguous" if found else "not in the registry"
        return "unresolved", {**line, "reason": reason, "candidates": found}
    period = (member["joined_on"], member["left_on"])
    if _overlapping(w, network_id, found[0], period) is not None:
        return "present", {**line, "municipality_id": found[0]}
    values = {
        "network_id": network_id,
        "municipality_id": found[0],
        **{k: member[k] for k in ("joined_on", "left_on", "source", "verified")},
    }
    w.conn.execute(insert(membership).values(**values))
    return "added", {**line, "municipality_id": found[0]}


def sync_reference_network(
    w: Writer, record: Mapping[str, Any], rows: list[dict[str, str]]
) -> dict[str, Any]:
    """Create or update a bundled network and add the listed members the registry holds.

    A member whose period is already on record (or overlaps one, e.g. after an
    edit) is left alone, so loading twice changes nothing.
    """
    w.require("network.write")
    network_id = _sync_network_row(w, record)
    outcome: dict[str, list[dict[str, Any]]] = {"added": [], "present": [], "unresolved": []}
    for row in rows:
        what, line = _place_member(w, network_id, _reference_member(row))
        outcome[what].append(line)
    if outcome["added"]:
        w.audit("load", "network", network_id, None, {"members_added": len(outcome["added"])})
    return {
        "listed": len(rows),
        "partial": bool(record.get("partial")),
        "added": len(outcome["added"]),
        "present": len(outcome["present"]),
        "unresolved": outcome["unresolved"],
    }

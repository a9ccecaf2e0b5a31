"""Writes for multilateral networks (Die Hanse, Douzelage, Europastadt, rings)
and their memberships, and the loading of the bundled member lists."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import cache
from typing import Any

from sqlalchemy import Connection, insert, select, update

from jumelage.domain.dates import checked_date, checked_period
from jumelage.domain.networks import KINDS, periods_overlap
from jumelage.errors import Conflict, Invalid, NotFound
from jumelage.services import Writer, check_version, inserted_id, lock_row
from jumelage.services.common import REFERENCE
from jumelage.services.curation import add_items
from jumelage.services.registry import PlaceFacts, ensure_municipality, require_municipality
from jumelage.store import queries_networks as qn
from jumelage.store.places import stable_key
from jumelage.store.queries import resolve_ref
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
        .where(membership.c.id == row.id, membership.c.version == row.version)
        .values(**values, version=membership.c.version + 1)
    )
    w.audit("update", "network_membership", row.id, before, values)
    return {"membership_id": row.id, **values, "version": row.version + 1}


# --- bundled member lists ----------------------------------------------------------


@cache
def unlisted_networks() -> frozenset[str]:
    """Keys of the bundled networks whose members no source at hand names (Europastadt)."""
    records = json.loads((REFERENCE / "networks.json").read_text(encoding="utf-8"))["networks"]
    return frozenset(str(r["key"]) for r in records if not r.get("members"))


def with_members_known(conn: Connection, found: dict[str, Any]) -> dict[str, Any]:
    """A network (page or list item) with `members_known`: False for a bundled network
    without a member list while no membership is on record, so that its page says the
    members are not known instead of showing an empty list as if it had none."""
    known = found["key"] not in unlisted_networks() or bool(qn.members(conn, found["id"], None))
    return {**found, "members_known": known}


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


def read_member_places() -> dict[tuple[str, str], PlaceFacts]:
    """The gazetteer's place of each listed member town (`member_places.csv`, written by
    `scripts/locate_members.py`), by town and country: only towns with one match."""
    out: dict[tuple[str, str], PlaceFacts] = {}
    path = REFERENCE / "member_places.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            facts = PlaceFacts(name=row["town"], country=row["country"] or None)
            if row["geonames_id"]:
                facts.geonames_id = int(row["geonames_id"])
                facts.lat, facts.lon = float(row["lat"]), float(row["lon"])
                facts.population = int(row["population"]) if row["population"] else None
                facts.admin_area = row["admin_area"] or None
                facts.admin_code = row["admin_code"] or None
                facts.qid = row["qid"] or None
            out[(row["town"], row["country"])] = facts
    return out


def better_documented(facts: list[dict[str, Any]]) -> dict[str, Any]:
    """Of several rows of one place, the one a membership goes to: the most links, then
    a point, then a population, then a QID, then the oldest row."""
    return min(
        facts,
        key=lambda f: (
            -f["partner_count"],
            f["lat"] is None,
            f["population"] is None,
            f["qid"] is None,
            f["id"],
        ),
    )


def _one_place(w: Writer, found: list[int]) -> list[dict[str, Any]] | None:
    """The candidates' facts when they are one place recorded twice: every one bears the
    same GeoNames id (the gazetteer's one place). Else None: namesakes, ambiguous."""
    facts = qn.town_facts(w.conn, found)
    ids = {f["geonames_id"] for f in facts}
    if len(facts) < 2 or len(ids) != 1 or None in ids:
        return None
    return facts


def _duplicate_item(
    key: str, member: Mapping[str, Any], kept: dict[str, Any], facts: list[dict[str, Any]]
) -> dict[str, Any]:
    """A suspected duplicate for the curation queue, the row that took the membership first."""
    ordered = [kept, *[f for f in facts if f is not kept]]
    keys = [stable_key(f["qid"], f["name"], f["country"]) for f in ordered]
    fields = ("name", "qid", "country", "lat", "lon", "population", "partner_count", "partners")
    return {
        "key": f"duplicate:{'|'.join(sorted(keys))}",
        "kind": "duplicate",
        "places": keys,
        "reason": (
            f"{member['town']} ({member['country']}), listed in the network {key}, names "
            f"{len(facts)} rows of one place (GeoNames {kept['geonames_id']}); the membership "
            f"went to {keys[0]}, the better-documented row (most links, then a point)"
        ),
        "evidence": [
            {"key": k, **{n: f[n] for n in fields}} for k, f in zip(keys, ordered, strict=True)
        ],
    }


def _create_member(w: Writer, member: Mapping[str, Any], located: PlaceFacts | None) -> int:
    """A listed town the registry lacks: the gazetteer's place, else name and country."""
    facts = located or PlaceFacts(name=member["town"], country=member["country"] or None)
    facts = replace(facts, name=member["town"], names={})
    if facts.qid:
        known = resolve_ref(w.conn, facts.qid)
        if known is not None:
            [held] = qn.town_facts(w.conn, [known])
            if held["country"] in (None, member["country"]):
                return known  # the registry holds the place under another name
            facts = replace(facts, qid=None)  # the QID is another country's place there
    new_id, _ = ensure_municipality(w, facts)
    return new_id


def _place_member(
    w: Writer,
    key: str,
    network_id: int,
    member: Mapping[str, Any],
    places: Mapping[tuple[str, str], PlaceFacts],
) -> tuple[str, dict[str, Any]]:
    """Add one listed member; returns what happened and the report line."""
    line = {"town": member["town"], "country": member["country"]}
    found = qn.find_town(w.conn, member["town"], member["country"])
    what = "added"
    if not found:
        located = places.get((member["town"], member["country"]))
        found = [_create_member(w, member, located)]
        line["located"] = located is not None and located.lat is not None
        what = "created"
    elif len(found) > 1:
        facts = _one_place(w, found)
        if facts is None:
            return "unresolved", {**line, "reason": "ambiguous", "candidates": found}
        kept = better_documented(facts)
        item = _duplicate_item(key, member, kept, facts)
        add_items(w, [item], "reference")
        line["duplicate"] = {"candidates": found, "curation_key": item["key"]}
        found = [kept["id"]]
    period = (member["joined_on"], member["left_on"])
    if _overlapping(w, network_id, found[0], period) is not None:
        return "present", {**line, "municipality_id": found[0]}
    values = {
        "network_id": network_id,
        "municipality_id": found[0],
        **{k: member[k] for k in ("joined_on", "left_on", "source", "verified")},
    }
    w.conn.execute(insert(membership).values(**values))
    return what, {**line, "municipality_id": found[0]}


def sync_reference_network(
    w: Writer, record: Mapping[str, Any], rows: list[dict[str, str]]
) -> dict[str, Any]:
    """Create or update a bundled network and add its listed members.

    A listed town the registry lacks is created (name and country from the list; point,
    population and region from the gazetteer when it knows one place of that name there,
    `member_places.csv`). A name that finds several rows of one place (the same GeoNames
    id) joins the better-documented row and puts the pair in the curation queue as a
    suspected duplicate; a name that finds several places stays unresolved. A member
    whose period is already on record (or overlaps one, e.g. after an edit) is left
    alone, so loading twice changes nothing.
    """
    w.require("network.write")
    network_id = _sync_network_row(w, record)
    places = read_member_places() if rows else {}
    outcome: dict[str, list[dict[str, Any]]] = {
        "added": [],
        "created": [],
        "present": [],
        "unresolved": [],
    }
    for row in rows:
        what, line = _place_member(w, record["key"], network_id, _reference_member(row), places)
        outcome[what].append(line)
    joined = len(outcome["added"]) + len(outcome["created"])
    if joined:
        w.audit(
            "load",
            "network",
            network_id,
            None,
            {"members_added": joined, "municipalities_created": len(outcome["created"])},
        )
    lines = [line for lines in outcome.values() for line in lines]
    return {
        "listed": len(rows),
        "partial": bool(record.get("partial")),
        "members_known": bool(record.get("members")),
        "added": joined,
        "created": len(outcome["created"]),
        "created_without_point": [
            line["town"] for line in outcome["created"] if not line["located"]
        ],
        "present": len(outcome["present"]),
        "duplicates": [line for line in lines if "duplicate" in line],
        "unresolved": outcome["unresolved"],
    }

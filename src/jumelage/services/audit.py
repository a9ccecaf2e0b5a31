"""Reverting a recorded change: an administrator puts back the state before it.

A revert restores exactly the object the audit record names and everything the
recorded change did to it, or it is refused with the reason:

- a change of fields (an edit, a deletion, the creation of a record that can
  be withdrawn) puts the earlier values back; the names a renaming added go again;
- a step of a link's life (resolution, signing, activation, suspension, ending,
  change of level …) puts back the link's fields, its terms and its charter;
- a merger moves every link back to the merged-away municipality, takes the
  succession off the record and clears the merger;
- what cannot be undone exactly (a merger that combined two links into one, a
  link transfer on its own, an accepted answer that opened a link, a record
  written before the audit kept the whole state) is refused, saying why and what
  to do instead.

The revert is itself a change with its own audit record; nothing is erased from
the trail. A change can be reverted only while the object still holds the values
it set: if someone changed the object since, the later change must be reverted first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, delete, insert, select, update

from jumelage.errors import Conflict, Invalid, NotFound
from jumelage.services import Writer
from jumelage.services.links import (
    CHARTER_FIELDS,
    LINK_FIELDS,
    TERMS_FIELDS,
    link_snapshot,
)
from jumelage.services.registry import set_language_name
from jumelage.store.schema import (
    audit_log,
    link,
    link_event,
    metadata,
    municipality,
    municipality_name,
    succession,
)
from jumelage.store.schema_lifecycle import charter, link_terms

# Tables whose rows a revert may change: they carry a version, so concurrent
# edits are noticed.
REVERTIBLE = (
    "municipality",
    "link",
    "charter",
    "link_terms",
    "activity",
    "contact",
    "partner_search",
    "search_answer",
    "official",
    "ambassador",
    "actor",
    "link_actor",
    "award",
    "programme",
    "dev_project",
    "funding_grant",
)

# The steps of a link's life, as their audit records name them.
LINK_STEPS = (
    "explore",
    "resolve",
    "sign",
    "activate",
    "suspend",
    "resume",
    "end",
    "level",
    "changelevel",
)

# Recorded changes that cannot be undone exactly, and what to do instead.
REFUSED = {
    ("link", "transfer"): "a link transfer is part of a merger; revert the merger itself",
    ("link", "propose"): "a proposed link is withdrawn by ending it, so its history stays",
    ("link", "create"): "a link a source lists is not taken off by a revert; end it instead",
    ("municipality", "create"): "a municipality is not taken off the registry by a revert",
    ("municipality", "merge_duplicate"): (
        "joining a duplicate moved its links and names to the kept place; "
        "they are not told apart again"
    ),
    ("municipality", "add_name"): "a name on record is not taken off by a revert",
    ("search_answer", "accept"): (
        "accepting the answer opened a link; end that link (and publish the search again)"
    ),
    ("api_token", "create"): "a token is taken out of use by revoking it",
    ("api_token", "revoke"): "a revoked token is never valid again; create a new one",
    ("account", "update"): "an account is enabled or disabled by its administrator's command",
    ("account", "password"): "a password is never put back; set a new one",
    ("confirmation", "confirmed"): (
        "the confirmed fact was applied to its link; revert that change of the link"
    ),
    ("confirmation", "rejected"): "an answer to a proposed fact stands; propose the fact again",
    ("confirmation", "withdrawn"): "a withdrawn proposal stands; propose the fact again",
    ("award_application", "apply"): "an application records a request and changed no data",
}


def _refuse(entry: Any, reason: str) -> Invalid:
    return Invalid(
        f"change {entry.id} ({entry.action} of {entry.object_type}) cannot be reverted: {reason}",
        field="audit_id",
        rule="revertible",
    )


def _comparable(value: Any) -> Any:
    """Values as the audit log stores them; SQLite hands back naive UTC datetimes."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat()
    return value.isoformat() if isinstance(value, dt.date) else value


def refusal(entry: Any) -> str | None:
    """Why this recorded change cannot be reverted exactly, or None."""
    reason = REFUSED.get((entry.object_type, entry.action))
    if reason:
        return reason
    if entry.object_type not in REVERTIBLE or entry.object_id is None:
        return "the registry does not keep its earlier state"
    before, after = entry.before or {}, entry.after or {}
    if entry.object_type == "charter" and "link_id" not in after:
        return "it was recorded under its link's id and names no charter row"
    if entry.object_type == "link" and entry.action in LINK_STEPS and "terms" not in before:
        return "it was recorded without the link's terms and charter"
    if entry.action == "merge":
        if "transfers" not in after:
            return "it was recorded without the links it moved"
        combined = [t for t in after["transfers"] if t["combined"]]
        if combined:
            first = combined[0]
            return (
                f"the merger combined link {first['from_link_id']} with link {first['link_id']} "
                "of the successor; combined links are not separated again"
            )
    return None


def revertible(entry: Any) -> bool:
    """Whether a revert of this record may be tried (the API lists it with each change)."""
    return refusal(entry) is None


def revert(w: Writer, audit_id: int) -> dict[str, Any]:
    w.require("audit.revert")
    entry = w.conn.execute(select(audit_log).where(audit_log.c.id == audit_id)).first()
    if entry is None:
        raise NotFound(f"no recorded change with id {audit_id}")
    _check_revertible(w, entry)
    if entry.object_type == "link" and entry.action in LINK_STEPS:
        return _revert_link_step(w, entry)
    if entry.object_type == "municipality" and entry.action == "merge":
        return _revert_merge(w, entry)
    if entry.object_type == "municipality" and entry.action == "set_name":
        return _revert_set_name(w, entry)
    return _revert_fields(w, entry)


def _revert_set_name(w: Writer, entry: Any) -> dict[str, Any]:
    """The place's name in the language goes back to the one before, if it is still the
    name this change set."""
    lang, set_to, before = entry.after["lang"], entry.after["name"], entry.before["name"]
    n = municipality_name.c
    now = sorted(
        w.conn.execute(
            select(n.name).where(n.municipality_id == entry.object_id, n.lang == lang)
        ).scalars()
    )
    if now != ([set_to] if set_to else []):
        raise Conflict(
            f"municipality {entry.object_id}'s name in {lang} changed since; "
            "revert the later change first",
            details={"fields": [f"names.{lang}"]},
        )
    set_language_name(w, entry.object_id, lang, before, record=False)
    if set_to and entry.after.get("added"):
        w.conn.execute(
            delete(municipality_name).where(
                n.municipality_id == entry.object_id, n.lang == "und", n.name == set_to
            )
        )
    restored = {"lang": lang, "name": before}
    reverted = {**restored, "reverts": entry.id}
    w.audit("revert", "municipality", entry.object_id, entry.after, reverted)
    return {"object_type": "municipality", "object_id": entry.object_id, "restored": restored}


def _check_revertible(w: Writer, entry: Any) -> None:
    reason = refusal(entry)
    if reason:
        raise _refuse(entry, reason)
    if entry.action == "revert":
        original = w.conn.execute(
            select(audit_log).where(audit_log.c.id == (entry.after or {}).get("reverts"))
        ).first()
        if original is not None and _compound(original):
            raise _refuse(entry, f"apply the {original.action} again instead")


def _compound(entry: Any) -> bool:
    """A change of more than one row's fields: its revert is not a change of fields."""
    after = entry.after or {}
    return (
        (entry.object_type == "link" and entry.action in LINK_STEPS)
        or entry.action in ("merge", "revert", "set_name")
        or "names_added" in after
        or (entry.object_type == "charter" and entry.action == "create")
    )


# --- a change of fields ------------------------------------------------------------------


def _revert_fields(w: Writer, entry: Any) -> dict[str, Any]:
    table = metadata.tables[entry.object_type]
    row = w.conn.execute(select(table).where(table.c.id == entry.object_id)).first()
    if row is None:
        raise NotFound(f"{entry.object_type} {entry.object_id} no longer exists")
    restore = _restore_values(entry, table)
    after = entry.after or {}
    changed_since = [k for k in restore if k in after and _comparable(getattr(row, k)) != after[k]]
    if changed_since:
        raise Conflict(
            f"{entry.object_type} {entry.object_id} changed since ({', '.join(changed_since)}); "
            "revert the later change first",
            details={"fields": changed_since},
        )
    current = {k: _comparable(getattr(row, k)) for k in restore}
    if entry.object_type == "charter" and entry.action == "create":
        # A charter is on record or not: the one this change recorded goes again.
        w.conn.execute(delete(table).where(table.c.id == row.id))
    else:
        w.conn.execute(
            update(table)
            .where(table.c.id == row.id)
            .values(**_db_values(table, restore), version=table.c.version + 1)
        )
    if entry.object_type == "municipality":
        for lang, name in after.get("names_added") or []:
            w.conn.execute(
                delete(municipality_name).where(
                    municipality_name.c.municipality_id == row.id,
                    municipality_name.c.lang == lang,
                    municipality_name.c.name == name,
                )
            )
    if entry.object_type == "link":
        _reverted_event(w, row.id, entry, restore)
    w.audit("revert", entry.object_type, entry.object_id, current, {**restore, "reverts": entry.id})
    return {"object_type": entry.object_type, "object_id": entry.object_id, "restored": restore}


def _restore_values(entry: Any, table: Any) -> dict[str, Any]:
    if entry.object_type == "charter" and entry.action == "create":
        return {k: None for k in CHARTER_FIELDS}
    if entry.action == "create" and "deleted_at" in table.c:
        return {"deleted_at": "now"}
    if entry.action == "delete":
        return {"deleted_at": None}
    before = entry.before or {}
    values = {k: v for k, v in before.items() if k in table.c and k not in ("id", "version")}
    if not values:
        raise _refuse(entry, "it recorded no earlier values to restore")
    return values


def _db_values(table: Any, values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        column = table.c[key]
        if value == "now" and key == "deleted_at":
            out[key] = dt.datetime.now(dt.UTC)
        elif isinstance(value, str) and isinstance(column.type, DateTime):
            out[key] = dt.datetime.fromisoformat(value)
        else:
            out[key] = value
    return out


def _reverted_event(w: Writer, link_id: int, entry: Any, restored: dict[str, Any]) -> None:
    w.conn.execute(
        insert(link_event).values(
            link_id=link_id,
            kind="reverted",
            reason=f"change {entry.id} ({entry.action}) reverted",
            data={"audit_id": entry.id, "restored": restored},
            actor=w.actor,
            recorded_at=w.now,
        )
    )


# --- a step of a link's life ---------------------------------------------------------------


def _revert_link_step(w: Writer, entry: Any) -> dict[str, Any]:
    link_id = int(entry.object_id)
    before, after = dict(entry.before), dict(entry.after)
    current = link_snapshot(w, link_id)
    changed_since = sorted(k for k in after if current.get(k) != after[k])
    if changed_since:
        raise Conflict(
            f"link {link_id} changed since ({', '.join(changed_since)}); "
            "revert the later change first",
            details={"fields": changed_since},
        )
    w.conn.execute(
        update(link)
        .where(link.c.id == link_id)
        .values(
            **{k: before[k] for k in LINK_FIELDS},
            updated_at=w.now,
            version=link.c.version + 1,
        )
    )
    _restore_row(w, link_terms, link_id, before["terms"], TERMS_FIELDS)
    _restore_row(w, charter, link_id, before["charter"], CHARTER_FIELDS)
    _reverted_event(w, link_id, entry, before)
    w.audit("revert", "link", link_id, current, {**before, "reverts": entry.id})
    return {"object_type": "link", "object_id": link_id, "restored": before}


def _restore_row(
    w: Writer, table: Any, link_id: int, values: dict[str, Any] | None, fields: tuple[str, ...]
) -> None:
    """Put a link's terms or charter row back as it was: absent, or with these values."""
    found = w.conn.execute(select(table.c.id).where(table.c.link_id == link_id)).first()
    if values is None:
        if found is not None:
            w.conn.execute(delete(table).where(table.c.id == found.id))
        return
    kept = {k: values.get(k) for k in fields}
    if found is None:
        w.conn.execute(
            insert(table).values(
                link_id=link_id, created_at=w.now, created_by=w.actor, updated_at=w.now, **kept
            )
        )
    else:
        w.conn.execute(
            update(table)
            .where(table.c.id == found.id)
            .values(**kept, updated_at=w.now, version=table.c.version + 1)
        )


# --- a merger ------------------------------------------------------------------------------


def _revert_merge(w: Writer, entry: Any) -> dict[str, Any]:
    predecessor_id = int(entry.object_id)
    before, after = dict(entry.before), dict(entry.after)
    pred = w.conn.execute(select(municipality).where(municipality.c.id == predecessor_id)).first()
    if pred is None:
        raise NotFound(f"municipality {predecessor_id} no longer exists")
    if pred.merged_into_id != after["merged_into_id"]:
        raise Conflict(
            f"municipality {predecessor_id} changed since; revert the later change first"
        )
    sides = ("a_id", "b_id", "status_a", "status_b")
    for transfer in after["transfers"]:
        row = w.conn.execute(select(link).where(link.c.id == transfer["link_id"])).first()
        if row is None or {k: getattr(row, k) for k in sides} != transfer["after"]:
            raise Conflict(
                f"link {transfer['link_id']} changed since the merger; revert that change first",
                details={"link_id": transfer["link_id"]},
            )
    for transfer in after["transfers"]:
        w.conn.execute(
            update(link)
            .where(link.c.id == transfer["link_id"])
            .values(**transfer["before"], updated_at=w.now, version=link.c.version + 1)
        )
        _reverted_event(w, transfer["link_id"], entry, transfer["before"])
    w.conn.execute(delete(succession).where(succession.c.id == after["succession_id"]))
    restored = {"merged_into_id": None, "merged_on": before.get("merged_on")}
    w.conn.execute(
        update(municipality)
        .where(municipality.c.id == predecessor_id)
        .values(**restored, updated_at=w.now, version=municipality.c.version + 1)
    )
    current = {"merged_into_id": pred.merged_into_id, "merged_on": pred.merged_on}
    w.audit(
        "revert",
        "municipality",
        predecessor_id,
        current,
        {**restored, "links": after["links"], "reverts": entry.id},
    )
    return {"object_type": "municipality", "object_id": predecessor_id, "restored": restored}

"""Decisions about what Wikidata states: a curator takes Wikidata's side of a
contradiction a refresh found (`jumelage.importers.refresh`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, select, update

from jumelage.errors import Conflict, NotFound
from jumelage.services import Writer
from jumelage.store.queries import resolve_ref
from jumelage.store.schema import link, link_source, municipality


def place_by_key(conn: Connection, qid: str) -> Any:
    """The municipality row a QID or stable key names, or None."""
    place_id = resolve_ref(conn, qid)
    if place_id is None:
        return None
    return conn.execute(select(municipality).where(municipality.c.id == place_id)).first()


def link_between(conn: Connection, a_id: int, b_id: int) -> Any:
    """The live link between two places (else the first ended one), or None."""
    first, second = sorted((a_id, b_id))
    rows = conn.execute(
        select(link).where(link.c.a_id == first, link.c.b_id == second).order_by(link.c.id)
    ).all()
    live = [r for r in rows if r.status != "ended"]
    chosen = live or rows
    return chosen[0] if chosen else None


def set_link_date(w: Writer, link_id: int, column: str, value: str) -> None:
    """A link's start or end date as Wikidata states it, with the audit record."""
    row = w.conn.execute(select(link).where(link.c.id == link_id)).one()
    w.conn.execute(
        update(link)
        .where(link.c.id == link_id)
        .values({column: value, "updated_at": w.now, "version": link.c.version + 1})
    )
    w.audit("refresh", "link", link_id, {column: getattr(row, column)}, {column: value})


def accept_contradiction(w: Writer, item: Any) -> None:
    """Take Wikidata's side of a contradiction."""
    what = str(item.key).rsplit(":", 1)[-1]
    if what == "merged_here":
        raise Conflict("a curator's merge is not undone from the queue; reject keeps it")
    if what == "split":
        raise Conflict(
            "a split is not carried out from the queue: create the new place with its QID "
            "and move or end the links it takes (the next refresh then adds the new item's "
            "links); reject keeps the place whole and its new items' links held"
        )
    # The link by its places' keys, not by a row id: a decision outlives a rebuild.
    places = [place_by_key(w.conn, str(key)) for key in item.places]
    row = None
    if places[0] is not None and places[1] is not None:
        row = link_between(w.conn, places[0].id, places[1].id)
    if row is None:
        raise NotFound(f"no link between {' and '.join(item.places)} in this registry")
    wikidata_side = item.evidence[1]
    if what in ("start", "end"):
        set_link_date(w, int(row.id), f"{what}_date", str(wikidata_side[what]))
    else:
        link_id = int(row.id)
        removed = w.conn.execute(
            delete(link_source).where(
                link_source.c.link_id == link_id,
                link_source.c.source == "wikidata",
            )
        ).rowcount
        w.audit("refresh", "link_source", link_id, {"wikidata_sources": removed}, None)

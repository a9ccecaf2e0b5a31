"""Reading what the registry holds against Wikidata: the links with their confirmed facts
(for the give-back) and the last refresh's statements and report."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, or_, select
from sqlalchemy.orm import aliased

from jumelage.store.schema import link, link_source, municipality
from jumelage.store.schema_accounts import confirmation
from jumelage.store.schema_curation import curation_item, wikidata_refresh, wikidata_statement
from jumelage.store.schema_lifecycle import charter

CONFIRMED_KINDS = ("sign", "charter")


def statements(conn: Connection) -> dict[tuple[str, str], dict[str, Any]]:
    """What Wikidata stated at the last refresh, by ordered QID pair."""
    return {
        (r.a_qid, r.b_qid): {"start": r.start_date, "end": r.end_date, "as_of": r.as_of}
        for r in conn.execute(select(wikidata_statement))
    }


def last_refresh(conn: Connection) -> dict[str, Any] | None:
    row = conn.execute(
        select(wikidata_refresh).order_by(wikidata_refresh.c.id.desc()).limit(1)
    ).first()
    if row is None:
        return None
    return {"at": row.at.isoformat(), "actor": row.actor, "file": row.file, "report": row.report}


SPLIT_SUFFIX = ":split"


def held_by_splits(conn: Connection) -> set[str]:
    """The QIDs a split seen in Wikidata introduced (every place of a split item but the
    first), unless a curator accepted the split: their links wait for a decision."""
    rows = conn.execute(
        select(curation_item.c.places).where(
            curation_item.c.kind == "refresh_contradiction",
            curation_item.c.key.endswith(SPLIT_SUFFIX),
            or_(curation_item.c.decision.is_(None), curation_item.c.decision != "accept"),
        )
    )
    return {str(key) for (places,) in rows for key in list(places)[1:]}


def curated_pairs(conn: Connection) -> set[tuple[str, str]]:
    """QID pairs whose registry facts a curator kept against a refresh."""
    rows = conn.execute(
        select(curation_item.c.places).where(
            curation_item.c.kind == "refresh_contradiction",
            curation_item.c.decision == "reject",
        )
    )
    out = set()
    for (places,) in rows:
        if len(places) == 2:
            first, second = sorted(places)
            out.add((first, second))
    return out


def links_for_give_back(conn: Connection) -> list[dict[str, Any]]:
    """Every link with its sides' QIDs, its charter, whether both sides confirmed the
    signing, and the sources that state it."""
    a, b = aliased(municipality), aliased(municipality)
    rows = conn.execute(
        select(
            link.c.id,
            link.c.level,
            link.c.status,
            link.c.start_date,
            link.c.end_date,
            a.c.qid.label("a_qid"),
            a.c.name.label("a_name"),
            b.c.qid.label("b_qid"),
            b.c.name.label("b_name"),
            charter.c.signed_on,
            charter.c.document_ref,
        )
        .join(a, a.c.id == link.c.a_id)
        .join(b, b.c.id == link.c.b_id)
        .outerjoin(charter, charter.c.link_id == link.c.id)
        .order_by(link.c.id)
    ).all()
    confirmed = {
        r.link_id
        for r in conn.execute(
            select(confirmation.c.link_id).where(
                confirmation.c.status == "confirmed", confirmation.c.kind.in_(CONFIRMED_KINDS)
            )
        )
    }
    sources: dict[int, set[str]] = defaultdict(set)
    for r in conn.execute(select(link_source.c.link_id, link_source.c.source)):
        sources[r.link_id].add(r.source)
    return [
        {
            **{k: getattr(r, k) for k in r._fields},
            "confirmed_by_both": r.id in confirmed,
            "sources": sorted(sources[r.id]),
        }
        for r in rows
    ]

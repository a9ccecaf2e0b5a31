"""The founding process: the contacts register and the partner search board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update

from jumelage.domain.dates import PartialDate, checked_date
from jumelage.domain.vocabulary import CONTACT_KINDS
from jumelage.errors import Conflict, Invalid
from jumelage.services import Writer, check_version, inserted_id
from jumelage.services.common import (
    checked_choice,
    checked_list,
    checked_text,
    live_row,
    soft_delete,
    update_row,
)
from jumelage.services.links import propose_link
from jumelage.services.registry import require_municipality
from jumelage.store.schema_lifecycle import contact, partner_search, search_answer


@dataclass
class ContactInput:
    place_id: int
    holder: str
    kind: str
    since: str | None = None
    note: str | None = None


def _contact_values(w: Writer, municipality_id: int, data: ContactInput) -> dict[str, Any]:
    require_municipality(w, data.place_id)
    if data.place_id == municipality_id:
        raise Invalid(
            "a contact is with a place abroad, not the municipality itself", field="place"
        )
    return {
        "place_id": data.place_id,
        "holder": checked_text(data.holder, "holder", 200),
        "kind": checked_choice(data.kind, CONTACT_KINDS, "kind"),
        "since": checked_date(data.since, "since"),
        "note": checked_text(data.note, "note", 10_000, required=False),
    }


def add_contact(w: Writer, municipality_id: int, data: ContactInput) -> int:
    w.require("contact.write", municipality_id)
    require_municipality(w, municipality_id)
    values = _contact_values(w, municipality_id, data)
    contact_id = inserted_id(
        w.conn.execute(
            insert(contact).values(
                municipality_id=municipality_id,
                created_at=w.now,
                created_by=w.actor,
                updated_at=w.now,
                **values,
            )
        )
    )
    w.audit("create", "contact", contact_id, None, {"municipality_id": municipality_id, **values})
    return contact_id


def update_contact(w: Writer, contact_id: int, data: ContactInput, expected: int | None) -> None:
    row = live_row(w, contact, contact_id, "contact")
    w.require("contact.write", row.municipality_id)
    update_row(w, contact, row, _contact_values(w, row.municipality_id, data), expected, "contact")


def delete_contact(w: Writer, contact_id: int, expected: int | None) -> None:
    row = live_row(w, contact, contact_id, "contact")
    w.require("contact.write", row.municipality_id)
    soft_delete(w, contact, row, expected, "contact")


@dataclass
class SearchInput:
    title: str
    expires_on: str
    mode: str = "similar"  # similar: common characteristics; contrast: deliberate difference
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    size_min: int | None = None
    size_max: int | None = None
    themes: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    text: str = ""


def _today(w: Writer) -> dt.date:
    return w.now.date()


def _search_values(w: Writer, data: SearchInput) -> dict[str, Any]:
    expires = checked_date(data.expires_on, "expires_on", required=True)
    assert expires is not None
    if PartialDate.parse(expires).latest() < _today(w):
        raise Invalid("the expiry date lies in the past", field="expires_on", rule="future")
    countries = [c.upper() for c in checked_list(data.countries, "countries")]
    bad = [c for c in countries if len(c) != 2 or not c.isalpha()]
    if bad:
        raise Invalid(f"{bad[0]!r} is not an ISO 3166-1 alpha-2 code", field="countries")
    for name in ("size_min", "size_max"):
        value = getattr(data, name)
        if value is not None and not 0 <= value <= 100_000_000:
            raise Invalid(f"{name} must lie within 0..100,000,000", field=name, rule="range")
    if data.size_min is not None and data.size_max is not None and data.size_max < data.size_min:
        raise Invalid("size_max lies below size_min", field="size_max", rule="size_band")
    return {
        "title": checked_text(data.title, "title", 200),
        "expires_on": expires,
        "mode": checked_choice(data.mode, ("similar", "contrast"), "mode"),
        "countries": countries,
        "regions": checked_list(data.regions, "regions"),
        "size_min": data.size_min,
        "size_max": data.size_max,
        "themes": checked_list(data.themes, "themes"),
        "languages": [lang.lower() for lang in checked_list(data.languages, "languages")],
        "text": checked_text(data.text, "text", 20_000, required=False) or "",
    }


def publish_search(w: Writer, municipality_id: int, data: SearchInput) -> int:
    w.require("search.write", municipality_id)
    require_municipality(w, municipality_id)
    values = _search_values(w, data)
    search_id = inserted_id(
        w.conn.execute(
            insert(partner_search).values(
                municipality_id=municipality_id,
                created_at=w.now,
                created_by=w.actor,
                updated_at=w.now,
                **values,
            )
        )
    )
    w.audit("create", "partner_search", search_id, None, values)
    return search_id


def update_search(w: Writer, search_id: int, data: SearchInput, expected: int | None) -> None:
    row = live_row(w, partner_search, search_id, "partner search")
    w.require("search.write", row.municipality_id)
    if row.status != "open":
        raise Conflict(f"the search is {row.status}; it can no longer be changed")
    update_row(w, partner_search, row, _search_values(w, data), expected, "partner search")


def close_search(w: Writer, search_id: int, expected: int | None) -> None:
    row = live_row(w, partner_search, search_id, "partner search")
    w.require("search.write", row.municipality_id)
    if row.status != "open":
        raise Conflict(f"the search is {row.status} already")
    update_row(w, partner_search, row, {"status": "closed"}, expected, "partner search")


def _open_search(w: Writer, search_id: int) -> Any:
    row = live_row(w, partner_search, search_id, "partner search")
    if row.status != "open":
        raise Conflict(f"the search is {row.status}")
    if PartialDate.parse(row.expires_on).latest() < _today(w):
        raise Invalid(
            f"the search expired on {row.expires_on}", field="search", rule="search_expired"
        )
    return row


def answer_search(w: Writer, search_id: int, municipality_id: int, message: str) -> int:
    """Another municipality answers a published search."""
    w.require("search.answer", municipality_id)
    search = _open_search(w, search_id)
    require_municipality(w, municipality_id)
    if municipality_id == search.municipality_id:
        raise Invalid("a municipality cannot answer its own search", field="municipality")
    taken = w.conn.execute(
        select(search_answer.c.id).where(
            search_answer.c.search_id == search_id,
            search_answer.c.municipality_id == municipality_id,
        )
    ).first()
    if taken is not None:
        raise Conflict(f"this municipality answered already (answer {taken.id})")
    text = checked_text(message, "message", 20_000, required=False) or ""
    answer_id = inserted_id(
        w.conn.execute(
            insert(search_answer).values(
                search_id=search_id,
                municipality_id=municipality_id,
                message=text,
                created_at=w.now,
                created_by=w.actor,
                updated_at=w.now,
            )
        )
    )
    w.audit("create", "search_answer", answer_id, None, {"search_id": search_id, "message": text})
    return answer_id


def accept_answer(
    w: Writer, search_id: int, answer_id: int, level: str = "contact", expected: int | None = None
) -> int:
    """The publisher accepts an answer: a link opens in state exploring."""
    search = _open_search(w, search_id)
    w.require("search.write", search.municipality_id)
    check_version(search.version, expected, f"partner search {search_id}")
    answer = live_row(w, search_answer, answer_id, "answer")
    if answer.search_id != search_id:
        raise Invalid(f"answer {answer_id} belongs to another search", field="answer")
    if answer.status != "open":
        raise Conflict(f"the answer is {answer.status}")
    today = _today(w).isoformat()
    link_id = propose_link(
        w,
        search.municipality_id,
        answer.municipality_id,
        level,
        today,
        status="exploring",
    )
    w.conn.execute(
        update(search_answer)
        .where(search_answer.c.id == answer_id)
        .values(status="accepted", updated_at=w.now, version=search_answer.c.version + 1)
    )
    w.conn.execute(
        update(partner_search)
        .where(partner_search.c.id == search_id)
        .values(
            status="matched",
            link_id=link_id,
            updated_at=w.now,
            version=partner_search.c.version + 1,
        )
    )
    w.audit("accept", "search_answer", answer_id, {"status": "open"}, {"link_id": link_id})
    return link_id


def decline_answer(w: Writer, search_id: int, answer_id: int) -> None:
    search = live_row(w, partner_search, search_id, "partner search")
    w.require("search.write", search.municipality_id)
    answer = live_row(w, search_answer, answer_id, "answer")
    if answer.search_id != search_id or answer.status != "open":
        raise Conflict("only an open answer to this search can be declined")
    w.conn.execute(
        update(search_answer)
        .where(search_answer.c.id == answer_id)
        .values(status="declined", updated_at=w.now, version=search_answer.c.version + 1)
    )
    w.audit("decline", "search_answer", answer_id, {"status": "open"}, {"status": "declined"})

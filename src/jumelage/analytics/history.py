"""Links over time: counts per decade, and the first link between two states."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from jumelage.analytics.definition import Definition, Pair, select
from jumelage.analytics.model import Link, Snapshot
from jumelage.domain.dates import PartialDate, definitely_before


def per_decade(
    snapshot: Snapshot, definition: Definition, country: str | None = None
) -> dict[str, Any]:
    """Links (or distinct pairs) per decade of their start, over the dated ones.

    `country` keeps the links with a side in that country (state, under the
    definition's states).
    """
    selection = select(snapshot, definition, need_countries=country is not None)
    if definition.count == "distinct":
        units: list[tuple[dt.date | None, str | None, str | None]] = [
            (p.day, p.state_a, p.state_b) for p in selection.pairs()
        ]
    else:
        units = [(c.day, c.state_a, c.state_b) for c in selection.counted]
    if country:
        units = [u for u in units if country in (u[1], u[2])]
    decades = Counter((day.year // 10) * 10 for day, _, _ in units if day is not None)
    running = 0
    items = []
    for decade in sorted(decades):
        running += decades[decade]
        items.append({"decade": decade, "count": decades[decade], "cumulative": running})
    dated = sum(decades.values())
    return {
        **selection.envelope(),
        "scope": {
            "country": country,
            "unit": "distinct pairs (dated by their first link)"
            if definition.count == "distinct"
            else "links",
            "dated": dated,
            "undated": len(units) - dated,
            "words": (
                f"{dated} of {len(units)} counted are dated; the decades describe the dated "
                "ones only"
            ),
        },
        "items": items,
    }


def firsts(
    snapshot: Snapshot,
    definition: Definition,
    a: str | None = None,
    b: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """For every pair of states, the earliest dated link between them.

    With states="historical" (the usual choice here) a link counts for the states
    of its start date: Wuppertal–Košice 1980 is West German–Czechoslovak.
    """
    selection = select(snapshot, definition, need_countries=True)
    earliest: dict[tuple[str, str], list[Pair]] = {}
    for p in selection.pairs():
        if p.day is None:
            continue
        key = _oriented(str(p.state_a), str(p.state_b), a)
        earliest.setdefault(key, []).append(p)
    wanted = {x for x in (a, b) if x}
    items = []
    for key, found in earliest.items():
        if (wanted and not wanted <= set(key)) or (a and b and a == b and key != (a, a)):
            continue
        historical = definition.states == "historical"
        items.append(_first(key, found, snapshot, selection.state_names, historical))
    items.sort(key=lambda i: (i["day"], i["a"], i["b"]))
    return {
        **selection.envelope(),
        "scope": {
            "a": a,
            "b": b,
            "words": (
                "the earliest dated link between places of the two states; 'certain' is "
                "false when another link's date, known less precisely, could be earlier"
            ),
        },
        "items": items[offset : offset + limit],
        "total": len(items),
        "limit": limit,
        "offset": offset,
    }


def _oriented(x: str, y: str, lead: str | None) -> tuple[str, str]:
    """The pair of states in order: the state asked for first, else alphabetical."""
    if lead is not None and y == lead and x != lead:
        return (y, x)
    if lead is not None and x == lead:
        return (x, y)
    return (x, y) if x <= y else (y, x)


def _start(link: Link) -> PartialDate:
    start = link.start
    assert start is not None
    return start


def _first(
    key: tuple[str, str],
    found: list[Pair],
    snapshot: Snapshot,
    names: dict[str, str],
    historical: bool,
) -> dict[str, Any]:
    dated = [link for p in found for link in p.links if link.start_date]
    dated.sort(key=lambda link: (_start(link).earliest(), link.id))
    first = dated[0]
    rivals = [link.id for link in dated[1:] if not definitely_before(_start(first), _start(link))]
    places = snapshot.places
    sides = (first.a, first.b)
    if _side_state(snapshot, first, historical) != key[0]:
        sides = (first.b, first.a)
    return {
        "a": key[0],
        "a_name": names.get(key[0], key[0]),
        "b": key[1],
        "b_name": names.get(key[1], key[1]),
        "day": _start(first).earliest().isoformat(),
        "link": {
            "id": first.id,
            "level": first.level,
            "start_date": first.start_date,
            "a": places[sides[0]].ref(),
            "b": places[sides[1]].ref(),
        },
        "dated_pairs": len(found),
        "certain": not rivals,
        "could_be_earlier": rivals,
    }


def _side_state(snapshot: Snapshot, link: Link, historical: bool) -> str | None:
    """The state of the link's first side (on its start date, or today)."""
    state = snapshot.places[link.a].state(_start(link).earliest() if historical else None)
    return state.key if state else None

"""The country-pair matrix: how many links join the places of two countries (states)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from jumelage.analytics.definition import Definition, select
from jumelage.analytics.model import Snapshot


def country_pairs(
    snapshot: Snapshot,
    definition: Definition,
    country: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """Cells of the matrix, largest first.

    Distinct: one cell per unordered pair of states, counting distinct municipality
    pairs. Per side: one cell per ordered pair (row, column) counting the links of
    the row's places with the column's; the diagonal holds domestic links twice, so
    a row's sum is the country's per-side total.
    """
    selection = select(snapshot, definition, need_countries=True)
    cells: Counter[tuple[str, str]] = Counter()
    if definition.count == "distinct":
        for p in selection.pairs():
            a, b = sorted((str(p.state_a), str(p.state_b)))
            cells[(a, b)] += 1
    else:
        for c in selection.counted:
            a, b = str(c.state_a), str(c.state_b)
            cells[(a, b)] += 1
            cells[(b, a)] += 1
    if country:
        cells = Counter({k: n for k, n in cells.items() if country in k})
    names = selection.state_names
    ordered = sorted(cells, key=lambda k: (-cells[k], k))
    items = [
        {
            "a": a,
            "a_name": names.get(a, a),
            "b": b,
            "b_name": names.get(b, b),
            "count": cells[(a, b)],
        }
        for a, b in ordered
    ]
    rows: Counter[str] = Counter()
    for (a, _b), n in cells.items():
        rows[a] += n
    return {
        **selection.envelope(),
        "scope": {
            "country": country,
            "cells": (
                "unordered pairs of states; count = distinct municipality pairs"
                if definition.count == "distinct"
                else "ordered (row, column) pairs; count = links of the row's places with the "
                "column's, domestic links twice on the diagonal"
            ),
        },
        "items": items[offset : offset + limit],
        "total": len(items),
        "limit": limit,
        "offset": offset,
        "row_totals": dict(sorted(rows.items(), key=lambda kv: (-kv[1], kv[0]))),
        "names": dict(sorted(names.items())),
    }

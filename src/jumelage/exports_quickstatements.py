"""Giving back to Wikidata: the registry's facts as QuickStatements (V1, tab-separated).

Only facts confirmed by both sides (a charter signing proposed by one and confirmed
by the other) or kept by a curator against a refresh are written, and only between
two places that both have a QID. Each becomes P190 on both items, with the start
(P580) and, for a curator's fact, the end (P582) at their precision, and a reference:
P854 (reference URL) when the document the registry holds is a URL, P248 (stated in)
when it is a Wikidata item. The bundled sources' own facts are never written. Whatever
is left out is listed with its reason: no QID, not a partnership, unconfirmed, no
reference, already there.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from jumelage.domain.dates import PartialDate
from jumelage.store import queries_wikidata

_QID = re.compile(r"^Q[1-9][0-9]*$")
_URL = re.compile(r"^https?://\S+$")

NO_QID = "no QID"
NOT_PARTNERSHIP = "not a partnership"
UNCONFIRMED = "unconfirmed"
NO_REFERENCE = "no reference"
ALREADY_THERE = "already there"


_PRECISION = {"year": 9, "month": 10, "day": 11}


def time_value(date: str) -> str:
    """A partial date as a QuickStatements time: +1958-05-00T00:00:00Z/10."""
    d = PartialDate.parse(date)
    return f"+{d.year:04d}-{d.month or 0:02d}-{d.day or 0:02d}T00:00:00Z/{_PRECISION[d.precision]}"


def reference(document: str | None) -> list[str] | None:
    text = (document or "").strip()
    if _URL.match(text):
        return ["S854", '"' + text.replace('"', "%22") + '"']
    if _QID.match(text):
        return ["S248", text]
    return None


@dataclass
class GiveBack:
    lines: list[str] = field(default_factory=list)
    left_out: list[dict[str, Any]] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        reasons = Counter(item["reason"] for item in self.left_out)
        return {
            "statements": len(self.lines),
            "left_out": dict(sorted(reasons.items())),
            "items": self.left_out,
        }


def give_back(conn: Connection) -> GiveBack:
    out = GiveBack()
    known = queries_wikidata.statements(conn)
    curated = queries_wikidata.curated_pairs(conn)
    for row in queries_wikidata.links_for_give_back(conn):
        what = {"link_id": row["id"], "a": row["a_qid"] or row["a_name"]}
        what["b"] = row["b_qid"] or row["b_name"]

        def leave(reason: str, what: dict[str, Any] = what) -> None:
            out.left_out.append({**what, "reason": reason})

        if not row["a_qid"] or not row["b_qid"]:
            leave(NO_QID)
            continue
        if row["level"] != "partnership":
            leave(NOT_PARTNERSHIP)
            continue
        pair = tuple(sorted((row["a_qid"], row["b_qid"])))
        by_curator = pair in curated
        if not (row["confirmed_by_both"] or by_curator):
            leave(UNCONFIRMED)
            continue
        source = reference(row["document_ref"])
        if source is None:
            leave(NO_REFERENCE)
            continue
        start = row["signed_on"] or row["start_date"]
        end = row["end_date"] if by_curator else None
        there = known.get(pair)
        if there is not None and there["start"] == start and (end is None or there["end"] == end):
            leave(ALREADY_THERE)
            continue
        qualifiers: list[str] = []
        if start:
            qualifiers += ["P580", time_value(start)]
        if end:
            qualifiers += ["P582", time_value(end)]
        for item, twin in ((row["a_qid"], row["b_qid"]), (row["b_qid"], row["a_qid"])):
            out.lines.append("\t".join([item, "P190", twin, *qualifiers, *source]))
    return out

"""The one place resolver: from what a user types to one municipality, or why not.

Every door calls `resolve` — the API (paths and bodies), the web pages and
forms, the command line, the matcher's pages and the loaders of reference
lists — so one text names the same place everywhere. The policy:

1. Digits name the municipality with that internal id; a Wikidata QID ("Q365")
   the one with that QID. If none has it, the answer is *not found*.
2. Any other text is a name in any language the registry holds, compared
   folded (case, accents, punctuation and the German ae/oe/ue spellings do not
   matter: "Koln", "KÖLN", "Koeln" and "Cologne" are Köln). `country` narrows
   the candidates to one ISO country. Places merged into another are left out
   unless only they hold the name.
   - One place holds it: that place.
   - Several do: the one whose population is at least ten times that of each
     other one ("London" is London, GB, not London, Ontario; "Paris" is Paris,
     FR). A place of unknown population neither outweighs another nor is
     outweighed (it may be a large town without figures). Otherwise the answer
     is *ambiguous*, with the candidates, largest first ("Springfield").
   - None does: *not found*, with up to five names the search suggests.

A reference in a URL path that is not found is a 404; a field of a form or a
request body is a 422 naming the field. Ambiguity is a 422 with the code
`ambiguous` and the candidates in `details`, whatever the door.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Final

from sqlalchemy import Connection, bindparam, func, or_, select

from jumelage.domain.names import fold
from jumelage.errors import Invalid, JumelageError, NotFound
from jumelage.store.queries import resolve_ref, search_municipalities
from jumelage.store.schema import municipality, municipality_name

# How much larger the most populous namesake must be to be *the* place of a name.
DOMINANCE: Final = 10
SHOWN: Final = 10  # candidates listed with an ambiguity
SUGGESTED: Final = 5  # suggestions offered with a name not found


@dataclass(frozen=True)
class Candidate:
    id: int
    qid: str | None
    name: str
    country: str | None
    population: int | None
    merged: bool

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "merged"}

    def label(self) -> str:
        return f"{self.name} ({self.country or '?'}, id {self.id})"


class Ambiguous(Invalid):
    """A name several places hold, none of them clearly *the* place of that name."""

    code = "ambiguous"

    def __init__(self, text: str, candidates: list[Candidate], field: str | None) -> None:
        shown = "; ".join(c.label() for c in candidates[:5])
        super().__init__(
            f"{text!r} names {len(candidates)} municipalities ({shown}); "
            "give an id or a QID, or narrow by country",
            field=field,
            rule="ambiguous",
        )
        self.text = text
        self.candidates = candidates
        self.details = {
            "field": field,
            "rule": "ambiguous",
            "total": len(candidates),
            "candidates": [c.to_dict() for c in candidates[:SHOWN]],
        }


_m, _n = municipality.c, municipality_name.c
_HOLDERS = (
    select(_m.id, _m.qid, _m.name, _m.country, _m.population, _m.merged_into_id)
    .where(
        or_(
            _m.name_folded == bindparam("key"),
            _m.id.in_(
                select(_n.municipality_id).where(
                    or_(_n.folded == bindparam("key"), _n.folded_alt == bindparam("key"))
                )
            ),
        )
    )
    .order_by(func.coalesce(_m.population, -1).desc(), _m.id)
)


def candidates(conn: Connection, name: str, country: str | None = None) -> list[Candidate]:
    """The places holding `name` (folded) in some language, largest first; current
    places only, unless only merged-away ones hold it."""
    key = fold(name)
    if not key:
        return []
    statement = _HOLDERS.where(_m.country == country.upper()) if country else _HOLDERS
    found = [
        Candidate(r.id, r.qid, r.name, r.country, r.population, r.merged_into_id is not None)
        for r in conn.execute(statement, {"key": key})
    ]
    current = [c for c in found if not c.merged]
    return current or found


def dominant(found: list[Candidate]) -> Candidate | None:
    """The one candidate a name stands for, by the policy above; None if it is ambiguous."""
    if len(found) == 1:
        return found[0]
    first, others = found[0], found[1:]
    if first.population is None:
        return None
    if all(
        o.population is not None and o.population * DOMINANCE <= first.population for o in others
    ):
        return first
    return None


def resolve(
    conn: Connection, text: str | int, country: str | None = None, field: str | None = None
) -> int:
    """The id of the municipality `text` names, by the policy of this module.

    Raises NotFound (no `field`: a path) or Invalid (a field of a form or a body)
    when nothing matches, and Ambiguous when several places do.
    """
    text = str(text).strip()
    if not text:
        raise Invalid(f"{field or 'municipality'} is required", field=field, rule="required")
    found_id = resolve_ref(conn, text)
    if found_id is not None:
        return found_id
    if _looks_like_ref(text):
        raise _not_found(f"no municipality {text!r}", field, [])
    found = candidates(conn, text, country)
    if not found:
        hits, _ = search_municipalities(conn, text, country, SUGGESTED, 0)
        suggestions = [f"{h['name']} ({h['country'] or '?'}, id {h['id']})" for h in hits]
        where = f" in {country.upper()}" if country else ""
        message = f"no municipality is called {text!r}{where}"
        if suggestions:
            message += f"; did you mean: {'; '.join(suggestions)}?"
        raise _not_found(message, field, suggestions)
    chosen = dominant(found)
    if chosen is None:
        raise Ambiguous(text, found, field)
    return chosen.id


def _looks_like_ref(text: str) -> bool:
    """Digits or a QID: a reference, never a name."""
    upper = text.upper()
    return (text.isascii() and text.isdigit()) or (
        upper.startswith("Q") and upper[1:].isascii() and upper[1:].isdigit()
    )


def _not_found(message: str, field: str | None, suggestions: list[str]) -> JumelageError:
    if field:
        return Invalid(message, field=field, rule="exists")
    error = NotFound(message)
    if suggestions:
        error.details = {"suggestions": suggestions}
    return error


def stable_key(qid: str | None, name: str, country: str | None) -> str:
    """A place's key that survives a rebuild, as the build writes it
    (`jumelage.dataset.curation.place_key`): its QID, else "CC:name"."""
    return qid or f"{country or '--'}:{name}"


def by_stable_key(conn: Connection, key: str) -> int | None:
    """The municipality a build's stable key names (`jumelage.dataset.curation.place_key`):
    a QID, else "CC:name" (a place without a QID: country and display name as the
    bundle states them; "--" for no country). Exact, never a guess: None when nothing
    or several match."""
    if key[:1] == "Q" and key[1:].isdigit():
        return resolve_ref(conn, key)
    country, _, name = key.partition(":")
    query = select(municipality.c.id).where(
        municipality.c.qid.is_(None),
        municipality.c.name_folded == fold(name),
        municipality.c.name == name,
    )
    query = query.where(
        municipality.c.country.is_(None) if country == "--" else municipality.c.country == country
    )
    ids = [row.id for row in conn.execute(query)]
    return ids[0] if len(ids) == 1 else None

"""Writes of the registry core: municipalities and links as the sources record them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import and_, delete, insert, select, update

from jumelage.domain.dates import checked_period
from jumelage.domain.languages import ALPHABETICAL
from jumelage.domain.names import fold, fold_alt
from jumelage.domain.states import is_country
from jumelage.domain.vocabulary import KINDS, LEVELS
from jumelage.errors import Invalid, NotFound
from jumelage.services import Writer, check_version, inserted_id, lock_row
from jumelage.services.common import checked_text
from jumelage.store.schema import link, link_event, link_source, municipality, municipality_name

Outcome = Literal["created", "updated", "unchanged"]

MUNICIPALITY_FIELDS = (
    "name",
    "kind",
    "country",
    "admin_area",
    "admin_code",
    "lat",
    "lon",
    "population",
    "population_year",
    "geonames_id",
)


@dataclass
class PlaceFacts:
    """What a source says about a place; None means the source does not say."""

    name: str
    qid: str | None = None
    country: str | None = None
    kind: str | None = None
    admin_area: str | None = None
    admin_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    population_year: int | None = None
    geonames_id: int | None = None
    names: dict[str, list[str]] = field(default_factory=dict)  # lang -> names
    # The place's id in the file it comes from (an export of another registry): rows with
    # one `ref` name one place, so the import never matches it by name alone.
    ref: str | None = None

    def given(self) -> dict[str, Any]:
        """The municipality columns this source states (the ones it leaves as None left out)."""
        return {k: getattr(self, k) for k in MUNICIPALITY_FIELDS if getattr(self, k) is not None}

    def check(self) -> None:
        if not self.name or not self.name.strip():
            raise Invalid("a municipality needs a name", field="name", rule="required")
        if len(self.name) > 200:
            raise Invalid("a name is at most 200 characters", field="name", rule="max_length")
        if self.qid is not None and not (self.qid[:1] == "Q" and self.qid[1:].isdigit()):
            raise Invalid(f"{self.qid!r} is not a Wikidata QID", field="qid", rule="qid")
        if self.country is not None and not (
            len(self.country) == 2 and self.country.isupper() and is_country(self.country)
        ):
            raise Invalid(
                f"{self.country!r} is not a country's ISO 3166-1 alpha-2 code",
                field="country",
                rule="iso",
            )
        if self.kind is not None and self.kind not in KINDS:
            raise Invalid(f"kind must be one of {', '.join(KINDS)}", field="kind", rule="kind")
        if self.lat is not None and not -90 <= self.lat <= 90:
            raise Invalid("latitude must lie within -90..90", field="lat", rule="range")
        if self.lon is not None and not -180 <= self.lon <= 180:
            raise Invalid("longitude must lie within -180..180", field="lon", rule="range")
        if self.population is not None and not 0 <= self.population < 10**10:
            raise Invalid("population must lie within 0..10^10", field="population", rule="range")


@dataclass(frozen=True)
class SourceRef:
    source: str
    as_of: str | None
    reference: str
    name_a: str | None = None
    name_b: str | None = None


def _row_dict(row: Any) -> dict[str, Any]:
    return {str(k): v for k, v in row._mapping.items()}


def find_place(w: Writer, facts: PlaceFacts) -> dict[str, Any] | None:
    """The municipality these facts describe: by QID, else by exact name and country."""
    if facts.qid:
        row = w.conn.execute(select(municipality).where(municipality.c.qid == facts.qid)).first()
        return _row_dict(row) if row else None
    if not facts.country:
        raise Invalid(
            f"{facts.name!r}: a place without a QID needs a country to be identified",
            field="country",
            rule="required",
        )
    rows = w.conn.execute(
        select(municipality).where(
            municipality.c.country == facts.country,
            municipality.c.name_folded == fold(facts.name),
        )
    ).all()
    if len(rows) > 1:
        raise Invalid(
            f"{facts.name!r} ({facts.country}) names {len(rows)} places; give its QID",
            field="qid",
            rule="ambiguous",
        )
    return _row_dict(rows[0]) if rows else None


def ensure_municipality(w: Writer, facts: PlaceFacts) -> tuple[int, Outcome]:
    """Create the place, or fill in what the facts add to it. Idempotent."""
    facts.check()
    existing = find_place(w, facts)
    given = facts.given()
    if existing is None:
        values = {**given, "qid": facts.qid, "name_folded": fold(facts.name)}
        values.setdefault("kind", "municipality")
        values.update(created_at=w.now, updated_at=w.now)
        new_id = inserted_id(w.conn.execute(insert(municipality).values(**values)))
        add_names(w, new_id, facts)
        w.audit("create", "municipality", new_id, None, given)
        return new_id, "created"
    # An import adds what is missing; it never renames a place it already knows.
    changes = {k: v for k, v in given.items() if k != "name" and existing[k] != v}
    added_names = add_names(w, existing["id"], facts)
    if changes:
        w.conn.execute(
            update(municipality)
            .where(municipality.c.id == existing["id"])
            .values(**changes, updated_at=w.now, version=municipality.c.version + 1)
        )
        w.audit(
            "update",
            "municipality",
            existing["id"],
            {k: existing[k] for k in changes},
            {**changes, **({"names_added": added_names} if added_names else {})},
        )
    return existing["id"], ("updated" if changes or added_names else "unchanged")


# The interface languages: a place holds at most one name tagged with each, the name its
# pages in that language show (docs/data-model.md).
NAME_LANGUAGES = ALPHABETICAL


def _names_of(w: Writer, municipality_id: int) -> set[tuple[str, str]]:
    n = municipality_name.c
    rows = w.conn.execute(select(n.lang, n.name).where(n.municipality_id == municipality_id))
    return {(r.lang, r.name) for r in rows}


def new_names(have: set[tuple[str, str]], facts: PlaceFacts) -> list[tuple[str, str]]:
    """The (language, name) rows the facts add to a place holding `have`, for this
    service and the bulk importer alike. A name in an interface language the place
    already has a name in goes in untagged (searchable, not shown): only
    `set_language_name` changes the name a language's pages show. A name already held
    in a known language needs no untagged duplicate."""
    known_names = {name for (_lang, name) in have}
    tagged = {lang for (lang, _name) in have if lang in NAME_LANGUAGES}
    new: list[tuple[str, str]] = []

    def add(lang: str, name: str) -> None:
        if lang in NAME_LANGUAGES and (lang, name) not in have:
            if lang in tagged:
                lang = "und"
            else:
                tagged.add(lang)
        if (lang, name) in have or (lang, name) in new:
            return
        if lang == "und" and name in known_names:
            return
        new.append((lang, name))

    for lang, names in sorted(facts.names.items()):
        for name in names:
            if name and name.strip():
                add(lang, name)
    add("und", facts.name)
    return sorted(new)


def add_names(w: Writer, municipality_id: int, facts: PlaceFacts) -> list[list[str]]:
    """Add the names the facts give that the place lacks (`new_names`)."""
    new = new_names(_names_of(w, municipality_id), facts)
    if new:
        w.conn.execute(
            insert(municipality_name),
            [
                {
                    "municipality_id": municipality_id,
                    "lang": lang,
                    "name": n,
                    "folded": fold(n),
                    "folded_alt": fold_alt(n),
                }
                for lang, n in new
            ],
        )
    return [[lang, n] for lang, n in new]


def set_language_name(
    w: Writer, municipality_id: int, lang: str, name: str | None, record: bool = True
) -> bool:
    """Make `name` the place's name in `lang` (None: no name of its own in it, the pages
    show its main name). The name it had there stays searchable, untagged. Recorded as
    `set_name` with the name before and after (unless a revert records it); returns
    whether anything changed."""
    w.require("municipality.edit", municipality_id)
    if lang not in NAME_LANGUAGES:
        raise Invalid(
            f"lang must be one of {', '.join(NAME_LANGUAGES)}", field="lang", rule="choice"
        )
    wanted = None if name is None else checked_text(name, f"names.{lang}", 200)
    lock_row(w, municipality, municipality_id)
    require_municipality(w, municipality_id)
    have = _names_of(w, municipality_id)
    current = sorted(n for (tag, n) in have if tag == lang)
    if current == ([wanted] if wanted else []):
        return False
    n = municipality_name.c
    for old in current:  # untag: stays searchable, unless the same name is already untagged
        row = (n.municipality_id == municipality_id) & (n.lang == lang) & (n.name == old)
        if ("und", old) in have or old == wanted:
            w.conn.execute(delete(municipality_name).where(row))
        else:
            w.conn.execute(update(municipality_name).where(row).values(lang="und"))
    if wanted and ("und", wanted) in have:  # an untagged name of the place: tag it
        w.conn.execute(
            update(municipality_name)
            .where((n.municipality_id == municipality_id) & (n.lang == "und") & (n.name == wanted))
            .values(lang=lang)
        )
    elif wanted:
        w.conn.execute(
            insert(municipality_name).values(
                municipality_id=municipality_id,
                lang=lang,
                name=wanted,
                folded=fold(wanted),
                folded_alt=fold_alt(wanted),
            )
        )
    w.conn.execute(
        update(municipality)
        .where(municipality.c.id == municipality_id)
        .values(updated_at=w.now, version=municipality.c.version + 1)
    )
    before = current[0] if current else None
    if not record:
        return True
    # `added`: the name was not the place's before (a revert takes it off again).
    added = bool(wanted) and not any(held == wanted for (_tag, held) in have)
    w.audit(
        "set_name",
        "municipality",
        municipality_id,
        {"lang": lang, "name": before},
        {"lang": lang, "name": wanted, "added": added},
    )
    return True


def require_municipality(w: Writer, municipality_id: int) -> dict[str, Any]:
    row = w.conn.execute(select(municipality).where(municipality.c.id == municipality_id)).first()
    if row is None:
        raise NotFound(f"no municipality with id {municipality_id}")
    return _row_dict(row)


def check_sourced_link(
    same_place: bool, level: str, start: str | None, end: str | None
) -> tuple[str | None, str | None]:
    """The rules of a link a source lists, for this service and the bulk importer:
    not a place with itself, a known level, a possible period (ISO dates returned)."""
    if same_place:
        raise Invalid("a municipality cannot be linked with itself", field="b", rule="not_self")
    if level not in LEVELS:
        raise Invalid(f"level must be one of {', '.join(LEVELS)}", field="level", rule="level")
    return checked_period(start, end)


def record_sourced_link(
    w: Writer,
    first_id: int,
    second_id: int,
    level: str,
    source: SourceRef,
    start: str | None = None,
    end: str | None = None,
) -> Outcome:
    """Record that `source` lists a link; create it if new. Idempotent."""
    start_date, end_date = check_sourced_link(first_id == second_id, level, start, end)
    swap = first_id > second_id
    a_id, b_id = (second_id, first_id) if swap else (first_id, second_id)
    name_a, name_b = (source.name_b, source.name_a) if swap else (source.name_a, source.name_b)
    # The live link of the pair and level, else the latest ended one.
    existing = w.conn.execute(
        select(link)
        .where(and_(link.c.a_id == a_id, link.c.b_id == b_id, link.c.level == level))
        .order_by((link.c.status == "ended").asc(), link.c.id.desc())
    ).first()
    outcome: Outcome = "unchanged"
    if existing is None:
        link_id = _create_sourced_link(w, a_id, b_id, level, source, start_date, end_date)
        outcome = "created"
    else:
        link_id = existing.id
        fills = {}
        if start_date and not existing.start_date:
            fills["start_date"] = start_date
        if end_date and not existing.end_date:
            fills["end_date"] = end_date
        if fills:
            w.conn.execute(
                update(link)
                .where(link.c.id == link_id)
                .values(**fills, updated_at=w.now, version=link.c.version + 1)
            )
            w.audit("update", "link", link_id, {k: None for k in fills}, fills)
            outcome = "updated"
    if _upsert_source(w, link_id, source, name_a, name_b) and outcome == "unchanged":
        outcome = "updated"
    return outcome


def _create_sourced_link(
    w: Writer,
    a_id: int,
    b_id: int,
    level: str,
    source: SourceRef,
    start_date: str | None,
    end_date: str | None,
) -> int:
    status = "ended" if end_date else "active"
    values = {
        "a_id": a_id,
        "b_id": b_id,
        "level": level,
        "status": status,
        "status_a": status,
        "status_b": status,
        "start_date": start_date,
        "end_date": end_date,
    }
    link_id = inserted_id(
        w.conn.execute(insert(link).values(**values, created_at=w.now, updated_at=w.now))
    )
    w.conn.execute(
        insert(link_event).values(
            link_id=link_id,
            kind="recorded",
            date=start_date,
            to_value=level,
            source=f"{source.source}: {source.reference}",
            actor=w.actor,
            recorded_at=w.now,
        )
    )
    w.audit("create", "link", link_id, None, values)
    return link_id


def _upsert_source(
    w: Writer, link_id: int, source: SourceRef, name_a: str | None, name_b: str | None
) -> bool:
    values = {"as_of": source.as_of}
    row = w.conn.execute(
        select(link_source).where(
            link_source.c.link_id == link_id,
            link_source.c.source == source.source,
            link_source.c.reference == source.reference,
            link_source.c.name_a.is_not_distinct_from(name_a),
            link_source.c.name_b.is_not_distinct_from(name_b),
        )
    ).first()
    if row is None:
        w.conn.execute(
            insert(link_source).values(
                link_id=link_id,
                source=source.source,
                reference=source.reference,
                name_a=name_a,
                name_b=name_b,
                **values,
            )
        )
        w.audit(
            "create",
            "link_source",
            link_id,
            None,
            {"source": source.source, "reference": source.reference, "as_of": source.as_of},
        )
        return True
    before = {k: getattr(row, k) for k in values}
    if before == values:
        return False
    w.conn.execute(update(link_source).where(link_source.c.id == row.id).values(**values))
    w.audit("update", "link_source", link_id, before, values)
    return True


EDITABLE = ("name", "kind", "admin_area", "lat", "lon", "population", "population_year")


def update_municipality(
    w: Writer, municipality_id: int, changes: dict[str, Any], expected_version: int | None
) -> None:
    """Correct a municipality's facts (its editors or an administrator); `names` (language
    → name or None) sets the names its pages show in each language."""
    w.require("municipality.edit", municipality_id)
    lock_row(w, municipality, municipality_id)
    current = require_municipality(w, municipality_id)
    check_version(current["version"], expected_version, f"municipality {municipality_id}")
    changes = dict(changes)
    names = changes.pop("names", None) or {}
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise Invalid(f"{unknown[0]} cannot be changed here", field=unknown[0], rule="editable")
    foreign = sorted(set(names) - set(NAME_LANGUAGES))
    if foreign:
        raise Invalid(
            f"names: {foreign[0]} is not one of {', '.join(NAME_LANGUAGES)}",
            field="names",
            rule="choice",
        )
    facts = PlaceFacts(name=changes["name"] if "name" in changes else current["name"])
    for key in ("kind", "lat", "lon", "population"):
        setattr(facts, key, changes.get(key, current[key]))
    facts.check()
    if (facts.lat is None) != (facts.lon is None):
        raise Invalid("give both latitude and longitude, or neither", field="lat")
    if changes.get("admin_area") is not None:
        changes["admin_area"] = checked_text(changes["admin_area"], "admin_area", 200)
    year = changes.get("population_year")
    if year is not None and not 1 <= year <= 9999:
        raise Invalid("population_year must lie within 1..9999", field="population_year")
    values = {k: v for k, v in changes.items() if current[k] != v}
    if values:
        _update_fields(w, current, values)
    for lang, name in sorted(names.items()):
        set_language_name(w, municipality_id, lang, name)


def _update_fields(w: Writer, current: dict[str, Any], values: dict[str, Any]) -> None:
    municipality_id = current["id"]
    added: list[list[str]] = []
    if "name" in values:
        values["name_folded"] = fold(values["name"])
        added = add_names(w, municipality_id, PlaceFacts(name=values["name"]))
    w.conn.execute(
        update(municipality)
        .where(municipality.c.id == municipality_id, municipality.c.version == current["version"])
        .values(**values, updated_at=w.now, version=municipality.c.version + 1)
    )
    # The names the change added are part of it: a revert removes them again.
    w.audit(
        "update",
        "municipality",
        municipality_id,
        {k: current[k] for k in values if k in current},
        {**values, **({"names_added": added} if added else {})},
    )

"""The places of a bulk import: `ensure_municipality`'s rules, applied in memory.

Places are looked up by QID, else by country and folded name, as the service
does; the rows that a batch of records names are fetched with a few IN queries
before the batch is worked through, and every place once seen stays in memory
(with the changes this import made to it) for the rest of the import. New places,
changed places, new names and their audit records are written in bulk when a
batch is flushed.

A record that is refused rolls back in memory what it did so far (`Mark` and
`undo`), as the service's savepoint per row would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from sqlalchemy import Connection, bindparam, select, tuple_, update

from jumelage.domain.names import fold, fold_alt
from jumelage.errors import Invalid
from jumelage.services.registry import PlaceFacts, new_names
from jumelage.store.bulk import insert_rows
from jumelage.store.schema import municipality, municipality_name

CHUNK = 500
_REVISIONS = count(1)

Audit = tuple[str, str, Any, dict[str, Any] | None, dict[str, Any] | None]


@dataclass(eq=False)
class Place:
    """A municipality as this import sees it: its row and the names it holds."""

    row: dict[str, Any]
    id: int | None = None
    new: bool = False
    names: set[tuple[str, str]] | None = None  # None: not read yet
    changed: dict[str, Any] = field(default_factory=dict)
    updates: int = 0
    # Renumbered (never reusing a number) whenever this import changes the place.
    revision: int = 0

    @property
    def key(self) -> tuple[str, str] | None:
        country = self.row["country"]
        return (country, self.row["name_folded"]) if country else None


@dataclass
class Mark:
    """Where the in-memory state stood when a record began."""

    new: int
    names: int
    audits: int
    undo: list[Callable[[], None]] = field(default_factory=list)


class Places:
    def __init__(self, conn: Connection, now: Any) -> None:
        self.conn = conn
        self.now = now
        self.by_id: dict[int, Place] = {}
        self.by_qid: dict[str, Place] = {}
        self.by_key: dict[tuple[str, str], list[Place]] = {}
        self.qids_read: set[str] = set()
        self.keys_read: set[tuple[str, str]] = set()
        self.new: list[Place] = []
        self.touched: set[Place] = set()
        self.name_rows: list[tuple[Place, str, str]] = []
        self.audits: list[Audit] = []
        self.mark: Mark | None = None
        # Facts already applied, with the place and its revision then: applying the
        # same facts to the same, unchanged place again changes nothing.
        self.applied: dict[int, tuple[PlaceFacts, Place, int]] = {}
        # A file's own ids (an export of another registry): one id, one place; a place
        # taken by one id is never another id's namesake.
        self.by_ref: dict[str, Place] = {}
        self.ref_of: dict[int, str] = {}

    # -- reading ---------------------------------------------------------------

    def prefetch(self, facts: Iterable[PlaceFacts]) -> None:
        """Read at once the rows that these facts may name, and their names."""
        qids, keys = set(), set()
        for f in facts:
            if f.qid:
                qids.add(f.qid)
            elif f.country:
                keys.add((f.country, fold(f.name)))
        self._read_qids(sorted(qids - self.qids_read))
        self._read_keys(sorted(keys - self.keys_read))
        self._read_names([p for p in self.by_id.values() if p.names is None])

    def _read_qids(self, qids: list[str]) -> None:
        for start in range(0, len(qids), CHUNK):
            part = qids[start : start + CHUNK]
            self._adopt(self.conn.execute(select(municipality).where(municipality.c.qid.in_(part))))
            self.qids_read.update(part)

    def _read_keys(self, keys: list[tuple[str, str]]) -> None:
        pair = tuple_(municipality.c.country, municipality.c.name_folded)
        for start in range(0, len(keys), CHUNK):
            part = keys[start : start + CHUNK]
            self._adopt(self.conn.execute(select(municipality).where(pair.in_(part))))
            self.keys_read.update(part)

    def _adopt(self, rows: Iterable[Any]) -> None:
        """Places read from the database; one already in memory keeps its state."""
        for r in rows:
            if r.id not in self.by_id:
                self._register(Place({str(k): v for k, v in r._mapping.items()}, id=r.id))

    def _register(self, place: Place) -> None:
        if place.id is not None:
            self.by_id[place.id] = place
        if place.row["qid"]:
            self.by_qid[place.row["qid"]] = place
        if place.key:
            self.by_key.setdefault(place.key, []).append(place)

    def _unregister(self, place: Place) -> None:
        if place.row["qid"]:
            self.by_qid.pop(place.row["qid"], None)
        if place.key:
            self.by_key[place.key].remove(place)

    def _read_names(self, places: list[Place]) -> None:
        by_id = {p.id: p for p in places if p.id is not None}
        for p in by_id.values():
            p.names = set()
        ids = sorted(by_id)
        n = municipality_name.c
        for start in range(0, len(ids), CHUNK):
            rows = self.conn.execute(
                select(n.municipality_id, n.lang, n.name).where(
                    n.municipality_id.in_(ids[start : start + CHUNK])
                )
            )
            for mid, lang, name in rows:
                names = by_id[mid].names
                assert names is not None
                names.add((lang, name))

    def find(self, facts: PlaceFacts) -> Place | None:
        """As `services.registry.find_place`: by QID, else by exact name and country. A place
        the file names by its own id (`ref`) is the place that id named before; without a QID
        it is a namesake of this registry only when exactly one exists and no other id of the
        file has taken it, else a place of its own (never an ambiguous guess)."""
        if facts.ref and facts.ref in self.by_ref:
            return self.by_ref[facts.ref]
        if facts.ref and not facts.qid and facts.country:
            key = (facts.country, fold(facts.name))
            if key not in self.keys_read:
                self._read_keys([key])
            found = self.by_key.get(key, [])
            if len(found) == 1 and id(found[0]) not in self.ref_of:
                return found[0]
            return None
        if facts.qid:
            if facts.qid not in self.qids_read:
                self._read_qids([facts.qid])
            return self.by_qid.get(facts.qid)
        if not facts.country:
            raise Invalid(
                f"{facts.name!r}: a place without a QID needs a country to be identified",
                field="country",
                rule="required",
            )
        key = (facts.country, fold(facts.name))
        if key not in self.keys_read:
            self._read_keys([key])
        found = self.by_key.get(key, [])
        if len(found) > 1:
            raise Invalid(
                f"{facts.name!r} ({facts.country}) names {len(found)} places; give its QID",
                field="qid",
                rule="ambiguous",
            )
        return found[0] if found else None

    # -- changing (in memory) --------------------------------------------------

    def begin(self) -> None:
        self.mark = Mark(len(self.new), len(self.name_rows), len(self.audits))

    def undo(self) -> None:
        mark = self.mark
        assert mark is not None
        for action in reversed(mark.undo):
            action()
        for place in self.new[mark.new :]:
            self._unregister(place)
            ref = self.ref_of.pop(id(place), None)
            if ref is not None:
                self.by_ref.pop(ref, None)
        del self.new[mark.new :]
        del self.name_rows[mark.names :]
        del self.audits[mark.audits :]

    def ensure(self, facts: PlaceFacts) -> tuple[Place, str]:
        """As `services.registry.ensure_municipality`: create, or fill in what is new."""
        done = self.applied.get(id(facts))
        if done is not None and done[0] is facts and facts.qid:
            _facts, place, revision = done
            if place.revision == revision and self.by_qid.get(facts.qid) is place:
                return place, "unchanged"
        place, outcome = self._ensure(facts)
        self.applied[id(facts)] = (facts, place, place.revision)
        if facts.ref:
            self.by_ref[facts.ref] = place
            self.ref_of[id(place)] = facts.ref
        return place, outcome

    def _ensure(self, facts: PlaceFacts) -> tuple[Place, str]:
        facts.check()
        existing = self.find(facts)
        given = facts.given()
        if existing is None:
            place = self._create(facts, given)
            self._add_names(place, facts)
            self.audits.append(("create", "municipality", place, None, given))
            return place, "created"
        if existing.names is None:
            self._read_names([existing])
        changes = {k: v for k, v in given.items() if k != "name" and existing.row[k] != v}
        added = self._add_names(existing, facts)
        if changes:
            before = {k: existing.row[k] for k in changes}
            self._change(existing, changes)
            self.audits.append(("update", "municipality", existing, before, changes))
        return existing, ("updated" if changes or added else "unchanged")

    def _create(self, facts: PlaceFacts, given: dict[str, Any]) -> Place:
        row: dict[str, Any] = {c.name: None for c in municipality.columns if c.name != "id"}
        row.update(given, qid=facts.qid, name_folded=fold(facts.name), version=1)
        row["kind"] = row["kind"] or "municipality"
        row.update(created_at=self.now, updated_at=self.now)
        place = Place(row, new=True, names=set())
        self.new.append(place)
        self._register(place)
        return place

    def _change(self, place: Place, changes: dict[str, Any]) -> None:
        before_row, before_changed = dict(place.row), dict(place.changed)
        self._unregister(place)
        place.row.update(changes, version=place.row["version"] + 1)
        place.changed.update(changes)
        place.updates += 1
        before_revision, place.revision = place.revision, next(_REVISIONS)
        self._register(place)
        if not place.new:
            self.touched.add(place)

        def restore() -> None:
            self._unregister(place)
            place.row.clear()
            place.row.update(before_row)
            place.changed.clear()
            place.changed.update(before_changed)
            place.updates -= 1
            place.revision = before_revision
            self._register(place)

        assert self.mark is not None
        self.mark.undo.append(restore)

    def _add_names(self, place: Place, facts: PlaceFacts) -> int:
        have = place.names
        assert have is not None
        new = new_names(have, facts)
        if not new:
            return 0
        have.update(new)
        self.name_rows += [(place, lang, n) for lang, n in new]
        before_revision, place.revision = place.revision, next(_REVISIONS)

        def restore() -> None:
            have.difference_update(new)
            place.revision = before_revision

        if self.mark is not None:
            self.mark.undo.append(restore)
        return len(new)

    # -- writing ---------------------------------------------------------------

    def flush(self) -> list[int]:
        """Write the batch's new places (ids come back in order), changes and names;
        returns the ids of the new places."""
        if self.new:
            ids = insert_rows(self.conn, municipality, [p.row for p in self.new], ids=True)
            for place, new_id in zip(self.new, ids, strict=True):
                place.id = new_id
                self.by_id[place.id] = place
        self._write_changes([p for p in self.touched if p.updates])
        self.touched = set()
        if self.name_rows:
            insert_rows(
                self.conn,
                municipality_name,
                [
                    {
                        "municipality_id": p.id,
                        "lang": lang,
                        "name": n,
                        "folded": fold(n),
                        "folded_alt": fold_alt(n),
                    }
                    for p, lang, n in self.name_rows
                ],
            )
        created = [p.id for p in self.new if p.id is not None]
        for place in self.new:
            place.new, place.changed, place.updates = False, {}, 0
        self.new, self.name_rows = [], []
        return created

    def _write_changes(self, places: list[Place]) -> None:
        groups: dict[tuple[str, ...], list[Place]] = {}
        for p in places:
            groups.setdefault(tuple(sorted(p.changed)), []).append(p)
        for columns, members in groups.items():
            values: dict[str, Any] = {c: bindparam(f"v_{c}") for c in columns}
            statement = (
                update(municipality)
                .where(municipality.c.id == bindparam("v_id"))
                .values(
                    **values,
                    updated_at=bindparam("v_now"),
                    version=municipality.c.version + bindparam("v_n"),
                )
            )
            self.conn.execute(
                statement,
                [
                    {"v_id": p.id, "v_now": self.now, "v_n": p.updates}
                    | {f"v_{c}": p.changed[c] for c in columns}
                    for p in members
                ],
            )
        for p in places:
            p.changed, p.updates = {}, 0

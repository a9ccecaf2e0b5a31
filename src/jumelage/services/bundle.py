"""Loading a dataset bundle (the bundled registry, or the small test fixture).

A bundle is a folder of CSV files (optionally gzip-compressed) written by the
dataset build: municipalities, names, links, link_sources, events (dated facts
from the chronicle), successions, and the curation queue's candidates
(curation.jsonl). Loading is one bulk write into an empty registry, followed by
the chronicle's events through the lifecycle services.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson
from sqlalchemy import Engine, func, select, update

from jumelage.domain.names import fold, fold_alt
from jumelage.errors import Conflict
from jumelage.services import writing
from jumelage.services.curation import add_items
from jumelage.services.lifecycle import ChronicleEvent, apply_chronicle_event, merge_municipality
from jumelage.store.bulk import insert_rows
from jumelage.store.db import sync_sequences
from jumelage.store.schema import (
    link,
    link_event,
    link_source,
    municipality,
    municipality_name,
    registry_state,
)

# The source whose statements carry a link's start and end years (see the dataset build).
DATED_SOURCE = "wikidata-temporal-2017"

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "bundled"
FIXTURE = Path(__file__).resolve().parent.parent / "data" / "fixture"

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _open(folder: Path, stem: str) -> IO[str] | None:
    if (folder / f"{stem}.csv.gz").exists():
        return gzip.open(folder / f"{stem}.csv.gz", "rt", encoding="utf-8", newline="")
    if (folder / f"{stem}.csv").exists():
        return (folder / f"{stem}.csv").open(encoding="utf-8", newline="")
    return None


CURATION_FILE = "curation.jsonl"  # the build's candidates for the curation queue


def read_candidates(folder: Path) -> list[dict[str, Any]]:
    """The curation queue's candidates a bundle carries (none when it has no file)."""
    path = folder / CURATION_FILE
    if not path.exists():
        return []
    with path.open("rb") as handle:
        return [orjson.loads(line) for line in handle if line.strip()]


def read_rows(folder: Path, stem: str) -> list[dict[str, str]]:
    handle = _open(folder, stem)
    if handle is None:
        return []
    with handle:
        return list(csv.DictReader(handle))


def _opt_int(text: str) -> int | None:
    return int(text) if text.strip() else None


def _opt_float(text: str) -> float | None:
    return float(text) if text.strip() else None


def _opt(text: str) -> str | None:
    return text if text.strip() else None


@dataclass
class LoadReport:
    municipalities: int = 0
    names: int = 0
    links: int = 0
    sources: int = 0
    events: int = 0
    successions: int = 0
    curation: int = 0  # items the build left for a curator
    skipped: bool = False
    stages: list[str] = field(default_factory=list)


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _municipality_rows(raw: list[dict[str, str]], now: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": int(r["id"]),
            "qid": _opt(r["qid"]),
            "name": r["name"],
            "name_folded": fold(r["name"]),
            "kind": r.get("kind") or "municipality",
            "country": _opt(r["country"]),
            "admin_area": _opt(r.get("admin_area", "")),
            "admin_code": _opt(r.get("admin_code", "")),
            "lat": _opt_float(r["lat"]),
            "lon": _opt_float(r["lon"]),
            "population": _opt_int(r.get("population", "")),
            "population_year": _opt_int(r.get("population_year", "")),
            "population_source": _opt(r.get("population_source", "")),
            "geonames_id": _opt_int(r.get("geonames_id", "")),
            "created_at": now,
            "updated_at": now,
        }
        for r in raw
    ]


def _name_rows(
    raw: list[dict[str, str]], municipalities: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    seen: set[tuple[int, str, str]] = set()
    rows = []
    # The display name is searchable even when no names file lists it.
    pairs = [(m["id"], "und", m["name"]) for m in municipalities]
    pairs += [(int(r["municipality_id"]), r["lang"] or "und", r["name"]) for r in raw]
    held = {(mid, n) for mid, lang, n in pairs if lang != "und"}
    for mid, lang, name in pairs:
        if not name or (lang == "und" and (mid, name) in held) or (mid, lang, name) in seen:
            continue
        seen.add((mid, lang, name))
        rows.append(
            {
                "municipality_id": mid,
                "lang": lang,
                "name": name,
                "folded": fold(name),
                "folded_alt": fold_alt(name),
            }
        )
    return rows


def _link_rows(raw: list[dict[str, str]], now: Any) -> list[dict[str, Any]]:
    rows = []
    for r in raw:
        status = r.get("status") or "active"
        rows.append(
            {
                "id": int(r["id"]),
                "a_id": int(r["a_id"]),
                "b_id": int(r["b_id"]),
                "level": r.get("level") or "partnership",
                "status": status,
                "status_a": status,
                "status_b": status,
                "start_date": _opt(r.get("start_date", "")),
                "end_date": _opt(r.get("end_date", "")),
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def _dated_events(
    links: list[dict[str, Any]], sources: list[dict[str, Any]], actor: str, now: Any
) -> list[dict[str, Any]]:
    """The signing and ending a dated statement gives a link, with that statement as source."""
    dated_by = {s["link_id"]: s["reference"] for s in sources if s["source"] == DATED_SOURCE}
    events = []
    for row in links:
        reference = dated_by.get(row["id"])
        if reference is None:
            continue
        for kind, day in (("signed", row["start_date"]), ("ended", row["end_date"])):
            if day:
                events.append(
                    {
                        "link_id": row["id"],
                        "kind": kind,
                        "date": day,
                        "from_value": "active" if kind == "ended" else None,
                        "to_value": "ended" if kind == "ended" else None,
                        "source": reference,
                        "actor": actor,
                        "recorded_at": now,
                    }
                )
    return events


def _source_rows(raw: list[dict[str, str]]) -> list[dict[str, Any]]:
    return [
        {
            "link_id": int(r["link_id"]),
            "source": r["source"],
            "as_of": _opt(r["as_of"]),
            "reference": r.get("reference", ""),
            "name_a": _opt(r.get("name_a", "")),
            "name_b": _opt(r.get("name_b", "")),
        }
        for r in raw
    ]


def registry_is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return not conn.execute(select(func.count()).select_from(municipality)).scalar()


def load_bundle(
    engine: Engine,
    folder: Path = BUNDLED,
    actor: str = "jumelage init",
    progress: Progress | None = None,
) -> LoadReport:
    """Load a bundle into an empty registry; a registry with data is left alone."""
    report = LoadReport()
    if not registry_is_empty(engine):
        report.skipped = True
        return report
    if (
        not (folder / "municipalities.csv.gz").exists()
        and not (folder / "municipalities.csv").exists()
    ):
        raise Conflict(f"no dataset bundle in {folder}")
    tick: Progress = progress or (lambda _stage, _done, _total: None)
    raw = {stem: read_rows(folder, stem) for stem in _STEMS}
    with writing(engine, actor) as w:
        if w.conn.execute(select(func.count()).select_from(municipality)).scalar():
            raise Conflict("the registry was filled while the bundle was being read")
        muni = _municipality_rows(raw["municipalities"], w.now)
        links = _link_rows(raw["links"], w.now)
        events = [
            {
                "link_id": r["id"],
                "kind": "recorded",
                "date": None,
                "from_value": None,
                "to_value": r["level"],
                "source": "dataset bundle",
                "actor": w.actor,
                "recorded_at": w.now,
            }
            for r in links
        ]
        sources = _source_rows(raw["link_sources"])
        events += _dated_events(links, sources, w.actor, w.now)
        tables = [
            ("municipalities", municipality, muni),
            ("names", municipality_name, _name_rows(raw["names"], muni)),
            ("links", link, links),
            ("sources", link_source, sources),
            ("history", link_event, events),
        ]
        total = sum(len(rows) for _, _, rows in tables)
        done = 0
        for stage, table, rows in tables:
            for chunk in _chunks(rows, 5000):
                insert_rows(w.conn, table, chunk)
                done += len(chunk)
                tick(stage, done, total)
            report.stages.append(stage)
        report.municipalities, report.names, report.links = len(muni), len(tables[1][2]), len(links)
        report.sources = len(tables[3][2])
        sync_sequences(w.conn)
        _apply_chronicle(w, raw["events"], raw["successions"], report)
        report.curation = add_items(w, read_candidates(folder), "build")
        w.audit(
            "load_bundle",
            "registry",
            None,
            None,
            {
                "folder": folder.name,
                "municipalities": report.municipalities,
                "links": report.links,
            },
        )
        w.conn.execute(
            update(registry_state)
            .where(registry_state.c.id == 1)
            .values(bundled_dataset=folder.name)
        )
    tick("done", total, total)
    return report


_STEMS = ("municipalities", "names", "links", "link_sources", "events", "successions")


def _apply_chronicle(
    w: Any, events: list[dict[str, str]], successions: list[dict[str, str]], report: LoadReport
) -> None:
    """Replay dated facts and mergers in date order through the lifecycle services."""
    timeline: list[tuple[str, int, Any]] = []
    for r in events:
        timeline.append(
            (
                r["date"],
                1,
                ChronicleEvent(
                    a_id=int(r["a_id"]),
                    b_id=int(r["b_id"]),
                    event=r["event"],
                    date=r["date"],
                    side_id=_opt_int(r.get("side_id", "")),
                    note=r.get("note", ""),
                    source=r.get("source", ""),
                ),
            )
        )
    for r in successions:
        timeline.append((r["date"], 0, r))
    for _date, order, item in sorted(timeline, key=lambda t: (t[0], t[1])):
        if order == 0:
            merge_municipality(
                w,
                int(item["predecessor_id"]),
                int(item["successor_id"]),
                item["date"] or None,  # an empty date: the sources give none
                item.get("source", ""),
            )
            report.successions += 1
        else:
            apply_chronicle_event(w, item)
            report.events += 1

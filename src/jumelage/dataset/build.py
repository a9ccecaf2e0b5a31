"""The dataset build: sources and gazetteers in, the bundled CSV files and their report out."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from jumelage.dataset.countries import compatible
from jumelage.dataset.curation import Places, duplicate_figures, write_candidates
from jumelage.dataset.gazetteer import Gazetteer, default_paths, load_gazetteer
from jumelage.dataset.joint import joint_partners
from jumelage.dataset.linking import (
    LEVEL,
    DatedCounts,
    Event,
    LinkDates,
    LinkTable,
    Succession,
    chronicle_events,
    chronicle_links,
    link_dates,
    successions,
)
from jumelage.dataset.nations import (
    Relabel,
    relabel_mislabelled,
    relabel_vandalised,
    settle_party,
)
from jumelage.dataset.outlines import PointCheck, check_place, load_outlines
from jumelage.dataset.output import write_csv_gz
from jumelage.dataset.places import Place, build_place, place_exonym
from jumelage.dataset.prepare import Node, prepare
from jumelage.dataset.report import Figures, render_report
from jumelage.dataset.resolve import SAME_BODY, Resolver, Uncertain
from jumelage.dataset.sources import dated_links, read_all, read_dated, read_network_members
from jumelage.dataset.successions import Found, as_successions, find_successions

FILES = (
    "municipalities.csv.gz",
    "names.csv.gz",
    "links.csv.gz",
    "link_sources.csv.gz",
    "events.csv.gz",
    "successions.csv.gz",
    "uncertain.csv.gz",
)
REPORT = "BUILD-REPORT.md"


@dataclass
class BuildReport:
    """What a build produced: figures, file hashes and the rendered report."""

    out: Path
    duration_s: float
    municipalities: int
    links: int
    uncertain: int
    self_links: int
    sha256: dict[str, str] = field(default_factory=dict)
    text: str = ""


@dataclass
class Result:
    places: list[Place]
    place_of: dict[str, int]
    table: LinkTable
    events: list[Event]
    successions: list[Succession]
    uncertain: list[tuple[int, int, Uncertain]]
    nodes: dict[str, Node]
    merges: Counter[str]
    relabels: list[Relabel] = field(default_factory=list)
    dates: dict[tuple[int, int], LinkDates] = field(default_factory=dict)
    dated: DatedCounts = field(default_factory=DatedCounts)
    vandalised: list[Relabel] = field(default_factory=list)
    exonyms: list[tuple[str, str, str]] = field(default_factory=list)
    checks: list[PointCheck] = field(default_factory=list)
    partnered: list[tuple[str, str, str, int]] = field(default_factory=list)
    unconfirmed: list[tuple[str, str, str, int, float | None]] = field(default_factory=list)
    duplicates_before: dict[str, int] = field(default_factory=dict)
    found_successions: list[Found] = field(default_factory=list)


def unmerged(nodes: dict[str, Node], links: list[tuple[str, str]]) -> Places:
    """The input before resolution: every source mention a place of its own, with what the
    gazetteers told of it (country, point), linked as its source links it."""
    number = {key: i for i, key in enumerate(sorted(nodes), start=1)}
    rows = [
        {
            "id": str(number[key]),
            "qid": node.mention.qid,
            "name": node.mention.name,
            "country": node.country or "",
            "lat": "" if node.lat is None else str(node.lat),
            "lon": "" if node.lon is None else str(node.lon),
        }
        for key, node in nodes.items()
    ]
    return Places(rows, ((number[a], number[b]) for a, b in links))


def _place_sort_key(place: Place) -> tuple[int, str, str, float, float, str]:
    qnum = int(place.qid[1:]) if place.qid[1:].isdigit() else 1 << 62
    return (qnum, place.country, place.name, place.lat or 0.0, place.lon or 0.0, place.root)


def _places(
    gaz: Gazetteer,
    resolver: Resolver,
    exonyms: list[tuple[str, str, str]] | None = None,
    checks: list[PointCheck] | None = None,
) -> tuple[list[Place], dict[str, int]]:
    clusters = resolver.clusters
    outlines = load_outlines() if checks is not None else {}
    places = []
    for root in clusters.roots():
        summary = clusters.summary[root]
        nodes = [resolver.nodes[k] for k in sorted(summary.keys)]
        anchor = (summary.anchor[2], summary.anchor[3]) if summary.anchor else None
        place = build_place(gaz, root, nodes, anchor)
        settle_party(gaz, place, nodes)
        city = place_exonym(gaz, place, nodes)
        if city is not None and exonyms is not None:
            exonyms.append((place.name, city.name, city.country))
        if checks is not None:
            found = check_place(outlines, place, nodes, compatible)
            if found is not None:
                checks.append(found)
        body = next((b for b in SAME_BODY if b.kept == place.qid), None)
        if body is not None:
            place.name, place.kind = body.name, body.kind
            place.names.add(("und", body.name))
        places.append(place)
    places.sort(key=_place_sort_key)
    place_of: dict[str, int] = {}
    for number, place in enumerate(places, start=1):
        place.id = number
        for key in clusters.summary[place.root].keys:
            place_of[key] = number
    return places, place_of


def _uncertain(resolver: Resolver, place_of: dict[str, int]) -> list[tuple[int, int, Uncertain]]:
    seen: dict[tuple[int, int], tuple[int, int, Uncertain]] = {}
    for item in resolver.uncertain:
        a, b = place_of[item.a], place_of[item.b]
        if a == b:
            continue  # joined by other evidence after all
        pair = (min(a, b), max(a, b))
        if pair not in seen:
            seen[pair] = (a, b, item)
    return [seen[p] for p in sorted(seen)]


def _with_joint(
    uncertain: list[tuple[int, int, Uncertain]], joint: list[tuple[int, int, Uncertain]]
) -> list[tuple[int, int, Uncertain]]:
    """The resolver's uncertain matches and the joint partners of rule `joint-partner` that
    are not among them, in pair order."""
    pairs = {(min(a, b), max(a, b)) for a, b, _ in uncertain}
    extra = [item for item in joint if (min(item[0], item[1]), max(item[0], item[1])) not in pairs]
    return sorted(uncertain + extra, key=lambda item: (min(item[:2]), max(item[:2])))


def resolve(sources: Path, gaz: Gazetteer) -> Result:
    data, chronicle = read_all(sources)
    data.links.extend(chronicle_links(chronicle))
    dated = read_dated()
    counts = DatedCounts(statements=len(dated))
    stated, counts.unknown_items = dated_links(dated, data)
    data.links.extend(stated)
    relabels = relabel_mislabelled(data.mentions)
    vandalised = relabel_vandalised(gaz, data.mentions)
    nodes = {key: prepare(gaz, data.mentions[key]) for key in sorted(data.mentions)}
    resolver = Resolver(nodes, [(link.a, link.b) for link in data.links])
    resolver.run(gaz)
    exonyms: list[tuple[str, str, str]] = []
    checks: list[PointCheck] = []
    places, place_of = _places(gaz, resolver, exonyms, checks)
    by_id = {p.id: p for p in places}
    partnered = [
        (nodes[a].mention.name, by_id[place_of[b]].name, by_id[place_of[b]].country, ev.shared)
        for a, b, ev in resolver.log
        if ev.rule == "unplaced-partners"
    ]
    unconfirmed = [
        (
            nodes[a].mention.name,
            by_id[place_of[b]].name,
            by_id[place_of[b]].country,
            ev.shared,
            ev.distance,
        )
        for a, b, ev in resolver.log
        if ev.rule == "unconfirmed-point"
    ]
    table = LinkTable()
    for link in data.links:
        table.per_source[link.source] += 1
        table.add(place_of[link.a], place_of[link.b], link)
    chronicled = successions(chronicle, place_of)
    taken = {s.predecessor_id for s in chronicled} | {s.successor_id for s in chronicled}
    found = [
        f
        for f in find_successions(places, table)
        if f.predecessor.id not in taken and f.successor.id not in taken
    ]
    return Result(
        dates=link_dates(dated, place_of, table, counts),
        dated=counts,
        vandalised=vandalised,
        exonyms=sorted(exonyms),
        checks=checks,
        partnered=sorted(partnered),
        duplicates_before=duplicate_figures(unmerged(nodes, [(k.a, k.b) for k in data.links])),
        unconfirmed=sorted(unconfirmed, key=lambda u: (u[2], u[1], u[0])),
        places=places,
        place_of=place_of,
        table=table,
        events=chronicle_events(chronicle, place_of),
        successions=chronicled + as_successions(found),
        found_successions=found,
        uncertain=_with_joint(
            _uncertain(resolver, place_of), joint_partners(places, table, place_of)
        ),
        nodes=nodes,
        merges=resolver.merges,
        relabels=relabels,
    )


def _dates(dates: LinkDates | None) -> tuple[str, str, str]:
    return (dates.start, dates.end, dates.status) if dates is not None else ("", "", "active")


def _write(result: Result, out: Path) -> dict[str, str]:
    by_id = {p.id: p for p in result.places}
    sha = {}
    sha["municipalities.csv.gz"] = write_csv_gz(
        out / "municipalities.csv.gz",
        (
            "id",
            "qid",
            "name",
            "kind",
            "country",
            "admin_area",
            "admin_code",
            "lat",
            "lon",
            "population",
            "population_year",
            "population_source",
            "geonames_id",
        ),
        (
            (
                p.id,
                p.qid,
                p.name,
                p.kind,
                p.country,
                p.admin_area,
                p.admin_code,
                p.lat,
                p.lon,
                p.population,
                p.population_year,
                p.population_source,
                p.geonames_id,
            )
            for p in result.places
        ),
    )
    sha["names.csv.gz"] = write_csv_gz(
        out / "names.csv.gz",
        ("municipality_id", "lang", "name"),
        ((p.id, lang, name) for p in result.places for lang, name in sorted(p.names) if name),
    )
    numbered = result.table.numbered()
    sha["links.csv.gz"] = write_csv_gz(
        out / "links.csv.gz",
        ("id", "a_id", "b_id", "level", "start_date", "end_date", "status"),
        ((i, a, b, LEVEL, *_dates(result.dates.get((a, b)))) for i, a, b in numbered),
    )
    sha["link_sources.csv.gz"] = write_csv_gz(
        out / "link_sources.csv.gz",
        ("link_id", "source", "as_of", "reference", "name_a", "name_b"),
        (
            (i, s.source, s.as_of, s.reference, s.name_a, s.name_b)
            for i, a, b in numbered
            for s in sorted(
                result.table.pairs[(a, b)],
                key=lambda s: (s.source, s.as_of, s.reference, s.name_a, s.name_b),
            )
        ),
    )
    sha["events.csv.gz"] = write_csv_gz(
        out / "events.csv.gz",
        ("a_id", "b_id", "event", "date", "side_id", "note", "source"),
        ((e.a_id, e.b_id, e.event, e.date, e.side_id, e.note, e.source) for e in result.events),
    )
    sha["successions.csv.gz"] = write_csv_gz(
        out / "successions.csv.gz",
        ("predecessor_id", "successor_id", "date", "source"),
        ((s.predecessor_id, s.successor_id, s.date, s.source) for s in result.successions),
    )
    sha["uncertain.csv.gz"] = write_csv_gz(
        out / "uncertain.csv.gz",
        (
            "a_id",
            "a_name",
            "a_source_name",
            "b_id",
            "b_name",
            "b_source_name",
            "distance_km",
            "name_score",
            "shared_partners",
            "reason",
        ),
        (
            (
                a,
                by_id[a].name,
                result.nodes[u.a].mention.name,
                b,
                by_id[b].name,
                result.nodes[u.b].mention.name,
                round(u.distance, 1) if u.distance is not None else None,
                round(u.score),
                u.shared,
                u.reason,
            )
            for a, b, u in result.uncertain
        ),
    )
    return sha


def build(sources: Path, out: Path, gazetteer: Gazetteer | None = None) -> BuildReport:
    """Build the bundled dataset from `sources` into `out`."""
    started = time.perf_counter()
    gaz = gazetteer if gazetteer is not None else load_gazetteer(*default_paths())
    result = resolve(sources, gaz)
    out.mkdir(parents=True, exist_ok=True)
    sha = _write(result, out)
    # The curation queue's candidates, from the files just written.
    write_candidates(out)
    duration = time.perf_counter() - started
    figures = Figures.collect(
        result.places,
        result.table,
        result.events,
        result.successions,
        result.uncertain,
        result.nodes,
        result.place_of,
        read_network_members(sources),
        result.merges,
        result.relabels,
    )
    figures.dated = result.dated
    figures.vandalised = result.vandalised
    figures.exonyms = result.exonyms
    figures.checks = result.checks
    figures.partnered = result.partnered
    figures.unconfirmed = result.unconfirmed
    figures.found_successions = result.found_successions
    figures.duplicates = (result.duplicates_before, duplicate_figures(Places.of_folder(out)))
    text = render_report(figures, duration, sha)
    (out / REPORT).write_text(text, encoding="utf-8")
    return BuildReport(
        out=out,
        duration_s=duration,
        municipalities=len(result.places),
        links=len(result.table.pairs),
        uncertain=len(result.uncertain),
        self_links=sum(result.table.self_links.values()),
        sha256=sha,
        text=text,
    )

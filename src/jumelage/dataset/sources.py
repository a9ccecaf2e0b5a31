"""Readers for the source files: every place a source names becomes a `Mention`, every pair a
`SourceLink` between two mention keys. Nothing is resolved here."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from jumelage.dataset.countries import normalise_country
from jumelage.domain.names import fold

WIKIDATA_2016 = "wikidata-2016"
WIKIDATA_2017 = "wikidata-2017-eu"
WIKIPEDIA_2026 = "wikipedia-2026"
CHRONICLE = "chronicle"
WIKIDATA_DATED = "wikidata-temporal-2017"

W16_DIR = "sources/wikidata-2016-l3viathan"
W17_DIR = "sources/wikidata-2017-eu-rogorido"
W26_DIR = "sources/wikipedia-2026-hekman"


@dataclass
class Mention:
    """A place as one source names it."""

    key: str
    source: str
    name: str
    lang: str
    countries: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    qid: str = ""
    population: int | None = None
    extra_names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SourceLink:
    source: str
    as_of: str
    reference: str
    a: str
    b: str
    name_a: str
    name_b: str


@dataclass
class SourceData:
    mentions: dict[str, Mention] = field(default_factory=dict)
    links: list[SourceLink] = field(default_factory=list)

    def add(self, mention: Mention) -> Mention:
        known = self.mentions.get(mention.key)
        if known is None:
            self.mentions[mention.key] = mention
            return mention
        for code in mention.countries:
            if code not in known.countries:
                known.countries = (*known.countries, code)
        if known.population is None:
            known.population = mention.population
        return known


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _int(text: str) -> int | None:
    try:
        return int(float(text))
    except ValueError:
        return None


def read_wikidata_2016(root: Path, data: SourceData) -> None:
    folder = root / W16_DIR
    labels: dict[str, str] = {}
    with (folder / "names.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            qid, _, label = line.rstrip("\n").partition("\t")
            if qid:
                labels[qid] = label.strip()
    with (folder / "relations.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) != 2:
                continue
            for qid in parts:
                data.add(Mention(f"q:{qid}", WIKIDATA_2016, labels.get(qid, qid), "und", qid=qid))
            a, b = parts
            data.links.append(
                SourceLink(
                    WIKIDATA_2016,
                    "2016-09",
                    "Wikidata P190",
                    f"q:{a}",
                    f"q:{b}",
                    labels.get(a, a),
                    labels.get(b, b),
                )
            )


def _w17_mention(name: str, country: str, lat: str, lon: str, pop: str) -> Mention:
    flat, flon = _float(lat), _float(lon)
    code = normalise_country(country, flon)
    pos = f"{flat:.4f}|{flon:.4f}" if flat is not None and flon is not None else "|"
    return Mention(
        f"w17:{name}|{pos}",
        WIKIDATA_2017,
        name.strip(),
        "en",
        countries=(code,) if code else (),
        lat=flat,
        lon=flon,
        population=_int(pop),
    )


def read_wikidata_2017(root: Path, data: SourceData) -> None:
    for path in sorted((root / W17_DIR).glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                a = data.add(
                    _w17_mention(
                        row["origincityLabel"],
                        row["origincountry"],
                        row["originlat"],
                        row["originlong"],
                        row["originpopulation"],
                    )
                )
                b = data.add(
                    _w17_mention(
                        row["sistercityLabel"],
                        row["destination_countryLabel"],
                        row["destinationlat"],
                        row["destinationlong"],
                        row["destinationpopulation"],
                    )
                )
                data.links.append(
                    SourceLink(
                        WIKIDATA_2017,
                        "2017-07",
                        f"Wikidata P190 (EU export: {path.stem})",
                        a.key,
                        b.key,
                        a.name,
                        b.name,
                    )
                )


def _w26_coordinates(folder: Path) -> dict[tuple[str, str], tuple[float, float]]:
    coords: dict[tuple[str, str], tuple[float, float]] = {}
    with (folder / "app_public_twin_cities.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for side in ("1", "2"):
                lat, lon = _float(row["lat" + side]), _float(row["lng" + side])
                if lat is not None and lon is not None:
                    coords.setdefault((row["city" + side], row["country" + side]), (lat, lon))
    return coords


def _w26_mention(
    city: str, country: str, coords: dict[tuple[str, str], tuple[float, float]]
) -> Mention:
    lat, lon = coords.get((city, country), (None, None))
    code = normalise_country(country, lon) or normalise_country(city, lon)
    name = city.strip()
    if not country.strip() and "," in name and code:
        name = name.split(",", 1)[0].strip()  # "Varna, Bulgaria" with the country left empty
    return Mention(
        f"w26:{city}|{country}",
        WIKIPEDIA_2026,
        name,
        "en",
        countries=(code,) if code else (),
        lat=lat,
        lon=lon,
    )


def read_wikipedia_2026(root: Path, data: SourceData) -> None:
    folder = root / W26_DIR
    coords = _w26_coordinates(folder)
    with (folder / "twin_cities_raw.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            a = data.add(_w26_mention(row["city1"], row["country1"], coords))
            b = data.add(_w26_mention(row["city2"], row["country2"], coords))
            page = row["country1"].strip()
            data.links.append(
                SourceLink(
                    WIKIPEDIA_2026,
                    "2026-02",
                    f"English Wikipedia: List of twin towns and sister cities in {page}",
                    a.key,
                    b.key,
                    row["city1"].strip(),
                    row["city2"].strip(),
                )
            )


def chronicle_key(name: str, qid: str, country: str) -> str:
    return f"q:{qid}" if qid else f"chr:{name}|{country}"


def read_chronicle_places(root: Path, data: SourceData) -> list[dict[str, str]]:
    """Mentions for the chronicle's places; returns its rows for the events."""
    with (root / "chronicle.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        for side in ("a", "b"):
            name, qid = row[f"municipality_{side}"].strip(), row[f"qid_{side}"].strip()
            code = normalise_country(row[f"country_{side}"])
            key = chronicle_key(name, qid, row[f"country_{side}"].strip())
            mention = data.add(
                Mention(
                    key,
                    CHRONICLE,
                    name,
                    "und",
                    countries=(code,) if code else (),
                    qid=qid,
                )
            )
            if name not in (mention.name, *mention.extra_names):
                mention.extra_names.append(name)
    return rows


# Wikidata P190 statements with their start (P580) and end (P582) qualifiers, to the year,
# from the Wikidata12k benchmark (Wikidata about 2017; CC0); shipped in the package.
DATED_FILE = (
    Path(__file__).resolve().parent.parent / "data" / "dated" / "wikidata-p190-dated-2017.tsv"
)
DATED_AS_OF = "2017"
DATED_REFERENCE = (
    "Wikidata P190 with start time (P580) and end time (P582), as kept in the Wikidata12k "
    "temporal benchmark (Wikidata about 2017)"
)


@dataclass(frozen=True)
class Dated:
    """A twinning statement of Wikidata with the years its qualifiers give."""

    a: str  # mention keys
    b: str
    start: str  # "1991" or ""
    end: str


def read_dated(path: Path = DATED_FILE) -> list[Dated]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Dated(
                f"q:{row['subject_qid'].strip()}",
                f"q:{row['object_qid'].strip()}",
                row["start_year"].strip(),
                row["end_year"].strip(),
            )
            for row in csv.DictReader(fh, delimiter="\t")
        ]


def dated_links(dated: list[Dated], data: SourceData) -> tuple[list[SourceLink], int]:
    """The statements whose two items a source already names, as source links; and how many
    statements name an item no other source knows (left out: nothing places it)."""
    links, unknown = [], 0
    for item in dated:
        a, b = data.mentions.get(item.a), data.mentions.get(item.b)
        if a is None or b is None:
            unknown += 1
            continue
        links.append(
            SourceLink(WIKIDATA_DATED, DATED_AS_OF, DATED_REFERENCE, a.key, b.key, a.name, b.name)
        )
    return links, unknown


def read_all(root: Path) -> tuple[SourceData, list[dict[str, str]]]:
    data = SourceData()
    read_wikidata_2016(root, data)
    read_wikidata_2017(root, data)
    read_wikipedia_2026(root, data)
    chronicle = read_chronicle_places(root, data)
    return data, chronicle


def read_network_members(root: Path) -> set[tuple[str, str]]:
    """(folded town name, country) of the Douzelage members, current and former, if the
    reference list is there; the report uses it to tell network links from partnerships."""
    path = root / "reference" / "douzelage_members.csv"
    if not path.exists():
        return set()
    with path.open(encoding="utf-8", newline="") as fh:
        return {(fold(row["town"]), row["country_iso2"].strip()) for row in csv.DictReader(fh)}

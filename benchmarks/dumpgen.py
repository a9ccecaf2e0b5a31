"""A generated Wikidata JSON dump (gzip) in the real format, for the dump importer.

    python benchmarks/dumpgen.py OUT.json.gz [--entities 200000] [--places 0]

The twinned part is real: the places with a Wikidata QID in jumelage's bundled
dataset and the links between them (9,876 places, 20,727 pairs; Wikidata facts,
CC0), with their labels in the languages held, countries, coordinates and
populations. A pair is stated from both sides with probability 0.964 and from one
side otherwise: the share of symmetric P190 pairs in the 2016 Wikidata crawl
(16,777 of 17,401 pairs). A quarter of the claims carry a P580 start date.

Around it, the items that make up most of a real dump: scholarly articles,
humans, taxa and other items without P17/P625 (85 % of all entities, with the
twinned places and other places making up the remaining 15 %, about Wikidata's
share of items with a country or coordinates), country items with P297, and a
few properties. Entity lines are built from real statement shapes (GUIDs,
hashes, references), so they compress about as well as the real dump; their
sizes are drawn from log-normal distributions per kind (medians: articles
3.5 KB, humans 3 KB, taxa 2 KB, other items 1.2 KB, places 3.5 KB, twinned
places 20 KB, countries 150 KB) — smaller than in the real dump (whose mean
is above 10 KB), which makes per-line costs weigh more, not less. The file is
deterministic for given arguments.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import math
import random
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

BUNDLED = Path(__file__).resolve().parent.parent / "src" / "jumelage" / "data" / "bundled"
SYMMETRIC_SHARE = 16_777 / 17_401
DATED_SHARE = 0.25
PLACE_SHARE = 0.15
# Kinds of entity without P17/P625: (share among them, median bytes, sigma).
OTHER_KINDS = {
    "article": (0.45, 3500, 0.8),
    "human": (0.25, 3000, 0.9),
    "taxon": (0.08, 2000, 0.7),
    "other": (0.22, 1200, 0.7),
}
PLACE_SIZE = (3500, 0.9)
TWINNED_SIZE = (20_000, 0.8)
COUNTRY_SIZE = (150_000, 0.3)
PROPERTIES = 40
FILLER = {
    "article": ("P31", "P1476", "P50", "P2093", "P2860", "P577", "P356", "P698", "P921"),
    "human": ("P31", "P21", "P27", "P106", "P569", "P570", "P735", "P734", "P214", "P227"),
    "taxon": ("P31", "P225", "P105", "P171", "P846", "P685", "P815", "P3151"),
    "other": ("P31", "P373", "P910", "P301", "P971", "P4224"),
    "place": ("P31", "P131", "P421", "P281", "P473", "P856", "P1566", "P646", "P18", "P242"),
}
LANGS = (
    "en",
    "de",
    "fr",
    "es",
    "it",
    "nl",
    "pl",
    "cs",
    "pt",
    "sv",
    "da",
    "fi",
    "hu",
    "ro",
    "ru",
    "uk",
    "ja",
    "zh",
    "ar",
    "tr",
    "el",
    "bg",
    "hr",
    "sk",
    "sl",
    "et",
    "lv",
    "lt",
    "ca",
    "eu",
    "gl",
    "cy",
    "ga",
    "eo",
    "la",
    "nb",
    "nn",
    "is",
    "sq",
    "sr",
)
CALENDAR = "http://www.wikidata.org/entity/Q1985727"


@dataclass
class Place:
    qid: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    population: int | None
    names: dict[str, list[str]]
    twins: list[str]


class Maker:
    """Builds entity dicts; every random choice comes from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.next_qid = 200_000_000

    def qid(self) -> str:
        self.next_qid += self.rng.randint(1, 40)
        return f"Q{self.next_qid}"

    def guid(self, subject: str) -> str:
        h = f"{self.rng.getrandbits(128):032X}"
        return f"{subject}${h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def hash(self) -> str:
        return f"{self.rng.getrandbits(160):040x}"

    def size(self, median: float, sigma: float, cap: int = 2_000_000) -> int:
        return min(cap, int(median * math.exp(self.rng.gauss(0, sigma))))

    def snak(self, prop: str, datatype: str, value: Any, kind: str) -> dict[str, Any]:
        return {
            "snaktype": "value",
            "property": prop,
            "hash": self.hash(),
            "datavalue": {"value": value, "type": kind},
            "datatype": datatype,
        }

    def item_value(self, qid: str) -> dict[str, Any]:
        return {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid}

    def time_value(self, year: int, precision: int = 9) -> dict[str, Any]:
        return {
            "time": f"+{year:04d}-00-00T00:00:00Z",
            "timezone": 0,
            "before": 0,
            "after": 0,
            "precision": precision,
            "calendarmodel": CALENDAR,
        }

    def statement(
        self, subject: str, snak: dict[str, Any], qualifiers: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        found: dict[str, Any] = {"mainsnak": snak, "type": "statement"}
        if qualifiers:
            found["qualifiers"] = qualifiers
            found["qualifiers-order"] = list(qualifiers)
        found["id"] = self.guid(subject)
        found["rank"] = "normal"
        reference = {
            "P248": [
                self.snak("P248", "wikibase-item", self.item_value("Q328"), "wikibase-entityid")
            ],
            "P813": [self.snak("P813", "time", self.time_value(2020, 11), "time")],
        }
        found["references"] = [
            {"hash": self.hash(), "snaks": reference, "snaks-order": ["P248", "P813"]}
        ]
        return found

    def filler(self, subject: str, prop: str) -> dict[str, Any]:
        pick = self.rng.random()
        if pick < 0.6:
            snak = self.snak(
                prop,
                "wikibase-item",
                self.item_value(f"Q{self.rng.randint(1, 9**9)}"),
                "wikibase-entityid",
            )
        elif pick < 0.8:
            text = f"{self.rng.getrandbits(64):x}/{self.rng.randint(1, 10**6)}"
            snak = self.snak(prop, "external-id", text, "string")
        else:
            snak = self.snak(prop, "time", self.time_value(self.rng.randint(1500, 2024)), "time")
        return self.statement(subject, snak)

    def fill(self, entity: dict[str, Any], kind: str, target: int) -> dict[str, Any]:
        """Add statements of the kind's properties until the line is about `target` long."""
        claims: dict[str, list[Any]] = entity["claims"]
        props = FILLER[kind]
        size = len(orjson.dumps(entity))
        while size < target:
            prop = props[self.rng.randrange(len(props))]
            statement = self.filler(entity["id"], prop)
            claims.setdefault(prop, []).append(statement)
            size += len(orjson.dumps(statement)) + 2
        return entity

    def shell(self, qid: str, labels: dict[str, str]) -> dict[str, Any]:
        return {
            "type": "item",
            "id": qid,
            "labels": {lang: {"language": lang, "value": v} for lang, v in labels.items()},
            "descriptions": {"en": {"language": "en", "value": "Wikidata item"}},
            "aliases": {},
            "claims": {},
            "sitelinks": {},
        }

    def word(self) -> str:
        letters = "abcdefghijklmnopqrstuvwxyz"
        return "".join(self.rng.choice(letters) for _ in range(self.rng.randint(4, 10))).title()


def bundled_places(limit_id: int | None = None) -> list[Place]:
    def rows(stem: str) -> Iterator[dict[str, str]]:
        with gzip.open(BUNDLED / f"{stem}.csv.gz", "rt", encoding="utf-8", newline="") as f:
            yield from csv.DictReader(f)

    found: dict[str, Place] = {}
    for r in rows("municipalities"):
        if r["qid"] and (limit_id is None or int(r["id"]) <= limit_id):
            found[r["id"]] = Place(
                r["qid"],
                r["name"],
                r["country"] or None,
                float(r["lat"]) if r["lat"] else None,
                float(r["lon"]) if r["lon"] else None,
                int(r["population"]) if r["population"] else None,
                defaultdict(list),
                [],
            )
    for r in rows("names"):
        place = found.get(r["municipality_id"])
        if place is not None and r["lang"] in LANGS:
            place.names[r["lang"]].append(r["name"])
    for r in rows("links"):
        a, b = found.get(r["a_id"]), found.get(r["b_id"])
        if a is not None and b is not None:
            a.twins.append(b.qid)
    return [p for p in found.values() if p.twins or p.qid]


def twinned_entities(m: Maker, places: list[Place], countries: dict[str, str]) -> Iterator[Any]:
    by_qid = {p.qid: p for p in places}
    claims: dict[str, list[str]] = defaultdict(list)
    for place in places:
        for twin in place.twins:
            if m.rng.random() < SYMMETRIC_SHARE:
                claims[place.qid].append(twin)
                claims[twin].append(place.qid)
            elif m.rng.random() < 0.5:
                claims[place.qid].append(twin)
            else:
                claims[twin].append(place.qid)
    linked = {q for q in claims} | {t for ts in claims.values() for t in ts}
    for qid in sorted(linked):
        place = by_qid[qid]
        labels = {lang: names[0] for lang, names in place.names.items() if names}
        labels.setdefault("en", place.name)
        entity = m.shell(qid, labels)
        entity["aliases"] = {
            lang: [{"language": lang, "value": n} for n in names[1:]]
            for lang, names in place.names.items()
            if len(names) > 1
        }
        _place_claims(m, entity, place.country, place.lat, place.lon, place.population, countries)
        entity["claims"]["P190"] = [
            m.statement(
                qid,
                m.snak("P190", "wikibase-item", m.item_value(twin), "wikibase-entityid"),
                {"P580": [m.snak("P580", "time", m.time_value(m.rng.randint(1950, 2015)), "time")]}
                if m.rng.random() < DATED_SHARE
                else None,
            )
            for twin in claims.get(qid, [])
        ]
        entity["sitelinks"] = {
            f"{lang}wiki": {
                "site": f"{lang}wiki",
                "title": labels.get(lang, place.name),
                "badges": [],
            }
            for lang in LANGS[: m.rng.randint(5, len(LANGS))]
        }
        yield m.fill(entity, "place", m.size(*TWINNED_SIZE))


def _place_claims(
    m: Maker,
    entity: dict[str, Any],
    country: str | None,
    lat: float | None,
    lon: float | None,
    population: int | None,
    countries: dict[str, str],
) -> None:
    qid, claims = entity["id"], entity["claims"]
    if country is not None:  # a place without a known country states none (no P17)
        countries.setdefault(country, m.qid())
        claims["P17"] = [
            m.statement(
                qid,
                m.snak(
                    "P17", "wikibase-item", m.item_value(countries[country]), "wikibase-entityid"
                ),
            )
        ]
    if lat is None or lon is None:
        lat, lon = m.rng.uniform(-60, 70), m.rng.uniform(-180, 180)
    claims["P625"] = [
        m.statement(
            qid,
            m.snak(
                "P625",
                "globe-coordinate",
                {
                    "latitude": lat,
                    "longitude": lon,
                    "altitude": None,
                    "precision": 0.0001,
                    "globe": "http://www.wikidata.org/entity/Q2",
                },
                "globecoordinate",
            ),
        )
    ]
    if population:
        claims["P1082"] = [
            m.statement(
                qid,
                m.snak("P1082", "quantity", {"amount": f"+{population}", "unit": "1"}, "quantity"),
                {"P585": [m.snak("P585", "time", m.time_value(2017), "time")]},
            )
        ]


def other_places(
    m: Maker, count: int, codes: list[str], countries: dict[str, str]
) -> Iterator[Any]:
    for _ in range(count):
        entity = m.shell(m.qid(), {"en": m.word()})
        code = m.rng.choice(codes)
        _place_claims(
            m, entity, code, None, None, m.rng.choice((None, m.rng.randint(50, 90000))), countries
        )
        if m.rng.random() < 0.3:
            del entity["claims"]["P625"]
        yield m.fill(entity, "place", m.size(*PLACE_SIZE))


def country_entities(m: Maker, countries: dict[str, str]) -> Iterator[Any]:
    for code, qid in sorted(countries.items()):
        entity = m.shell(qid, {lang: f"Country {code}" for lang in LANGS})
        entity["claims"]["P297"] = [m.statement(qid, m.snak("P297", "external-id", code, "string"))]
        _place_claims(m, entity, None, None, None, None, {})
        entity["sitelinks"] = {
            f"{lang}wiki": {"site": f"{lang}wiki", "title": code, "badges": []} for lang in LANGS
        }
        yield m.fill(entity, "place", m.size(*COUNTRY_SIZE))


def unplaced(m: Maker, count: int) -> Iterator[Any]:
    kinds = list(OTHER_KINDS)
    weights = [OTHER_KINDS[k][0] for k in kinds]
    for _ in range(count):
        kind = m.rng.choices(kinds, weights)[0]
        _share, median, sigma = OTHER_KINDS[kind]
        entity = m.shell(m.qid(), {"en": f"{m.word()} {m.word()}"})
        yield m.fill(entity, kind, m.size(median, sigma))


def properties(m: Maker) -> Iterator[Any]:
    for number in range(PROPERTIES):
        entity = m.shell(f"P{90000 + number}", {lang: m.word() for lang in LANGS})
        entity["type"] = "property"
        entity["datatype"] = "external-id"
        yield entity


@dataclass
class Composition:
    entities: int = 0
    bytes: int = 0
    twinned: int = 0
    with_p190: int = 0
    p190_claims: int = 0
    places: int = 0
    countries: int = 0
    properties: int = 0
    unplaced: int = 0


def generate(out: Path, entities: int, limit_id: int | None, seed: int = 2026) -> Composition:
    m = Maker(seed)
    places = bundled_places(limit_id)
    countries: dict[str, str] = {}
    twinned: list[bytes] = []
    with_p190 = claims = 0
    for entity in twinned_entities(m, places, countries):
        with_p190 += bool(entity["claims"]["P190"])
        claims += len(entity["claims"]["P190"])
        twinned.append(orjson.dumps(entity))
    codes = sorted(countries) or ["DE"]
    n_places = max(0, int(entities * PLACE_SHARE) - len(twinned))
    lines = twinned + [orjson.dumps(e) for e in other_places(m, n_places, codes, countries)]
    lines += [orjson.dumps(e) for e in country_entities(m, countries)]
    lines += [orjson.dumps(e) for e in properties(m)]
    n_other = max(0, entities - len(lines))
    order = list(range(len(lines) + n_other))
    m.rng.shuffle(order)
    comp = Composition(
        twinned=len(twinned),
        with_p190=with_p190,
        p190_claims=claims,
        places=n_places,
        countries=len(countries),
        properties=PROPERTIES,
        unplaced=n_other,
    )
    others = unplaced(m, n_other)
    with _gzip_writer(out) as sink:
        sink.write(b"[\n")
        for position, index in enumerate(order):
            data = lines[index] if index < len(lines) else orjson.dumps(next(others))
            last = position == len(order) - 1
            sink.write(data + (b"\n" if last else b",\n"))
            comp.entities += 1
            comp.bytes += len(data) + 2
        sink.write(b"]\n")
    return comp


class _gzip_writer:
    """Compress through the gzip program (another core) when there is one."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.process: subprocess.Popen[bytes] | None = None
        self.handle: IO[bytes] | None = None

    def __enter__(self) -> IO[bytes]:
        if shutil.which("gzip"):
            self.file = self.out.open("wb")
            self.process = subprocess.Popen(
                ["gzip", "-6", "-c"], stdin=subprocess.PIPE, stdout=self.file
            )
            assert self.process.stdin is not None
            return self.process.stdin
        self.handle = gzip.open(self.out, "wb", compresslevel=6)
        return self.handle

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait()
            self.file.close()
        elif self.handle is not None:
            self.handle.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--entities", type=int, default=200_000)
    parser.add_argument(
        "--limit-id",
        type=int,
        default=None,
        help="only bundled places with an id up to this (a smaller graph)",
    )
    args = parser.parse_args()
    print(generate(args.out, args.entities, args.limit_id))


if __name__ == "__main__":
    main()

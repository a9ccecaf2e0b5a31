"""Country strings of the sources, normalised to ISO 3166-1 alpha-2.

The Wikipedia lists use constituent countries ("England"), informal names ("Republic of
Ireland", "Georgia (country)"), qualified names ("Rauma, Norway") and a few misspellings;
the 2017 Wikidata export uses item labels, including historical states. Everything that
does not name a present-day country or territory maps to None, and the caller falls back on
coordinates.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache

import pycountry

from jumelage.domain.names import fold

# Names pycountry does not know, misspellings seen in the sources, and constituent countries.
_ALIASES: dict[str, str] = {
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "united kingdom": "GB",
    "uk": "GB",
    "republic of ireland": "IE",
    "ireland": "IE",
    "georgia country": "GE",
    "russia": "RU",
    "turkey": "TR",
    "turkiye": "TR",
    "ivory coast": "CI",
    "cape verde": "CV",
    "east timor": "TL",
    "timor leste": "TL",
    "palestine": "PS",
    "state of palestine": "PS",
    "palestinian territories": "PS",
    "palestinian national authority": "PS",
    "west bank": "PS",
    "gaza strip": "PS",
    "kosovo": "XK",
    "brunei": "BN",
    "micronesia": "FM",
    "swaziland": "SZ",
    "democratic republic of the congo": "CD",
    "republic of the congo": "CG",
    "sao tome and principe": "ST",
    "macedonia": "MK",
    "republic of macedonia": "MK",
    "peoples republic of china": "CN",
    "kingdom of the netherlands": "NL",
    "northern cyprus": "CY",
    "turkish republic of northern cyprus": "CY",
    "transnistria": "MD",
    "somaliland": "SO",
    "luhansk peoples republic": "UA",
    "vatican city": "VA",
    "moldavia": "MD",
    "surinam": "SR",
    "grece": "GR",
    "japa": "JP",
    "kazakhstah": "KZ",
    "madagaskar": "MG",
    "island": "IS",
    "bosnia and hercegovina": "BA",
    "south korea": "KR",
    "north korea": "KP",
    "laos": "LA",
    "syria": "SY",
    "iran": "IR",
    "vietnam": "VN",
    "taiwan": "TW",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "the gambia": "GM",
    "the bahamas": "BS",
    "falkland islands": "FK",
    "american samoa": "AS",
    "czechia": "CZ",
}

# Former states in the 2017 export: no present-day country follows from the name.
_HISTORICAL = {
    "austrian empire",
    "austria hungary",
    "prussia",
    "kingdom of hungary",
    "soviet union",
    "yugoslavia",
    "czechoslovakia",
    "east germany",
    "west germany",
}

# Dependencies that the gazetteers file under their own code but a source may file under the
# sovereign state; both codes are accepted as "the same country" when comparing places.
_SOVEREIGN: dict[str, str] = {
    "AX": "FI",
    "FO": "DK",
    "GL": "DK",
    "RE": "FR",
    "GP": "FR",
    "MQ": "FR",
    "GF": "FR",
    "YT": "FR",
    "PF": "FR",
    "NC": "FR",
    "PM": "FR",
    "WF": "FR",
    "BL": "FR",
    "MF": "FR",
    "PR": "US",
    "GU": "US",
    "MP": "US",
    "AS": "US",
    "VI": "US",
    "JE": "GB",
    "GG": "GB",
    "IM": "GB",
    "GI": "GB",
    "FK": "GB",
    "BM": "GB",
    "CW": "NL",
    "AW": "NL",
    "SX": "NL",
    "XK": "RS",
    "EH": "MA",
    "HK": "CN",
    "MO": "CN",
}


def _lookup(name: str) -> str | None:
    key = fold(name)
    if not key:
        return None
    if key in _HISTORICAL:
        return None
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        return str(pycountry.countries.lookup(name.strip()).alpha_2)
    except LookupError:
        return None


def normalise_country(raw: str, lon: float | None = None) -> str | None:
    """ISO alpha-2 code of a source's country string, or None when it names no country.

    `lon` settles "Georgia": west of 30° W it is the US state, not the country.
    """
    text = raw.strip().strip("\"'“”").strip()
    if text.lower().startswith("in "):
        text = text[3:]
    if fold(text) == "georgia" and lon is not None and lon < -30:
        return "US"
    code = _lookup(text)
    if code is None and "," in text:
        # "Rauma, Norway", "Réunion, France", "New York, United States": the part after the
        # last comma names the state; a territory before it wins when it has its own code.
        head, _, tail = text.rpartition(",")
        code = _lookup(head) if _lookup(head) in _SOVEREIGN else _lookup(tail)
    return code


def sovereign(code: str) -> str:
    """The sovereign state's code of a dependency (itself for a sovereign state)."""
    return _SOVEREIGN.get(code, code)


def same_country(a: str | None, b: str | None) -> bool:
    """True when both codes are known and name the same state (dependencies included)."""
    return a is not None and b is not None and sovereign(a) == sovereign(b)


def compatible(a: str | None, b: str | None) -> bool:
    """True unless both codes are known and name different states."""
    return a is None or b is None or sovereign(a) == sovereign(b)


# Short and informal names of whole countries and dependencies that pycountry does not carry,
# as the English lists and German Wikidata labels write them. Parts of a country
# ("Transnistria", "Gaza Strip", "Northern Cyprus") are no country as a whole and stay out.
_INFORMAL_NAMES: dict[str, str] = {
    "Palestine": "PS",
    "Palästina": "PS",
    "Macau": "MO",
    "Russia": "RU",
    "Russland": "RU",
    "South Korea": "KR",
    "Südkorea": "KR",
    "North Korea": "KP",
    "Nordkorea": "KP",
    "Vatican City": "VA",
    "Vatikanstadt": "VA",
    "Ivory Coast": "CI",
    "Elfenbeinküste": "CI",
    "Cape Verde": "CV",
    "East Timor": "TL",
    "Osttimor": "TL",
    "Kosovo": "XK",
    "Brunei": "BN",
    "Syria": "SY",
    "Syrien": "SY",
    "Iran": "IR",
    "Vietnam": "VN",
    "Laos": "LA",
    "Turkey": "TR",
    "Türkei": "TR",
    "Czechia": "CZ",
    "Tschechien": "CZ",
    "The Bahamas": "BS",
    "The Gambia": "GM",
    "Falkland Islands": "FK",
    "Swaziland": "SZ",
    "Micronesia": "FM",
    "Moldova": "MD",
    "Tanzania": "TZ",
    "Venezuela": "VE",
    "Bolivia": "BO",
}


def _name_key(name: str) -> str:
    """Case and spacing do not matter, accents do: "México" is neither the English nor the
    German name of Mexico (in the German-labelled 2016 set it is the State of México)."""
    visible = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    return " ".join(visible.casefold().split())


@cache
def _country_names() -> dict[str, str]:
    german = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
    table: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name:
                table[_name_key(name)] = country.alpha_2
                table[_name_key(german.gettext(name))] = country.alpha_2
    for name, code in _INFORMAL_NAMES.items():
        table[_name_key(name)] = code
    return table


def country_named(name: str) -> str | None:
    """The ISO code of the country or dependency that `name` is the English or German name
    of ("Kenia", "Morocco", "Cayman Islands"), else None. Only the whole name counts: towns
    named like a country ("Greece", New York) are told apart by the caller."""
    return _country_names().get(_name_key(name))


def names_of_country(code: str) -> set[str]:
    """Folded English and German names of a country (for comparison with a capital's name)."""
    return {fold(key) for key, value in _country_names().items() if value == code}

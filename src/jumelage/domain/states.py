"""Sovereign states over time, so a link is attributed to the states of its date.

Wuppertal–Košice (1980) is a link between West Germany and Czechoslovakia;
Wuppertal–Schwerin (1987) one between the FRG and the GDR. A municipality keeps
its current ISO 3166-1 country; its state at a date comes from these periods.
Outside every period the current country is the answer.

Dates are the days on which the change took effect (last day inclusive).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from jumelage.errors import Invalid

D = dt.date


@dataclass(frozen=True)
class State:
    # ISO 3166-1 alpha-2 for today's states; for former ones the ISO 3166-3 alpha-2 code
    # where it is unambiguous (CS, SU, YU) and a short key otherwise (FRG, GDR, SCG).
    key: str
    name: str
    short: str


@dataclass(frozen=True)
class Period:
    state: State
    countries: tuple[str, ...]  # current ISO codes this period covers
    admin_codes: tuple[str, ...] | None  # None: the whole country
    start: D | None
    end: D | None  # inclusive
    note: str = ""

    def covers(self, country: str, admin_code: str | None, day: D) -> bool:
        if country not in self.countries:
            return False
        if self.admin_codes is not None and admin_code not in self.admin_codes:
            return False
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


GERMANY = State("DE", "Germany", "Germany")
FRG = State("FRG", "Federal Republic of Germany (West Germany)", "West Germany")
GDR = State("GDR", "German Democratic Republic (East Germany)", "GDR")
CZECHOSLOVAKIA = State("CS", "Czechoslovakia", "Czechoslovakia")
USSR = State("SU", "Union of Soviet Socialist Republics", "Soviet Union")
YUGOSLAVIA = State("YU", "Socialist Federal Republic of Yugoslavia", "Yugoslavia")
SERBIA_MONTENEGRO = State(
    "SCG", "Federal Republic of Yugoslavia / Serbia and Montenegro", "Serbia and Montenegro"
)
SERBIA_FOR_KOSOVO = State("RS", "Serbia", "Serbia")
ETHIOPIA = State("ET", "Ethiopia", "Ethiopia")
SUDAN = State("SD", "Sudan", "Sudan")

# The five Länder re-established in 1990 on the territory of the GDR. East Berlin
# is not told apart from West Berlin by the admin code; Berlin counts with the FRG.
GDR_LAENDER = ("DE-BB", "DE-MV", "DE-SN", "DE-ST", "DE-TH")
SOVIET_REPUBLICS = ("RU", "UA", "BY", "MD", "GE", "AM", "AZ", "KZ", "UZ", "TM", "KG", "TJ")
BALTIC_STATES = ("EE", "LV", "LT")

PERIODS: tuple[Period, ...] = (
    Period(GERMANY, ("DE",), None, None, D(1949, 5, 22), "German Reich; Allied occupation"),
    Period(GDR, ("DE",), GDR_LAENDER, D(1949, 10, 7), D(1990, 10, 2), "until reunification"),
    Period(GERMANY, ("DE",), GDR_LAENDER, D(1949, 5, 23), D(1949, 10, 6), "Soviet zone"),
    Period(FRG, ("DE",), None, D(1949, 5, 23), D(1990, 10, 2), "Basic Law to reunification"),
    Period(CZECHOSLOVAKIA, ("CZ", "SK"), None, D(1918, 10, 28), D(1992, 12, 31), ""),
    Period(USSR, SOVIET_REPUBLICS, None, D(1922, 12, 30), D(1991, 12, 25), ""),
    Period(USSR, BALTIC_STATES, None, D(1940, 8, 3), D(1991, 9, 5), "annexed 1940"),
    Period(YUGOSLAVIA, ("SI", "HR"), None, D(1918, 12, 1), D(1991, 6, 24), ""),
    Period(YUGOSLAVIA, ("MK",), None, D(1918, 12, 1), D(1991, 9, 7), ""),
    Period(YUGOSLAVIA, ("BA",), None, D(1918, 12, 1), D(1992, 3, 2), ""),
    Period(YUGOSLAVIA, ("RS", "ME", "XK"), None, D(1918, 12, 1), D(1992, 4, 26), ""),
    Period(SERBIA_MONTENEGRO, ("RS", "ME", "XK"), None, D(1992, 4, 27), D(2006, 6, 4), ""),
    Period(SERBIA_FOR_KOSOVO, ("XK",), None, D(2006, 6, 5), D(2008, 2, 16), ""),
    Period(ETHIOPIA, ("ER",), None, None, D(1993, 5, 23), "Eritrea independent 1993"),
    Period(SUDAN, ("SS",), None, None, D(2011, 7, 8), "South Sudan independent 2011"),
)

FORMER_STATES: dict[str, State] = {
    s.key: s for s in (FRG, GDR, CZECHOSLOVAKIA, USSR, YUGOSLAVIA, SERBIA_MONTENEGRO)
}


def current_state(country: str) -> State:
    import pycountry  # loads its tables on first use, not when the CLI starts

    record = pycountry.countries.get(alpha_2=country)
    if record is None:
        # XK (Kosovo) is user-assigned in ISO 3166 and absent from pycountry.
        name = "Kosovo" if country == "XK" else country
        return State(country, name, name)
    name = getattr(record, "common_name", None) or record.name
    return State(country, name, name)


def state_at(
    country: str,
    admin_code: str | None,
    day: D,
    periods: Iterable[Period] = PERIODS,
) -> State:
    """The sovereign state a place in `country` (today) belonged to on `day`.

    The first matching period wins, so more specific periods are listed first.
    """
    for period in periods:
        if period.covers(country, admin_code, day):
            return period.state
    return current_state(country)


def state_of_municipality_at(municipality: object, day: D) -> State:
    """`state_at` for any object with `country` and `admin_code` attributes or keys."""
    if isinstance(municipality, dict):
        country, admin = municipality["country"], municipality.get("admin_code")
    else:
        country = getattr(municipality, "country")  # noqa: B009
        admin = getattr(municipality, "admin_code", None)
    if not country:
        raise ValueError("the municipality has no country")
    return state_at(country, admin, day)


def is_country(code: str) -> bool:
    """Whether `code` is the ISO 3166-1 alpha-2 code of a country today (XK: Kosovo)."""
    import pycountry

    return code == "XK" or pycountry.countries.get(alpha_2=code) is not None


def checked_country(value: str, field: str = "country", former: bool = False) -> str:
    """A country as its ISO 3166-1 alpha-2 code, upper-cased ("de" → "DE"); with
    `former`, a former state's key (FRG, GDR, CS, SU, YU, SCG) too.

    Anything else is refused with Invalid (rule `iso`); a country's name is refused
    too, and the message names its code ("Germany": give DE), so every door asks
    for the same thing: the code.
    """
    code = value.strip().upper()
    if (len(code) == 2 and code.isalpha() and is_country(code)) or (
        former and code in FORMER_STATES
    ):
        return code
    import pycountry

    try:
        known = pycountry.countries.lookup(value.strip())
    except LookupError:
        known = None
    if known is not None:
        message = f"{field} wants an ISO 3166-1 code: give {known.alpha_2}, not {value!r}"
    else:
        message = f"{field}: {value!r} is not a country's ISO 3166-1 code; give one such as DE"
    raise Invalid(message, field=field, rule="iso")

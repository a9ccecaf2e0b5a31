"""Reasons in words: each group of inputs becomes one reason with its contribution.

The contributions of a candidate's reasons add up to its score (both rounded to
three decimals, the score as the sum of the rounded parts).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from babel import Locale

from jumelage.domain.states import FORMER_STATES, current_state
from jumelage.matching.features import CONTRAST_MOST_DECADES, NEAR_KM
from jumelage.matching.index import FloatArray, Index, languages_of

# Which inputs make up each reason, in the order reasons are told.
GROUPS: dict[str, tuple[str, ...]] = {
    "contacts": ("contacts",),
    "shared_partners": ("shared", "adamic_adar", "shared_of_mine", "shared_of_theirs"),
    "partners_of_partners": ("paths3", "walk3", "walk3_back"),
    "networks": ("networks",),
    "name": ("namesake",),
    "neighbours": ("theirs_near", "mine_near", "mine_in_region"),
    "its_partners_here": ("theirs_in_country", "theirs_in_region"),
    "your_partners_there": ("mine_in_country",),
    "country_pair": ("country_pair",),
    "region_pair": ("region_pair",),
    "kind": ("kind_pair", "region_for_town"),
    "size": ("size_gap", "size", "size_contrast"),
    "distance": ("distance", "distance2", "distance_abroad", "domestic"),
    "language": ("language",),
    "north_south": ("north_south",),
    "history": ("state_shared", "state_split"),
    "popularity": ("degree",),
}

_ENGLISH = Locale("en")


def country_name(code: str | None) -> str:
    return current_state(code).name if code else "an unknown country"


def state_name(key: str) -> str:
    state = FORMER_STATES.get(key)
    return state.short if state else country_name(key)


def language_name(code: str) -> str:
    return str(_ENGLISH.languages.get(code, code))


def _count(n: float, one: str, many: str) -> str:
    k = round(n)
    return f"{k} {one if k == 1 else many}"


def _whole(value: float) -> int:
    return round(float(value))


def _population(value: float) -> str:
    return f"{int(value):,}" if np.isfinite(value) else "unknown"


class Teller:
    """Words for the facts of one query municipality `u` and one candidate `v`.

    Each reason is told twice: in English words (the API's `text`) and as its
    facts (`params`: counts, country codes, region codes with their names), from
    which the pages word it in the reader's language.
    """

    def __init__(self, ix: Index, u: int, v: int, raw: dict[str, float], mode: str) -> None:
        self.ix, self.u, self.v, self.raw, self.mode = ix, u, v, raw, mode

    def country_code(self, i: int) -> str | None:
        code = int(self.ix.country[i])
        return self.ix.countries[code] if code >= 0 else None

    def country(self, i: int) -> str:
        return country_name(self.country_code(i))

    def region_ref(self, i: int) -> dict[str, str] | None:
        code = int(self.ix.region[i])
        if code < 0:
            return None
        return {
            "code": self.ix.regions[code],
            "name": self.ix.region_names[code] or self.ix.regions[code],
        }

    def region(self, i: int) -> str:
        ref = self.region_ref(i)
        return ref["name"] if ref else "an unknown region"

    def text(self, group: str) -> str:
        return self.told(group)[0]

    def told(self, group: str) -> tuple[str, dict[str, Any]]:
        method = getattr(self, f"_{group}")
        text, params = method()
        return str(text), params

    def _contacts(self) -> tuple[str, dict[str, Any]]:
        a, b = sorted((self.u, self.v))
        kinds = sorted(set(self.ix.contact_kinds.get((a, b), ())))
        n = _whole(self.raw["contacts"])
        text = f"already {_count(n, 'contact', 'contacts')} between the two ({', '.join(kinds)})"
        return text, {"n": n, "kinds": kinds}

    def _shared_partners(self) -> tuple[str, dict[str, Any]]:
        n = _whole(self.raw["shared"])
        if n == 0:
            return "no partner in common", {"n": 0}
        return f"{_count(n, 'of your partners is', 'of your partners are')} twinned with it", {
            "n": n
        }

    def _partners_of_partners(self) -> tuple[str, dict[str, Any]]:
        n = _whole(self.raw["paths3"])
        return f"{_count(n, 'route', 'routes')} to it over a partner's partner's partner", {"n": n}

    def _networks(self) -> tuple[str, dict[str, Any]]:
        mine = set(self.ix.memberships.row(self.u).tolist())
        both = [k for k in self.ix.memberships.row(self.v).tolist() if k in mine]
        networks = [
            {"name": self.ix.network_names[k], "density": float(self.ix.network_density[k])}
            for k in sorted(both)
        ]
        named = [
            f"{n['name']} ({n['density']:.0%} of its members' pairs are twinned)" for n in networks
        ]
        return f"both members of {', '.join(named)}", {"networks": networks}

    def _name(self) -> tuple[str, dict[str, Any]]:
        mine, theirs = self.ix.names[self.u], self.ix.names[self.v]
        return f"same name: {mine} and {theirs}", {"mine": mine, "theirs": theirs}

    def _neighbours(self) -> tuple[str, dict[str, Any]]:
        theirs = _whole(self.raw["theirs_near"])
        mine = _whole(self.raw["mine_near"])
        in_region = _whole(self.raw["mine_in_region"])
        parts = []
        if theirs:
            parts.append(f"{_count(theirs, 'of its partners lies', 'of its partners lie')} "
                         f"within {NEAR_KM:.0f} km of you")  # fmt: skip
        if mine:
            parts.append(f"{_count(mine, 'of your partners lies', 'of your partners lie')} "
                         f"within {NEAR_KM:.0f} km of it")  # fmt: skip
        if in_region:
            parts.append(f"{_count(in_region, 'of your partners is', 'of your partners are')} "
                         f"in its region, {self.region(self.v)}")  # fmt: skip
        params = {
            "theirs_near": theirs,
            "mine_near": mine,
            "mine_in_region": in_region,
            "km": NEAR_KM,
            "region": self.region_ref(self.v),
        }
        return "; ".join(parts) or "no partners near either side", params

    def _its_partners_here(self) -> tuple[str, dict[str, Any]]:
        n, r = _whole(self.raw["theirs_in_country"]), _whole(self.raw["theirs_in_region"])
        text = f"it has {_count(n, 'partner', 'partners')} in {self.country(self.u)}"
        if r:
            text += f", {r} in {self.region(self.u)}"
        params = {
            "n": n,
            "in_region": r,
            "country": self.country_code(self.u),
            "region": self.region_ref(self.u),
        }
        return text, params

    def _your_partners_there(self) -> tuple[str, dict[str, Any]]:
        n = _whole(self.raw["mine_in_country"])
        text = (
            f"{_count(n, 'of your partners is', 'of your partners are')} in {self.country(self.v)}"
        )
        return text, {"n": n, "country": self.country_code(self.v)}

    def _country_pair(self) -> tuple[str, dict[str, Any]]:
        share = float(self.raw["country_share"])
        here, there = self.country(self.u), self.country(self.v)
        text = f"{here}–{there} pairs are {share:.1%} of the links of {here}"
        params = {"here": self.country_code(self.u), "there": self.country_code(self.v)}
        return text, {**params, "share": share}

    def _region_pair(self) -> tuple[str, dict[str, Any]]:
        n = _whole(self.raw["region_links"])
        between = f"{self.region(self.u)} and {self.region(self.v)}"
        text = f"{_count(n, 'link', 'links')} between {between}"
        return text, {"n": n, "here": self.region_ref(self.u), "there": self.region_ref(self.v)}

    def _kind(self) -> tuple[str, dict[str, Any]]:
        ku, kv = self.ix.kinds[self.ix.kind[self.u]], self.ix.kinds[self.ix.kind[self.v]]
        share = float(self.raw["kind_share"])
        text = f"{ku}–{kv} pairs are {share:.0%} of the links of a {ku}"
        region_for_town = self.mode == "contrast" and kv == "region" and ku != "region"
        if region_for_town:
            text += "; a region, where a town looks for a town"
        return text, {"mine": ku, "theirs": kv, "share": share, "region_for_town": region_for_town}

    def _size(self) -> tuple[str, dict[str, Any]]:
        a, b = self.ix.population[self.u], self.raw["population"]
        params: dict[str, Any] = {
            "mine": int(a) if np.isfinite(a) else None,
            "theirs": int(b) if np.isfinite(b) else None,
        }
        if not (np.isfinite(a) and np.isfinite(b)):
            return f"population {_population(b)}", {**params, "similar": None}
        ratio = max(a, b) / max(min(a, b), 1.0)
        word = "similar size" if ratio < 2 else "different size"
        text = f"{word}: {_population(b)} vs your {_population(a)}"
        beyond = bool(self.mode == "contrast" and ratio > 10**CONTRAST_MOST_DECADES)
        if beyond:
            text += f" ({ratio:,.0f} times: beyond a town's contrast)"
        params.update(similar=bool(ratio < 2), ratio=float(ratio), beyond_contrast=beyond)
        return text, params

    def _distance(self) -> tuple[str, dict[str, Any]]:
        km = self.raw["km"]
        domestic = bool(self.raw["domestic"])
        where = "in the same country" if domestic else "abroad"
        if not np.isfinite(km):
            return f"{where}, distance unknown", {"domestic": domestic, "km": None}
        return f"{where}, {km:,.0f} km apart", {"domestic": domestic, "km": _whole(km)}

    def _language(self) -> tuple[str, dict[str, Any]]:
        cu, cv = self.ix.country[self.u], self.ix.country[self.v]
        common = sorted(languages_of(self.ix.countries[cu]) & languages_of(self.ix.countries[cv]))
        if not common:
            return "no official language in common", {"languages": []}
        words = ", ".join(sorted(map(language_name, common)))
        return f"official language in common: {words}", {"languages": common}

    def _north_south(self) -> tuple[str, dict[str, Any]]:
        if not self.raw["north_south"]:
            return "not a North–South pair", {"north_south": False}
        params = {
            "north_south": True,
            "here": self.country_code(self.u),
            "there": self.country_code(self.v),
        }
        return (f"North–South pair: one of {self.country(self.u)} and {self.country(self.v)} "
                "is on the OECD DAC list"), params  # fmt: skip

    def _history(self) -> tuple[str, dict[str, Any]]:
        ku = self.ix.states[self.ix.state[self.u]]
        kv = self.ix.states[self.ix.state[self.v]]
        su, sv = state_name(ku), state_name(kv)
        if self.raw["state_shared"]:
            return f"both were in {su} in 1980", {"shared": True, "here": ku, "there": kv}
        text = f"one country now, two states in 1980: {su} and {sv}"
        return text, {"shared": False, "here": ku, "there": kv}

    def _popularity(self) -> tuple[str, dict[str, Any]]:
        n = _whole(self.raw["degree"])
        return f"it has {_count(n, 'partner', 'partners')}", {"n": n}


def reasons(
    ix: Index,
    u: int,
    v: int,
    raw: dict[str, float],
    contributions: dict[str, float],
    mode: str,
) -> list[dict[str, Any]]:
    """The reasons with a contribution, largest first; they add up to the score."""
    teller = Teller(ix, u, v, raw, mode)
    found: list[tuple[float, str]] = []
    for group, inputs in GROUPS.items():
        part = round(float(sum(contributions.get(i, 0.0) for i in inputs)), 3)
        if part != 0.0:
            found.append((part, group))
    found.sort(key=lambda f: (-abs(f[0]), f[1]))
    told = [(p, g, *teller.told(g)) for p, g in found]
    return [
        {"reason": g, "text": text, "params": params, "contribution": p}
        for p, g, text, params in told
    ]


def score_of(found: list[dict[str, Any]]) -> float:
    return round(float(sum(r["contribution"] for r in found)), 3)


def column(values: dict[str, FloatArray], i: int) -> dict[str, float]:
    return {k: float(v[i]) for k, v in values.items()}

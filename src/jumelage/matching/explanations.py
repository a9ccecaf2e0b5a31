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
from jumelage.matching.index import EARTH_KM, FloatArray, Index, languages_of

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


def _population(value: float) -> str:
    return f"{int(value):,}" if np.isfinite(value) else "unknown"


class Teller:
    """Words for the facts of one query municipality `u` and one candidate `v`."""

    def __init__(self, ix: Index, u: int, v: int, raw: dict[str, float], mode: str) -> None:
        self.ix, self.u, self.v, self.raw, self.mode = ix, u, v, raw, mode

    def country(self, i: int) -> str:
        code = int(self.ix.country[i])
        return country_name(self.ix.countries[code]) if code >= 0 else "an unknown country"

    def region(self, i: int) -> str:
        code = int(self.ix.region[i])
        if code < 0:
            return "an unknown region"
        return self.ix.region_names[code] or self.ix.regions[code]

    def text(self, group: str) -> str:
        method = getattr(self, f"_{group}")
        return str(method())

    def _contacts(self) -> str:
        a, b = sorted((self.u, self.v))
        kinds = sorted(set(self.ix.contact_kinds.get((a, b), ())))
        n = self.raw["contacts"]
        return f"already {_count(n, 'contact', 'contacts')} between the two ({', '.join(kinds)})"

    def _shared_partners(self) -> str:
        n = self.raw["shared"]
        if n == 0:
            return "no partner in common"
        return f"{_count(n, 'of your partners is', 'of your partners are')} twinned with it"

    def _partners_of_partners(self) -> str:
        n = self.raw["paths3"]
        return f"{_count(n, 'route', 'routes')} to it over a partner's partner's partner"

    def _networks(self) -> str:
        mine = set(self.ix.memberships.row(self.u).tolist())
        both = [k for k in self.ix.memberships.row(self.v).tolist() if k in mine]
        named = [
            f"{self.ix.network_names[k]} ({self.ix.network_density[k]:.0%} of its members' "
            "pairs are twinned)"
            for k in sorted(both)
        ]
        return f"both members of {', '.join(named)}"

    def _name(self) -> str:
        return f"same name: {self.ix.names[self.u]} and {self.ix.names[self.v]}"

    def _neighbours(self) -> str:
        parts = []
        if self.raw["theirs_near"]:
            n = self.raw["theirs_near"]
            parts.append(f"{_count(n, 'of its partners lies', 'of its partners lie')} "
                         f"within {NEAR_KM:.0f} km of you")  # fmt: skip
        if self.raw["mine_near"]:
            n = self.raw["mine_near"]
            parts.append(f"{_count(n, 'of your partners lies', 'of your partners lie')} "
                         f"within {NEAR_KM:.0f} km of it")  # fmt: skip
        if self.raw["mine_in_region"]:
            n = self.raw["mine_in_region"]
            parts.append(f"{_count(n, 'of your partners is', 'of your partners are')} "
                         f"in its region, {self.region(self.v)}")  # fmt: skip
        return "; ".join(parts) or "no partners near either side"

    def _its_partners_here(self) -> str:
        n, r = self.raw["theirs_in_country"], self.raw["theirs_in_region"]
        text = f"it has {_count(n, 'partner', 'partners')} in {self.country(self.u)}"
        if r:
            text += f", {int(r)} in {self.region(self.u)}"
        return text

    def _your_partners_there(self) -> str:
        n = self.raw["mine_in_country"]
        return (
            f"{_count(n, 'of your partners is', 'of your partners are')} in {self.country(self.v)}"
        )

    def _country_pair(self) -> str:
        share = self.raw["country_share"]
        here, there = self.country(self.u), self.country(self.v)
        return f"{here}–{there} pairs are {share:.1%} of the links of {here}"

    def _region_pair(self) -> str:
        n = self.raw["region_links"]
        between = f"{self.region(self.u)} and {self.region(self.v)}"
        return f"{_count(n, 'link', 'links')} between {between}"

    def _kind(self) -> str:
        ku, kv = self.ix.kinds[self.ix.kind[self.u]], self.ix.kinds[self.ix.kind[self.v]]
        text = f"{ku}–{kv} pairs are {self.raw['kind_share']:.0%} of the links of a {ku}"
        if self.mode == "contrast" and kv == "region" and ku != "region":
            text += "; a region, where a town looks for a town"
        return text

    def _size(self) -> str:
        a, b = self.ix.population[self.u], self.raw["population"]
        if not (np.isfinite(a) and np.isfinite(b)):
            return f"population {_population(b)}"
        ratio = max(a, b) / max(min(a, b), 1.0)
        word = "similar size" if ratio < 2 else "different size"
        text = f"{word}: {_population(b)} vs your {_population(a)}"
        if self.mode == "contrast" and ratio > 10**CONTRAST_MOST_DECADES:
            text += f" ({ratio:,.0f} times: beyond a town's contrast)"
        return text

    def _distance(self) -> str:
        km = self.raw["km"]
        where = "in the same country" if self.raw["domestic"] else "abroad"
        if not np.isfinite(km):
            return f"{where}, distance unknown"
        return f"{where}, {km:,.0f} km apart"

    def _language(self) -> str:
        cu, cv = self.ix.country[self.u], self.ix.country[self.v]
        common = languages_of(self.ix.countries[cu]) & languages_of(self.ix.countries[cv])
        if not common:
            return "no official language in common"
        return f"official language in common: {', '.join(sorted(map(language_name, common)))}"

    def _north_south(self) -> str:
        if not self.raw["north_south"]:
            return "not a North–South pair"
        return (f"North–South pair: one of {self.country(self.u)} and {self.country(self.v)} "
                "is on the OECD DAC list")  # fmt: skip

    def _history(self) -> str:
        su = state_name(self.ix.states[self.ix.state[self.u]])
        sv = state_name(self.ix.states[self.ix.state[self.v]])
        if self.raw["state_shared"]:
            return f"both were in {su} in 1980"
        return f"one country now, two states in 1980: {su} and {sv}"

    def _popularity(self) -> str:
        return f"it has {_count(self.raw['degree'], 'partner', 'partners')}"


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
    return [{"reason": g, "text": teller.text(g), "contribution": p} for p, g in found]


def score_of(found: list[dict[str, Any]]) -> float:
    return round(float(sum(r["contribution"] for r in found)), 3)


def kilometres_between(ix: Index, u: int, v: int) -> float | None:
    a, b = ix.xyz[u], ix.xyz[v]
    if np.isnan(a[0]) or np.isnan(b[0]):
        return None
    return float(np.arccos(np.clip(float(a @ b), -1.0, 1.0)) * EARTH_KM)


def column(values: dict[str, FloatArray], i: int) -> dict[str, float]:
    return {k: float(v[i]) for k, v in values.items()}

"""Rankings of municipalities and of countries by their links."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from jumelage.analytics.definition import Definition, Selection, select
from jumelage.analytics.model import Snapshot
from jumelage.analytics.regions import REGION_WORDS, REGIONS
from jumelage.domain.names import fold
from jumelage.errors import Invalid


def competition_ranks(counts: list[int]) -> list[int]:
    """Ranks of counts sorted from high to low; equal counts share a rank (1, 2, 2, 4)."""
    ranks: list[int] = []
    for i, value in enumerate(counts):
        ranks.append(ranks[-1] if i and counts[i - 1] == value else i + 1)
    return ranks


def _ranked(counts: Counter[Any], sort_name: Callable[[Any], Any]) -> list[tuple[int, Any, int]]:
    order = sorted(counts, key=lambda k: (-counts[k], sort_name(k)))
    values = [counts[k] for k in order]
    return list(zip(competition_ranks(values), order, values, strict=True))


def municipality_counts(selection: Selection) -> Counter[int]:
    """Distinct partners, or links per side, of every municipality with one counted."""
    counts: Counter[int] = Counter()
    if selection.definition.count == "distinct":
        units: Iterable[tuple[int, int]] = (p_.link.pair for p_ in selection.counted)
        units = set(units)
    else:
        units = [c.link.pair for c in selection.counted]
    for a, b in units:
        counts[a] += 1
        counts[b] += 1
    return counts


def municipality_ranking(
    snapshot: Snapshot,
    definition: Definition,
    country: str | None = None,
    limit: int = 20,
    offset: int = 0,
    focus: int | None = None,
) -> dict[str, Any]:
    """Municipalities (of one of today's countries, or all) by distinct partners or links."""
    selection = select(snapshot, definition)
    counts = municipality_counts(selection)
    places = snapshot.places
    if country:
        counts = Counter({m: n for m, n in counts.items() if places[m].country == country})
    ranked = _ranked(counts, lambda m: (fold(places[m].name), m))
    items = [{"rank": rank, **places[m].ref(), "count": n} for rank, m, n in ranked]
    found = [item for item in items if item["id"] == focus] if focus is not None else []
    unit = "distinct partners" if definition.count == "distinct" else "links (one per side)"
    return {
        **selection.envelope(),
        "scope": {
            "country": country,
            "words": (
                f"municipalities whose country today is {country}"
                if country
                else "municipalities of every country"
            ),
            "count": f"each municipality's {unit} under the definition",
        },
        "items": items[offset : offset + limit],
        "total": len(items),
        "limit": limit,
        "offset": offset,
        "focus": found[0] if found else None,
    }


def country_counts(selection: Selection) -> tuple[Counter[str], int]:
    """Per country (state): distinct pairs touching it, or link sides in it; and the total."""
    counts: Counter[str] = Counter()
    if selection.definition.count == "distinct":
        pairs = selection.pairs()
        for p in pairs:
            for key in {p.state_a, p.state_b}:
                counts[str(key)] += 1
        return counts, len(pairs)
    for c in selection.counted:
        counts[str(c.state_a)] += 1
        counts[str(c.state_b)] += 1
    return counts, 2 * len(selection.counted)


def country_ranking(
    snapshot: Snapshot,
    definition: Definition,
    region: str | None = None,
    within_region: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Countries (or historical states) by their links under the definition."""
    members = _region(region)
    selection = select(snapshot, definition, need_countries=True)
    outside = 0
    if members is not None and within_region:
        kept = [c for c in selection.counted if c.state_a in members and c.state_b in members]
        outside = len(selection.counted) - len(kept)
        selection = Selection(
            definition,
            kept,
            selection.excluded,
            selection.links_total,
            selection.undated_total,
            selection.state_names,
        )
    counts, total = country_counts(selection)
    if members is not None:
        counts = Counter({k: n for k, n in counts.items() if k in members})
    names = selection.state_names
    items = [
        {
            "rank": rank,
            "country": key,
            "name": names.get(key, key),
            "count": n,
            "share": n / total if total else 0.0,
        }
        for rank, key, n in _ranked(counts, lambda k: k)
    ]
    envelope = selection.envelope()
    envelope["coverage"]["links_outside_region"] = outside
    return {
        **envelope,
        "scope": _country_scope(region, within_region, definition),
        "items": items[offset : offset + limit],
        "total": len(items),
        "limit": limit,
        "offset": offset,
    }


def _region(region: str | None) -> frozenset[str] | None:
    if region is None or region == "world":
        return None
    if region not in REGIONS:
        raise Invalid(
            f"region must be world or one of {', '.join(REGIONS)}", field="region", rule="choice"
        )
    return REGIONS[region]


def _country_scope(region: str | None, within: bool, definition: Definition) -> dict[str, Any]:
    where = REGION_WORDS.get(region or "", "every country")
    links = (
        "only links with both sides in the region"
        if within and region not in (None, "world")
        else "links with partners anywhere"
    )
    share = (
        "count divided by the number of distinct pairs counted (an international pair counts "
        "for both countries, so shares add up to more than 1)"
        if definition.count == "distinct"
        else "count divided by the number of link sides counted (twice the links)"
    )
    return {"region": region or "world", "words": where, "links": links, "share": share}

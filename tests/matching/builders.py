"""Small hand-made registries for the matcher's pure cores."""

from __future__ import annotations

from jumelage.domain.north_south import DacEntry
from jumelage.matching.data import Contact, Link, MatchData, Membership, Place

OLD = "2016-09"
NEW = "2026-02"


def place(pid: int, country: str, lat: float, lon: float, population: int | None = 50_000,
          **extra: object) -> Place:  # fmt: skip
    return Place(
        id=pid,
        name=str(extra.pop("name", f"Town {pid}")),
        country=country,
        admin_code=str(extra.pop("admin_code", f"{country}-A")),
        admin_area=str(extra.pop("admin_area", f"Area of {country}")),
        lat=lat,
        lon=lon,
        population=population,
        **extra,  # type: ignore[arg-type]
    )


def dac(*codes: str) -> dict[str, DacEntry]:
    return {c: DacEntry(c, c, "LDC", "2024-2025", True, "") for c in codes}


def europe(extra_links: tuple[Link, ...] = (), **changes: object) -> MatchData:
    """Twelve towns in Germany, France, Poland and Tunisia, with a few links."""
    places = (
        place(1, "DE", 50.9, 6.9, 1_000_000, name="Köln"),
        place(2, "DE", 51.2, 7.1, 350_000, name="Wuppertal"),
        place(3, "DE", 48.1, 11.6, 1_500_000, name="München", admin_code="DE-B"),
        place(4, "FR", 45.7, 4.8, 500_000, name="Lyon"),
        place(5, "FR", 48.8, 2.3, 2_100_000, name="Paris", admin_code="FR-B"),
        place(6, "FR", 43.3, 5.4, 870_000, name="Marseille"),
        place(7, "PL", 52.2, 21.0, 1_800_000, name="Warszawa"),
        place(8, "PL", 50.1, 19.9, 780_000, name="Kraków"),
        place(9, "TN", 36.8, 10.2, 640_000, name="Tunis"),
        place(10, "TN", 35.8, 10.6, 270_000, name="Sousse"),
        place(11, "DE", 52.5, 13.4, 3_600_000, name="Berlin", admin_code="DE-B"),
        place(12, "FR", 47.3, 5.0, None, name="Dijon"),
    )
    links = (
        Link(1, 4, OLD),
        Link(2, 4, OLD),
        Link(1, 9, OLD),
        Link(3, 5, OLD),
        Link(7, 5, OLD),
        Link(8, 6, OLD),
        Link(11, 5, OLD),
        Link(2, 8, OLD),
        *extra_links,
    )
    values: dict[str, object] = {
        "places": places,
        "links": links,
        "names": {
            1: frozenset({("und", "koln"), ("und", "koeln"), ("en", "cologne"), ("und", "kolon")}),
            4: frozenset({("und", "lyon")}),
        },
        "contacts": (Contact(1, 6, "school"), Contact(1, 6, "club")),
        "memberships": (Membership("Douzelage", 1), Membership("Douzelage", 6)),
        "dac": dac("TN"),
        **changes,
    }
    return MatchData(**values)  # type: ignore[arg-type]

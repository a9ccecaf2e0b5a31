"""The curation queue's duplicate rules, counted as the build report counts them."""

from __future__ import annotations

from jumelage.dataset.curation import Places, duplicate_figures


def row(
    pid: int, name: str, country: str, point: tuple[float, float] | None, qid: str = ""
) -> dict[str, str]:
    lat, lon = (str(point[0]), str(point[1])) if point is not None else ("", "")
    return {"id": str(pid), "qid": qid, "name": name, "country": country, "lat": lat, "lon": lon}


def test_each_rule_counts_its_pairs_and_the_partnerships_they_repeat() -> None:
    rows = [
        row(1, "Overland Park", "US", (38.94, -94.68), "Q500481"),
        row(2, "Overland Park", "US", (38.89, -77.04)),
        row(3, "Bietigheim-Bissingen", "DE", (48.95, 9.13)),
        row(4, "Puebla", "MX", (19.04, -98.2), "Q125293"),
        row(5, "Puebla", "MX", None),
        row(6, "Łódź", "PL", (51.76, 19.46)),
    ]
    links = [(1, 3), (2, 3), (4, 6), (5, 6)]
    figures = duplicate_figures(Places(rows, links))
    assert figures == {
        "same-name-unplaced": 1,
        "shared-partners": 0,
        "same-name-partner": 2,
        "any rule": 2,
        "repeated partnerships": 2,
    }


def test_namesakes_without_a_partner_in_common_are_no_duplicates() -> None:
    rows = [
        row(1, "Frankfurt", "DE", (50.11, 8.68)),
        row(2, "Frankfurt", "DE", (52.34, 14.55)),
        row(3, "Lyon", "FR", (45.76, 4.84)),
        row(4, "Słubice", "PL", (52.35, 14.56)),
    ]
    figures = duplicate_figures(Places(rows, [(1, 3), (2, 4)]))
    assert figures["any rule"] == 0 and figures["repeated partnerships"] == 0

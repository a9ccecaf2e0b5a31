"""Successions and joint partners found by the build's rules, on hand-made places."""

from __future__ import annotations

from jumelage.dataset.joint import joint_partners
from jumelage.dataset.linking import LinkTable
from jumelage.dataset.places import Place
from jumelage.dataset.sources import WIKIDATA_2016, WIKIDATA_2017, WIKIPEDIA_2026, SourceLink
from jumelage.dataset.successions import as_successions, find_successions


def place(pid: int, name: str, lat: float, lon: float, **facts: object) -> Place:
    found = Place(root=f"r{pid}", id=pid, name=name, lat=lat, lon=lon, country="DE")
    found.admin_code = "DE-BE"
    for key, value in facts.items():
        setattr(found, key, value)
    return found


def table(*links: tuple[int, int, str]) -> LinkTable:
    out = LinkTable()
    for a, b, source in links:
        out.add(a, b, SourceLink(source, "", "", f"k{a}", f"k{b}", "", ""))
    return out


def test_a_district_named_by_joining_two_districts_succeeds_both_without_a_date() -> None:
    places = [
        place(1, "Charlottenburg-Wilmersdorf", 52.5, 13.283, kind="district", population=334_351),
        place(2, "Charlottenburg", 52.517, 13.283, population=124_555),
        place(3, "Wilmersdorf", 52.483, 13.317, population=98_034),
        place(4, "Split", 43.5, 16.4, country="HR", admin_code="HR-17"),
    ]
    links = table((1, 4, WIKIDATA_2016), (3, 4, WIKIDATA_2016))
    found = find_successions(places, links)
    assert {(f.rule, f.predecessor.name, f.successor.name) for f in found} == {
        ("joined-name", "Charlottenburg", "Charlottenburg-Wilmersdorf"),
        ("joined-name", "Wilmersdorf", "Charlottenburg-Wilmersdorf"),
    }
    assert {(s.predecessor_id, s.successor_id, s.date) for s in as_successions(found)} == {
        (2, 1, ""),
        (3, 1, ""),
    }


def test_a_city_is_no_successor_of_its_own_quarter_nor_of_its_partner() -> None:
    places = [
        place(1, "Mainz-Finthen", 50.0, 8.17),
        place(2, "Mainz", 50.0, 8.27, population=217_000),
        place(3, "Finthen", 50.0, 8.17),
        place(4, "Sittard-Geleen", 51.0, 5.87),
        place(5, "Sittard", 51.0, 5.87),
        place(6, "Geleen", 50.97, 5.83),
    ]
    links = table((4, 5, WIKIDATA_2016))
    assert find_successions(places, links) == []


def test_a_name_only_the_later_list_knows_succeeds_the_place_only_older_sources_name() -> None:
    places = [
        place(1, "Bellegarde-sur-Valserine", 46.108, 5.824, qid="Q191475"),
        place(2, "Valserhône", 46.108, 5.827),
        place(3, "Bretten", 49.03, 8.7),
        place(4, "Saint-Christophe", 45.75, 7.35),
        place(5, "Vire", 48.84, -0.89, qid="Q220684"),
        place(6, "Vire-Normandie", 48.83, -0.88),
        place(7, "Totnes", 50.43, -3.68),
    ]
    links = table(
        (1, 3, WIKIDATA_2016),
        (1, 4, WIKIDATA_2017),
        (2, 3, WIKIPEDIA_2026),
        (2, 4, WIKIPEDIA_2026),
        (5, 7, WIKIDATA_2016),
        (6, 7, WIKIPEDIA_2026),
    )
    found = {(f.predecessor.id, f.successor.id) for f in find_successions(places, links)}
    assert found == {(1, 2), (5, 6)}


def test_a_later_neighbour_sharing_one_partner_under_another_name_is_no_successor() -> None:
    places = [
        place(1, "Saanen", 46.49, 7.26, qid="Q66629"),
        place(2, "Gstaad", 46.47, 7.28),
        place(3, "Partner", 45.0, 2.0),
        place(4, "Other", 44.0, 2.0),
    ]
    links = table((1, 3, WIKIDATA_2016), (1, 4, WIKIDATA_2016), (2, 3, WIKIPEDIA_2026))
    assert find_successions(places, links) == []


def test_a_partner_one_list_names_beside_its_neighbour_goes_to_the_curation_queue() -> None:
    koeln = place(1, "Köln", 50.94, 6.96, admin_code="DE-NW")
    corinto = place(2, "Corinto", 12.4825, -87.173, country="NI", admin_code="NI-CI")
    realejo = place(3, "El Realejo", 12.5333, -87.1667, country="NI", admin_code="NI-CI")
    bremen = place(4, "Bremen", 53.08, 8.81, admin_code="DE-HB")
    links = table(
        (1, 2, WIKIDATA_2016),
        (1, 2, WIKIPEDIA_2026),
        (1, 3, WIKIPEDIA_2026),
        (4, 2, WIKIDATA_2016),
    )
    place_of = {"q:Q365": 1, "q:Q1132939": 2, "w26:El Realejo|NI": 3, "q:Q24879": 4}
    found = joint_partners([koeln, corinto, realejo, bremen], links, place_of)
    assert [(a, b) for a, b, _ in found] == [(2, 3)]
    assert found[0][2].reason.startswith("joint-partner: named beside Corinto")
    # Named by two sources, the second partner is no longer in doubt.
    links.add(1, 3, SourceLink(WIKIDATA_2016, "", "", "k1", "k3", "", ""))
    assert joint_partners([koeln, corinto, realejo, bremen], links, place_of) == []

"""Networks, membership periods and the bundled member lists on a real database."""

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jumelage.app import create_app
from jumelage.domain.permissions import Principal
from jumelage.errors import Conflict, Forbidden, Invalid
from jumelage.services import writing
from jumelage.services.networks import (
    add_member,
    better_documented,
    create_network,
    update_membership,
)
from jumelage.services.reference import load_reference_data
from jumelage.services.registry import (
    PlaceFacts,
    SourceRef,
    ensure_municipality,
    record_sourced_link,
)
from jumelage.store import queries_networks as qn
from jumelage.store.queries_curation import item_by_key
from jumelage.store.schema import network, network_membership
from jumelage.store.schema_programmes import dac_country, programme
from tests.builders import bearer, token_for
from tests.conftest import registry_for
from tests.programmes.builders import add_place, data_version, place_id


@pytest.fixture
def ring(loaded_engine):
    """A ring of Köln's partners: Köln 1990–2000, Liverpool from 1995, Lille from 2001-06."""
    e = loaded_engine
    with writing(e, "admin") as w:
        create_network(w, "koeln-ring", "Ring of Köln's partners", "ring", founded="1990")
        add_member(w, "koeln-ring", place_id(e, "Q365"), "1990", "2000")
        add_member(w, "koeln-ring", place_id(e, "Q24826"), "1995")
        add_member(w, "koeln-ring", place_id(e, "Q648"), "2001-06")
    return e


def names_on(engine, day):
    with engine.connect() as conn:
        page = qn.network_page(conn, "koeln-ring", day)
    return sorted(m["municipality"]["name"] for m in page["members"])


def test_members_as_of_a_date_respect_their_periods(ring):
    assert names_on(ring, dt.date(1992, 1, 1)) == ["Köln"]
    assert names_on(ring, dt.date(1999, 12, 31)) == ["Köln", "Liverpool"]
    assert names_on(ring, dt.date(2000, 1, 1)) == ["Liverpool"]
    assert names_on(ring, dt.date(2001, 5, 31)) == ["Liverpool"]
    assert names_on(ring, dt.date(2001, 6, 1)) == ["Lille", "Liverpool"]


def test_without_a_date_every_period_is_listed(ring):
    assert names_on(ring, None) == ["Köln", "Lille", "Liverpool"]


def test_the_network_page_shows_countries_coordinates_and_links_among_members(ring):
    with ring.connect() as conn:
        page = qn.network_page(conn, "koeln-ring", dt.date(1997, 1, 1))
    assert page["countries"] == [{"country": "DE", "members": 1}, {"country": "GB", "members": 1}]
    assert all(m["municipality"]["lat"] is not None for m in page["members"])
    koeln, liverpool = place_id(ring, "Q365"), place_id(ring, "Q24826")
    assert [(x["a_id"], x["b_id"]) for x in page["links"]] == [tuple(sorted((koeln, liverpool)))]


def test_the_number_of_members_today_leaves_out_former_members(ring):
    with ring.connect() as conn:
        [listed] = [n for n in qn.networks(conn, dt.date.today()) if n["key"] == "koeln-ring"]
    assert listed["members"] == 2


def test_an_overlapping_membership_period_is_refused(ring):
    with pytest.raises(Conflict), writing(ring, "admin") as w:
        add_member(w, "koeln-ring", place_id(ring, "Q24826"), "2010")


def test_a_second_period_after_leaving_is_accepted(ring):
    with writing(ring, "admin") as w:
        add_member(w, "koeln-ring", place_id(ring, "Q365"), "2005")
    assert "Köln" in names_on(ring, dt.date(2006, 1, 1))


def test_a_member_leaves_the_network(ring):
    with ring.connect() as conn:
        page = qn.network_page(conn, "koeln-ring", None)
    lille = next(m for m in page["members"] if m["municipality"]["name"] == "Lille")
    with writing(ring, "admin") as w:
        update_membership(w, "koeln-ring", lille["membership_id"], {"left_on": "2010-12-31"})
    assert "Lille" not in names_on(ring, dt.date(2011, 1, 1))


def test_leaving_before_joining_is_refused(ring):
    with pytest.raises(Invalid) as refused, writing(ring, "admin") as w:
        add_member(w, "koeln-ring", place_id(ring, "Q1055"), "2010", "2005")
    assert refused.value.rule == "end_after_start"


def test_a_network_kind_outside_the_vocabulary_is_refused(loaded_engine):
    with pytest.raises(Invalid) as refused, writing(loaded_engine, "admin") as w:
        create_network(w, "club", "A club", "club")
    assert refused.value.field == "kind"


def test_an_editor_may_not_write_networks(loaded_engine):
    koeln = place_id(loaded_engine, "Q365")
    editor = Principal("koeln-office", "editor", frozenset({koeln}))
    with pytest.raises(Forbidden), writing(loaded_engine, editor) as w:
        create_network(w, "koeln-ring", "Ring", "ring")


def test_the_bundled_members_are_resolved_by_name_and_country(engine_with_reference):
    with engine_with_reference.connect() as conn:
        hanse = qn.network_page(conn, "hanse", None)
    names = {m["municipality"]["name"] for m in hanse["members"]}
    assert {"Köln", "Osnabrück", "Deventer", "Frankfurt (Oder)"} <= names
    assert "Frankfurt am Main" not in names


def town(engine, name, country):
    with engine.connect() as conn:
        [found] = qn.find_town(conn, name, country)
    return found


def test_a_membership_from_a_doubtful_source_is_marked_unverified(registry):
    engine = registry.engine
    # Bolsward is listed on the evidence of a newsletter masthead alone.
    bolsward = town(engine, "Bolsward", "NL")
    with engine.connect() as conn:
        [doubtful] = qn.networks_of(conn, bolsward)
        [attested] = qn.networks_of(conn, place_id(engine, "Q365"))
    assert doubtful["verified"] is False
    assert attested["verified"] is True


def test_a_network_of_our_own_is_left_alone_by_a_reload(engine_with_reference):
    engine = engine_with_reference
    with writing(engine, "test") as w:
        create_network(w, "koeln-ring", "Ring", "ring")
    assert load_reference_data(engine)["changed"] is False
    with engine.connect() as conn:
        assert qn.network_by_key(conn, "koeln-ring")["name"] == "Ring"


def test_a_member_the_registry_lacks_is_created_once_with_its_country(engine):
    first = load_reference_data(engine)
    hanse = first["networks"]["hanse"]
    assert hanse["created"] == hanse["listed"] == 89
    assert hanse["added"] == 89 and hanse["unresolved"] == []
    assert first["networks"]["douzelage"]["created"] == 30
    with engine.connect() as conn:
        [luebeck] = qn.town_facts(conn, qn.find_town(conn, "Lübeck", "DE"))
        [membership] = qn.networks_of(conn, luebeck["id"])
    assert luebeck["country"] == "DE"
    # The gazetteer knows one Lübeck in Germany: its point and population.
    assert luebeck["geonames_id"] == 2875601 and luebeck["population"] > 200_000
    assert round(luebeck["lat"], 1) == 53.9 and luebeck["qid"] == "Q2843"
    assert membership["network"]["key"] == "hanse"
    before = (counts(engine), data_version(engine))
    again = load_reference_data(engine)
    assert again["changed"] is False
    assert again["networks"]["hanse"]["created"] == 0
    assert (counts(engine), data_version(engine)) == before


def test_a_member_the_gazetteer_cannot_place_is_created_without_a_point(engine):
    report = load_reference_data(engine)
    # GeoNames knows no Maasbommel, and two places called Doesburg in the Netherlands.
    assert {"Maasbommel", "Doesburg"} <= set(report["networks"]["hanse"]["created_without_point"])
    with engine.connect() as conn:
        [doesburg] = qn.town_facts(conn, qn.find_town(conn, "Doesburg", "NL"))
    assert (doesburg["country"], doesburg["lat"], doesburg["geonames_id"]) == ("NL", None, None)


def test_a_listed_town_the_registry_holds_under_its_qid_joins_that_row(engine):
    # The registry knows Q2843 by another name; the gazetteer gives Lübeck that QID.
    with writing(engine, "test") as w:
        held, _ = ensure_municipality(w, PlaceFacts(name="Hansestadt Luebeck", qid="Q2843"))
    load_reference_data(engine)
    with engine.connect() as conn:
        assert qn.find_town(conn, "Lübeck", "DE") == []
        assert [m["network"]["key"] for m in qn.networks_of(conn, held)] == ["hanse"]


def test_a_gazetteer_qid_held_by_a_place_of_another_country_is_not_joined(engine):
    with writing(engine, "test") as w:
        other, _ = ensure_municipality(w, PlaceFacts(name="Elsewhere", qid="Q2843", country="FR"))
    load_reference_data(engine)
    with engine.connect() as conn:
        [luebeck] = qn.town_facts(conn, qn.find_town(conn, "Lübeck", "DE"))
        assert qn.networks_of(conn, other) == []
    assert luebeck["qid"] is None and luebeck["geonames_id"] == 2875601


def test_two_rows_of_one_place_give_the_membership_to_the_one_with_more_links(engine):
    with writing(engine, "test") as w:
        # Two items of one Tartu (one GeoNames place); the one without a point has a link.
        linked, _ = ensure_municipality(
            w, PlaceFacts(name="Tartu", qid="Q13972", country="EE", geonames_id=588335)
        )
        placed, _ = ensure_municipality(
            w,
            PlaceFacts(
                name="Tartu", qid="Q1266078", country="EE", geonames_id=588335, lat=58.5, lon=26.7
            ),
        )
        partner, _ = ensure_municipality(w, PlaceFacts(name="Uppsala", qid="Q25286", country="SE"))
        record_sourced_link(w, linked, partner, "partnership", SourceRef("test", None, "test"))
    report = load_reference_data(engine)
    [line] = report["networks"]["hanse"]["duplicates"]
    assert line["town"] == "Tartu" and line["municipality_id"] == linked
    assert sorted(line["duplicate"]["candidates"]) == sorted([linked, placed])
    with engine.connect() as conn:
        assert [m["network"]["key"] for m in qn.networks_of(conn, linked)] == ["hanse"]
        assert qn.networks_of(conn, placed) == []
        item = item_by_key(conn, "duplicate:Q1266078|Q13972")
    assert (item.kind, item.status, item.places) == ("duplicate", "open", ["Q13972", "Q1266078"])
    assert [(e["key"], e["partner_count"], e["lat"]) for e in item.evidence] == [
        ("Q13972", 1, None),
        ("Q1266078", 0, 58.5),
    ]
    assert load_reference_data(engine)["changed"] is False


def test_without_links_the_row_with_a_point_takes_the_membership():
    rows = [
        {"id": 1, "partner_count": 0, "lat": None, "population": 5, "qid": "Q1"},
        {"id": 2, "partner_count": 0, "lat": 58.4, "population": None, "qid": None},
    ]
    assert better_documented(rows)["id"] == 2
    rows[0]["partner_count"] = 2
    assert better_documented(rows)["id"] == 1


def test_the_bundled_networks_report_what_they_list(registry):
    report = load_reference_data(registry.engine)
    assert report["networks"]["hanse"]["partial"] is True
    assert report["networks"]["douzelage"]["listed"] == 30
    assert report["networks"]["europastadt"]["members_known"] is False


def test_a_douzelage_member_without_a_join_year_is_unknown_in_the_1995_roster(registry):
    # The four members listed without a join year, and one founding member.
    # `jumelage init` created them from the list: the fixture dataset lacks them.
    today = dt.date.today()
    with registry.engine.connect() as conn:
        page = qn.network_page(conn, "douzelage", dt.date(1995, 6, 1), today)
        now = qn.network_page(conn, "douzelage", today, today)
    unknown = {m["municipality"]["name"] for m in page["join_unknown"]}
    counted = {m["municipality"]["name"] for m in page["members"]}
    assert len(unknown) == 4 and not unknown & counted
    assert "Altea" in counted
    assert all(m["joined_on"] and m["joined_on"] <= "1995-06-01" for m in page["members"])
    assert unknown <= {m["municipality"]["name"] for m in now["members"]}
    assert now["join_unknown"] == []


def test_an_ambiguous_town_stays_unresolved_and_is_reported(registry):
    engine = registry.engine
    # Two more places called Sigulda besides the one the list created: namesakes, not one
    # place recorded twice (no GeoNames id in common).
    first, second = add_place(engine, "Sigulda", "LV"), add_place(engine, "Sigulda", "LV")
    report = load_reference_data(engine)
    [line] = [u for u in report["networks"]["douzelage"]["unresolved"] if u["town"] == "Sigulda"]
    assert line["reason"] == "ambiguous"
    assert {first, second} < set(line["candidates"])
    assert report["networks"]["douzelage"]["duplicates"] == []


def test_a_town_with_a_single_match_joins_with_its_listed_period(registry):
    engine = registry.engine
    karkkila = town(engine, "Karkkila", "FI")
    with engine.connect() as conn:
        [membership] = qn.networks_of(conn, karkkila)
    assert (membership["joined_on"], membership["left_on"]) == ("1997", "2016")
    assert membership["network"]["key"] == "douzelage"


def counts(engine):
    with engine.connect() as conn:
        return [
            conn.execute(select(func.count()).select_from(t)).scalar()
            for t in (programme, dac_country, network, network_membership)
        ]


def test_loading_the_reference_data_twice_changes_nothing(registry):
    # `jumelage init` loaded it once already, after the bundle.
    engine = registry.engine
    before = (counts(engine), data_version(engine))
    again = load_reference_data(engine)
    assert again["changed"] is False
    assert (counts(engine), data_version(engine)) == before
    assert again["networks"]["hanse"]["added"] == 0
    assert again["networks"]["hanse"]["present"] > 0


def test_an_edited_reference_membership_is_not_reverted_by_a_later_load(registry):
    engine = registry.engine
    load_reference_data(engine)
    koeln = place_id(engine, "Q365")
    with engine.connect() as conn:
        [membership] = qn.networks_of(conn, koeln)
    with writing(engine, "admin") as w:
        update_membership(w, "hanse", membership["membership_id"], {"left_on": "2024"})
    assert load_reference_data(engine)["changed"] is False
    with engine.connect() as conn:
        assert [m["left_on"] for m in qn.networks_of(conn, koeln)] == ["2024"]


def _lille_membership(client, admin) -> dict:
    found = client.get("/api/v1/networks/koeln-ring").json()
    [lille] = [m for m in found["members"] if m["municipality"]["qid"] == "Q648"]
    return lille


def _member_url(lille) -> str:
    return f"/api/v1/networks/koeln-ring/members/{lille['membership_id']}"


def test_a_membership_edit_without_the_version_read_is_refused_with_428(ring):
    admin = bearer(token_for(ring, "umbrella", "admin", []))
    with TestClient(create_app(registry_for(ring))) as client:
        lille = _lille_membership(client, admin)
        answer = client.patch(_member_url(lille), json={"left_on": "2010"}, headers=admin)
        assert answer.status_code == 428
        assert answer.json()["error"]["details"]["field"] == "If-Match"
        assert _lille_membership(client, admin)["left_on"] is None


def test_a_membership_edit_of_a_version_since_changed_is_refused_with_412(ring):
    admin = bearer(token_for(ring, "umbrella", "admin", []))
    with TestClient(create_app(registry_for(ring))) as client:
        lille = _lille_membership(client, admin)
        read = {**admin, "If-Match": f'"{lille["version"]}"'}
        first = client.patch(_member_url(lille), json={"left_on": "2010"}, headers=read)
        assert first.status_code == 200
        assert first.headers["etag"] == f'"{lille["version"] + 1}"'
        second = client.patch(_member_url(lille), json={"left_on": "2012"}, headers=read)
        assert second.status_code == 412
        assert _lille_membership(client, admin)["left_on"] == "2010"


def test_a_membership_edit_with_the_version_read_changes_it_and_its_version(ring):
    admin = bearer(token_for(ring, "umbrella", "admin", []))
    with TestClient(create_app(registry_for(ring))) as client:
        lille = _lille_membership(client, admin)
        body = {"left_on": "2015-06-30", "version": lille["version"]}
        answer = client.patch(_member_url(lille), json=body, headers=admin)
        assert answer.status_code == 200
        after = _lille_membership(client, admin)
    assert (after["left_on"], after["version"]) == ("2015-06-30", lille["version"] + 1)

"""North–South partnerships, development projects and companies on a real database."""

import pytest

from jumelage.domain.permissions import Principal
from jumelage.errors import Conflict, Forbidden, Invalid, PreconditionFailed
from jumelage.services import writing
from jumelage.services.programmes import add_dev_project, engage_company, update_dev_project
from jumelage.store import queries_north_south as qns
from tests.programmes.builders import add_actor, link_id, place_id


def classification(engine, first, second):
    with engine.connect() as conn:
        return qns.link_north_south(conn, link_id(engine, first, second))


def test_koeln_tunis_1964_is_a_north_south_partnership(engine_with_reference):
    result = classification(engine_with_reference, "Q365", "Q3572")
    assert result["north_south"]
    assert result["classification"] == "north_south"
    assert result["start_date"] == "1964"
    tunis = next(s for s in result["sides"] if s["country"] == "TN")
    assert tunis["on_dac_list"]
    assert tunis["dac"]["income_group"] == "LMIC"


def test_ludwigsburg_montbeliard_is_not_a_north_south_partnership(engine_with_reference):
    result = classification(engine_with_reference, "Q622", "Q154715")
    assert not result["north_south"]
    assert result["classification"] == "north_north"


def test_the_classification_says_which_list_it_applies_to_every_date(engine_with_reference):
    result = classification(engine_with_reference, "Q365", "Q3572")
    assert result["dac_list"] == "2024-2025"
    assert "applied to every date" in result["limitation"]
    assert result["date"] == "1964-01-01"


def test_the_north_south_links_of_the_fixture_are_koeln_tunis_alone(engine_with_reference):
    with engine_with_reference.connect() as conn:
        items, total = qns.north_south_links(conn)
    assert total == 1
    assert {items[0]["a"]["name"], items[0]["b"]["name"]} == {"Köln", "Tunis"}


def test_the_dac_list_is_held_with_its_years_and_unverified_marks(engine_with_reference):
    with engine_with_reference.connect() as conn:
        years, entries = qns.dac_list(conn)
    assert years == "2024-2025"
    assert len(entries) == 141
    assert sorted(e.iso2 for e in entries.values() if not e.verified) == [
        "BY",
        "LB",
        "LY",
        "SH",
        "TM",
        "WF",
    ]


def project(engine, principal="admin", **changes):
    values = dict(
        link_id=link_id(engine, "Q365", "Q3572"),
        title="Drinking water for La Marsa",
        themes=["drinking_water", "infrastructure"],
        budget=180_000,
        funders=["SKEW Nakopa", "Stadt Köln"],
        start_date="2023-03",
        end_date="2025-02",
    )
    with writing(engine, principal) as w:
        return add_dev_project(w, **{**values, **changes})


def test_a_development_project_keeps_its_themes_budget_and_funders(engine_with_reference):
    engine = engine_with_reference
    new = project(engine)
    with engine.connect() as conn:
        found = qns.dev_project_detail(conn, new)
    assert found["themes"] == ["drinking_water", "infrastructure"]
    assert found["budget"] == 180_000
    assert found["funders"] == ["SKEW Nakopa", "Stadt Köln"]
    with engine.connect() as conn:
        assert [p["id"] for p in qns.dev_projects(conn, theme="drinking_water")] == [new]
        assert qns.dev_projects(conn, theme="climate") == []


def test_a_project_with_an_unknown_theme_is_refused(engine_with_reference):
    with pytest.raises(Invalid) as refused:
        project(engine_with_reference, themes=["tourism"])
    assert refused.value.field == "themes"


def test_a_project_that_ends_before_it_starts_is_refused(engine_with_reference):
    with pytest.raises(Invalid) as refused:
        project(engine_with_reference, start_date="2025-01", end_date="2024-12")
    assert refused.value.rule == "end_after_start"


def test_an_editor_of_either_side_may_add_a_project_and_others_may_not(engine_with_reference):
    engine = engine_with_reference
    tunis = Principal("tunis-office", "editor", frozenset({place_id(engine, "Q3572")}))
    assert project(engine, tunis) > 0
    bonn = Principal("bonn-office", "editor", frozenset({place_id(engine, "Q586")}))
    with pytest.raises(Forbidden):
        project(engine, bonn)


def test_a_company_is_engaged_in_a_project(engine_with_reference):
    engine = engine_with_reference
    new = project(engine)
    utility = add_actor(engine, place_id(engine, "Q365"), "RheinEnergie", "company")
    with writing(engine, "admin") as w:
        engage_company(w, new, "water works know-how", actor_id=utility)
    with engine.connect() as conn:
        [company] = qns.dev_project_detail(conn, new)["companies"]
    assert (company["name"], company["role"]) == ("RheinEnergie", "water works know-how")


def test_a_new_company_can_be_named_with_its_municipality(engine_with_reference):
    engine = engine_with_reference
    new = project(engine)
    with writing(engine, "admin") as w:
        engage_company(
            w,
            new,
            "pumps",
            company_name="Pumpen GmbH",
            company_municipality_id=place_id(engine, "Q365"),
        )
    with engine.connect() as conn:
        assert [c["name"] for c in qns.dev_project_detail(conn, new)["companies"]] == [
            "Pumpen GmbH"
        ]


def test_an_actor_that_is_not_a_company_is_refused(engine_with_reference):
    engine = engine_with_reference
    new = project(engine)
    club = add_actor(engine, place_id(engine, "Q365"), "Freundeskreis Köln–Tunis", "association")
    with pytest.raises(Invalid) as refused, writing(engine, "admin") as w:
        engage_company(w, new, "partner", actor_id=club)
    assert refused.value.rule == "kind"


def test_a_company_is_engaged_once_per_project(engine_with_reference):
    engine = engine_with_reference
    new = project(engine)
    utility = add_actor(engine, place_id(engine, "Q365"), "RheinEnergie", "company")
    with writing(engine, "admin") as w:
        engage_company(w, new, "advice", actor_id=utility)
    with pytest.raises(Conflict), writing(engine, "admin") as w:
        engage_company(w, new, "advice again", actor_id=utility)


def test_a_project_change_based_on_a_stale_version_is_refused(engine_with_reference):
    engine = engine_with_reference
    new = project(engine)
    with writing(engine, "admin") as w:
        assert update_dev_project(w, new, {"budget": 200_000}, expected_version=1) == 2
    with pytest.raises(PreconditionFailed), writing(engine, "admin") as w:
        update_dev_project(w, new, {"budget": 210_000}, expected_version=1)
    with engine.connect() as conn:
        assert qns.dev_project_detail(conn, new)["budget"] == 200_000

"""Funding programmes, plan checks and grants on a real database."""

import datetime as dt

import pytest

from jumelage.domain.permissions import Principal
from jumelage.errors import Forbidden, Invalid
from jumelage.services import writing
from jumelage.services.programmes import add_dev_project, record_grant
from jumelage.store import queries_programmes as q
from tests.programmes.builders import add_activity, link_id, place_id

TODAY = dt.date(2025, 3, 1)


def check(engine, key, **spec):
    with engine.connect() as conn:
        return q.programme_check(conn, key, q.PlanSpec(**spec), TODAY)


def failed(result):
    return [r["rule"] for r in result["rules"] if r["met"] is False]


def test_the_bundled_programmes_are_in_the_registry_with_their_sources(engine_with_reference):
    with engine_with_reference.connect() as conn:
        held = {p["key"]: p for p in q.programmes(conn)}
    assert set(held) == {
        "cerv-town-twinning",
        "cerv-networks-of-towns",
        "skew-small-projects",
        "skew-nakopa",
        "franco-german-citizens-fund",
    }
    assert all(p["sources"][0].startswith("https://") for p in held.values())
    assert held["cerv-town-twinning"]["rules"][2]["text"] == "at least 50 participants"


def cerv(engine, **changes):
    values = dict(
        applicant_id=place_id(engine, "Q622"),  # Ludwigsburg
        partner_ids=(place_id(engine, "Q154715"),),  # Montbéliard
        participants=60,
        invited_from_abroad=30,
        duration_months=9,
        amount=25_000,
    )
    return check(engine, "cerv-town-twinning", **{**values, **changes})


def test_a_cerv_town_twinning_plan_with_one_country_is_ineligible_naming_the_rule(
    engine_with_reference,
):
    result = cerv(engine_with_reference, partner_ids=(place_id(engine_with_reference, "Q586"),))
    assert not result["eligible"]
    assert failed(result) == ["min_countries"]


def test_a_cerv_town_twinning_plan_with_40_participants_is_ineligible(engine_with_reference):
    result = cerv(engine_with_reference, participants=40)
    assert failed(result) == ["min_participants"]


def test_a_compliant_cerv_town_twinning_plan_is_eligible(engine_with_reference):
    result = cerv(engine_with_reference)
    assert result["eligible"]
    assert result["plan"]["countries"] == ["DE", "FR"]


def test_a_skew_request_for_a_partner_outside_the_dac_list_is_refused(engine_with_reference):
    result = check(
        engine_with_reference,
        "skew-small-projects",
        applicant_id=place_id(engine_with_reference, "Q622"),
        partner_ids=(place_id(engine_with_reference, "Q154715"),),
        amount=10_000,
        total_cost=12_000,
        duration_months=6,
    )
    assert not result["eligible"]
    assert failed(result) == ["partner_in_dac_list"]


def test_a_skew_request_with_tunis_as_partner_is_eligible(engine_with_reference):
    result = check(
        engine_with_reference,
        "skew-small-projects",
        applicant_id=place_id(engine_with_reference, "Q365"),
        partner_ids=(place_id(engine_with_reference, "Q3572"),),
        amount=10_000,
        total_cost=12_000,
        duration_months=6,
    )
    assert result["eligible"]


def test_a_planned_activity_is_checked_with_its_own_facts(engine_with_reference):
    engine = engine_with_reference
    activity = add_activity(
        engine,
        link_id(engine, "Q622", "Q154715"),
        "2025-04-01",
        end_date="2025-11-30",
        participants=80,
        invited_from_abroad=20,
        planned=1,
    )
    result = check(engine, "cerv-town-twinning", activity_id=activity, amount=20_000)
    assert result["plan"]["duration_months"] == 8
    assert result["plan"]["on"] == "2025-04-01"
    assert failed(result) == ["min_invited_from_abroad"]


def test_a_check_of_an_unknown_activity_is_refused(engine_with_reference):
    with pytest.raises(Invalid) as refused:
        check(engine_with_reference, "cerv-town-twinning", activity_id=999_999)
    assert refused.value.field == "activity_id"


def test_a_check_against_an_unknown_programme_finds_nothing(engine_with_reference):
    assert check(engine_with_reference, "no-such-fund") is None


def grant(engine, principal, **values):
    with writing(engine, principal) as w:
        return record_grant(w, **values)


def test_a_grant_is_recorded_for_a_link(engine_with_reference):
    engine = engine_with_reference
    ludwigsburg = place_id(engine, "Q622")
    editor = Principal("lb-office", "editor", frozenset({ludwigsburg}))
    link = link_id(engine, "Q622", "Q154715")
    grant(
        engine,
        editor,
        programme_key="cerv-town-twinning",
        municipality_id=ludwigsburg,
        amount=30_000,
        year=2024,
        link_id=link,
    )
    with engine.connect() as conn:
        [held] = q.grants(conn, link_id=link)
    assert held["programme"]["key"] == "cerv-town-twinning"
    assert (held["amount"], held["currency"], held["year"]) == (30_000, "EUR", 2024)


def test_a_grant_is_recorded_for_a_development_project(engine_with_reference):
    engine = engine_with_reference
    koeln = place_id(engine, "Q365")
    with writing(engine, "admin") as w:
        project = add_dev_project(w, link_id(engine, "Q365", "Q3572"), "Water", ["drinking_water"])
    grant(
        engine,
        "admin",
        programme_key="skew-nakopa",
        municipality_id=koeln,
        amount=120_000,
        year=2023,
        project_id=project,
    )
    with engine.connect() as conn:
        [held] = q.grants(conn, project_id=project)
    assert held["link_id"] == link_id(engine, "Q365", "Q3572")


def test_a_grant_to_a_municipality_outside_the_link_is_refused(engine_with_reference):
    engine = engine_with_reference
    with pytest.raises(Invalid) as refused:
        grant(
            engine,
            "admin",
            programme_key="cerv-town-twinning",
            municipality_id=place_id(engine, "Q586"),
            amount=1,
            year=2024,
            link_id=link_id(engine, "Q622", "Q154715"),
        )
    assert refused.value.rule == "side"


def test_a_grant_of_an_unknown_programme_is_refused(engine_with_reference):
    engine = engine_with_reference
    with pytest.raises(Invalid) as refused:
        grant(
            engine,
            "admin",
            programme_key="lottery",
            municipality_id=place_id(engine, "Q622"),
            amount=1,
            year=2024,
            link_id=link_id(engine, "Q622", "Q154715"),
        )
    assert refused.value.field == "programme"


def test_an_editor_may_not_record_a_grant_of_another_municipality(engine_with_reference):
    engine = engine_with_reference
    bonn = Principal("bonn-office", "editor", frozenset({place_id(engine, "Q586")}))
    with pytest.raises(Forbidden):
        grant(
            engine,
            bonn,
            programme_key="cerv-town-twinning",
            municipality_id=place_id(engine, "Q622"),
            amount=1,
            year=2024,
            link_id=link_id(engine, "Q622", "Q154715"),
        )

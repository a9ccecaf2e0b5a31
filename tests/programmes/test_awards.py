"""The award register and applications on a real database (SQLite and PostgreSQL)."""

import pytest
from sqlalchemy import func, select

from jumelage.domain.permissions import Principal
from jumelage.errors import Conflict, Forbidden, Invalid
from jumelage.services import writing
from jumelage.services.programmes import apply_for_award, register_award
from jumelage.store import queries_programmes as q
from jumelage.store.schema_programmes import award
from tests.programmes.builders import add_activity, link_id, place_id


@pytest.fixture
def koeln(loaded_engine):
    """Köln with an exchange with Liverpool in every year of the ladder."""
    liverpool = link_id(loaded_engine, "Q365", "Q24826")
    for year in (2000, 2004, 2006, 2008, 2012):
        add_activity(loaded_engine, liverpool, f"{year}-05-10", participants=40)
    return place_id(loaded_engine, "Q365")


def register(engine, municipality, level, year):
    with writing(engine, "umbrella") as w:
        return register_award(w, municipality, level, year, "Council of Europe")


def apply(engine, municipality, level, year, min_years=3):
    with writing(engine, "koeln-office") as w:
        return apply_for_award(w, municipality, level, year, min_years)


def test_a_flag_of_honour_is_refused_without_a_diploma(loaded_engine, koeln):
    with pytest.raises(Invalid) as refused:
        apply(loaded_engine, koeln, "flag", 2004)
    assert refused.value.rule == "previous_level"
    assert "requires the European Diploma first" in refused.value.message


def test_the_full_ladder_in_order_is_accepted(loaded_engine, koeln):
    for level, year in (("diploma", 2000), ("flag", 2004), ("plaque", 2008), ("prize", 2012)):
        dossier = apply(loaded_engine, koeln, level, year)
        assert dossier["eligibility"]["eligible"], level
        register(loaded_engine, koeln, level, year)
    with loaded_engine.connect() as conn:
        assert q.awards_held(conn, koeln) == {
            "diploma": 2000,
            "flag": 2004,
            "plaque": 2008,
            "prize": 2012,
        }


def test_a_plaque_too_soon_after_the_flag_is_refused_under_three_years_and_accepted_under_none(
    loaded_engine, koeln
):
    register(loaded_engine, koeln, "diploma", 2000)
    register(loaded_engine, koeln, "flag", 2004)
    with pytest.raises(Invalid) as refused:
        apply(loaded_engine, koeln, "plaque", 2006, min_years=3)
    assert refused.value.rule == "min_years"
    dossier = apply(loaded_engine, koeln, "plaque", 2006, min_years=0)
    assert dossier["eligibility"]["eligible"]


def test_an_application_without_a_twin_town_is_refused(loaded_engine):
    # Deventer's only partnership (with Westerkappeln) was ended by Deventer in 2014.
    deventer = place_id(loaded_engine, "Q10001")
    with pytest.raises(Invalid) as refused:
        apply(loaded_engine, deventer, "diploma", 2020)
    reasons = {r["rule"]: r["met"] for r in refused.value.details["reasons"]}
    assert reasons["twin_town"] is False


def test_a_refused_application_gives_every_reason(loaded_engine):
    deventer = place_id(loaded_engine, "Q10001")
    with pytest.raises(Invalid) as refused:
        apply(loaded_engine, deventer, "plaque", 2020)
    failed = [r["rule"] for r in refused.value.details["reasons"] if not r["met"]]
    assert failed == ["previous_level", "min_years", "twin_town", "activities"]


def test_registering_a_flag_without_a_diploma_is_refused_and_changes_nothing(loaded_engine, koeln):
    with pytest.raises(Invalid) as refused:
        register(loaded_engine, koeln, "flag", 2004)
    assert refused.value.rule == "ladder"
    with loaded_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(award)).scalar() == 0


def test_registering_a_level_twice_is_a_conflict(loaded_engine, koeln):
    register(loaded_engine, koeln, "diploma", 2000)
    with pytest.raises(Conflict):
        register(loaded_engine, koeln, "diploma", 2001)


def test_an_editor_may_not_register_an_award(loaded_engine, koeln):
    editor = Principal("koeln-office", "editor", frozenset({koeln}))
    with pytest.raises(Forbidden), writing(loaded_engine, editor) as w:
        register_award(w, koeln, "diploma", 2000)


def test_an_editor_may_not_apply_for_another_municipality(loaded_engine, koeln):
    bonn = Principal("bonn-office", "editor", frozenset({place_id(loaded_engine, "Q586")}))
    with pytest.raises(Forbidden), writing(loaded_engine, bonn) as w:
        apply_for_award(w, koeln, "diploma", 2000, 3)


def test_the_dossier_names_the_previous_distinction_twin_towns_and_the_years_activities(
    loaded_engine, koeln
):
    register(loaded_engine, koeln, "diploma", 2000)
    with loaded_engine.connect() as conn:
        dossier = q.award_dossier(conn, koeln, "flag", 2004, 3)
    assert dossier["municipality"]["name"] == "Köln"
    assert dossier["previous"] == {
        "level": "diploma",
        "level_name": "European Diploma",
        "year": 2000,
    }
    assert "Liverpool" in {t["partner"]["name"] for t in dossier["twin_towns"]}
    assert [a["start_date"] for a in dossier["activities"]] == ["2004-05-10"]
    assert dossier["eligibility"]["eligible"]


def test_planned_activities_do_not_count_for_an_application(loaded_engine):
    koeln = place_id(loaded_engine, "Q365")
    add_activity(loaded_engine, link_id(loaded_engine, "Q365", "Q24826"), "2020-05-01", planned=1)
    with loaded_engine.connect() as conn:
        assert q.activities_in_year(conn, koeln, 2020) == []


def test_an_application_is_recorded_in_the_audit_trail(loaded_engine, koeln):
    from jumelage.store.schema import audit_log

    apply(loaded_engine, koeln, "diploma", 2000)
    with loaded_engine.connect() as conn:
        row = conn.execute(
            select(audit_log).where(audit_log.c.object_type == "award_application")
        ).one()
    assert row.after == {"level": "diploma", "year": 2000}
    assert row.object_id == koeln

"""The Europe Prize ladder as pure rules: no database."""

from jumelage.domain.awards import check_eligibility, ladder_problem, next_level


def reasons(check):
    return {r.rule: r for r in check.reasons}


def test_a_flag_of_honour_is_refused_without_a_diploma():
    check = check_eligibility("flag", 2024, {}, twin_towns=2, activities=5, min_years=3)
    assert not check.eligible
    assert not reasons(check)["previous_level"].met
    assert "European Diploma" in reasons(check)["previous_level"].message


def test_the_diploma_needs_no_earlier_distinction():
    check = check_eligibility("diploma", 2024, {}, twin_towns=1, activities=1, min_years=3)
    assert check.eligible


def test_a_plaque_too_soon_after_the_flag_is_refused_under_a_three_year_setting():
    held = {"diploma": 2015, "flag": 2022}
    check = check_eligibility("plaque", 2024, held, twin_towns=1, activities=1, min_years=3)
    assert not check.eligible
    assert [r.rule for r in check.failed] == ["min_years"]
    assert "2 years since the Flag of Honour" in reasons(check)["min_years"].message


def test_a_plaque_soon_after_the_flag_is_accepted_when_no_waiting_time_is_set():
    held = {"diploma": 2015, "flag": 2022}
    check = check_eligibility("plaque", 2024, held, twin_towns=1, activities=1, min_years=0)
    assert check.eligible


def test_an_application_without_a_twin_town_is_refused():
    check = check_eligibility("diploma", 2024, {}, twin_towns=0, activities=3, min_years=3)
    assert [r.rule for r in check.failed] == ["twin_town"]


def test_an_application_without_activities_in_its_year_is_refused():
    check = check_eligibility("diploma", 2024, {}, twin_towns=1, activities=0, min_years=3)
    assert [r.rule for r in check.failed] == ["activities"]
    assert "2024" in check.failed[0].message


def test_a_level_already_received_is_refused():
    check = check_eligibility("diploma", 2024, {"diploma": 2010}, 1, 1, min_years=3)
    assert [r.rule for r in check.failed] == ["not_held"]


def test_every_reason_is_given_when_several_rules_fail():
    check = check_eligibility("prize", 2024, {}, twin_towns=0, activities=0, min_years=3)
    assert {r.rule for r in check.failed} == {
        "previous_level",
        "min_years",
        "twin_town",
        "activities",
    }
    assert len(check.to_dict()["reasons"]) == 5


def test_the_register_refuses_a_level_out_of_order():
    assert ladder_problem("plaque", 2010, {"diploma": 2000}) == (
        "the Plaque of Honour requires the Flag of Honour first"
    )


def test_the_register_refuses_a_level_dated_before_the_previous_one():
    assert "cannot precede" in ladder_problem("flag", 1999, {"diploma": 2000})


def test_the_register_accepts_the_next_level_in_order():
    assert ladder_problem("flag", 2004, {"diploma": 2000}) is None


def test_the_next_level_follows_the_ladder():
    assert next_level({}) == "diploma"
    assert next_level({"diploma": 2000, "flag": 2004}) == "plaque"
    assert next_level({"diploma": 1, "flag": 2, "plaque": 3, "prize": 4}) is None

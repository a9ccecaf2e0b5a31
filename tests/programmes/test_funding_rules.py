"""Funding rules as pure code: the bundled programmes checked against plans, no database."""

import datetime as dt

import pytest

from jumelage.domain.dates import PartialDate
from jumelage.domain.funding import (
    Plan,
    check_plan,
    eu_members_on,
    months_between,
    rule_problems,
    rule_text,
)
from jumelage.services.programmes import read_programmes

RULES = {p["key"]: p["rules"] for p in read_programmes()}
DAC = {"TN", "BF", "NI", "UA"}
DAY = dt.date(2025, 3, 1)


def cerv_plan(**changes):
    values = dict(
        on=DAY,
        applicant_country="DE",
        partner_countries=("FR",),
        participants=60,
        invited_from_abroad=30,
        duration_months=8,
        amount=30_000,
    )
    return Plan(**{**values, **changes})


def failed(check):
    return [r.rule for r in check.results if r.met is False]


def test_a_compliant_cerv_town_twinning_plan_is_eligible():
    assert check_plan(RULES["cerv-town-twinning"], cerv_plan(), DAC).eligible


def test_a_cerv_town_twinning_plan_with_one_country_is_ineligible():
    check = check_plan(RULES["cerv-town-twinning"], cerv_plan(partner_countries=("DE",)), DAC)
    assert not check.eligible
    assert failed(check) == ["min_countries"]


def test_a_cerv_town_twinning_plan_with_40_participants_is_ineligible():
    check = check_plan(RULES["cerv-town-twinning"], cerv_plan(participants=40), DAC)
    assert failed(check) == ["min_participants"]
    assert "40 participants, at least 50" in check.results[2].message


def test_a_cerv_plan_needs_an_eu_member_among_its_countries():
    plan = cerv_plan(applicant_country="RS", partner_countries=("UA",))
    assert failed(check_plan(RULES["cerv-town-twinning"], plan, DAC)) == ["min_eu_countries"]


def test_a_country_outside_the_eligible_ones_does_not_count_for_cerv():
    plan = cerv_plan(partner_countries=("US",))
    assert failed(check_plan(RULES["cerv-town-twinning"], plan, DAC)) == ["min_countries"]


def test_a_british_partner_counted_as_eu_member_only_until_brexit():
    rules = [{"rule": "min_eu_countries", "value": 2}]
    before = Plan(on=dt.date(2019, 6, 1), applicant_country="DE", partner_countries=("GB",))
    after = Plan(on=dt.date(2020, 2, 1), applicant_country="DE", partner_countries=("GB",))
    assert check_plan(rules, before, DAC).eligible
    assert not check_plan(rules, after, DAC).eligible


def test_the_eu_has_27_members_since_february_2020_and_had_28_before():
    assert len(eu_members_on(dt.date(2020, 2, 1))) == 27
    assert len(eu_members_on(dt.date(2020, 1, 31))) == 28
    assert "HR" not in eu_members_on(dt.date(2013, 6, 30))


def test_a_cerv_network_needs_four_countries_of_which_two_in_the_eu():
    plan = Plan(on=DAY, applicant_country="DE", partner_countries=("FR", "RS"), duration_months=18)
    check = check_plan(RULES["cerv-networks-of-towns"], plan, DAC)
    assert failed(check) == ["min_countries"]
    bigger = Plan(
        on=DAY, applicant_country="DE", partner_countries=("FR", "RS", "PL"), duration_months=18
    )
    assert check_plan(RULES["cerv-networks-of-towns"], bigger, DAC).eligible


def skew_plan(**changes):
    values = dict(
        on=DAY,
        applicant_country="DE",
        partner_countries=("TN",),
        amount=15_000,
        total_cost=20_000,
        duration_months=10,
    )
    return Plan(**{**values, **changes})


def test_a_skew_request_for_a_partner_outside_the_dac_list_is_refused():
    check = check_plan(RULES["skew-small-projects"], skew_plan(partner_countries=("FR",)), DAC)
    assert failed(check) == ["partner_in_dac_list"]


def test_a_skew_request_with_a_partner_on_the_dac_list_is_eligible():
    assert check_plan(RULES["skew-small-projects"], skew_plan(), DAC).eligible


def test_a_skew_encounter_may_ask_up_to_50000_but_another_kind_only_20000():
    big = dict(amount=45_000, total_cost=60_000)
    assert check_plan(
        RULES["skew-small-projects"], skew_plan(kind="encounter", **big), DAC
    ).eligible
    check = check_plan(RULES["skew-small-projects"], skew_plan(kind="other", **big), DAC)
    assert failed(check) == ["amount"]


def test_nakopa_asks_between_50000_and_250000():
    rules = RULES["skew-nakopa"]
    assert check_plan(rules, skew_plan(amount=100_000), DAC).eligible
    assert failed(check_plan(rules, skew_plan(amount=300_000), DAC)) == ["amount"]


def test_the_franco_german_fund_pays_at_most_80_percent_of_a_franco_german_project():
    rules = RULES["franco-german-citizens-fund"]
    plan = Plan(
        on=DAY, applicant_country="DE", partner_countries=("FR",), amount=8_000, total_cost=10_000
    )
    assert check_plan(rules, plan, DAC).eligible
    assert failed(check_plan(rules, Plan(**{**plan.__dict__, "amount": 9_000}), DAC)) == [
        "max_cost_share"
    ]
    italian = Plan(
        on=DAY, applicant_country="DE", partner_countries=("IT",), amount=1, total_cost=10
    )
    assert failed(check_plan(rules, italian, DAC)) == ["countries_include"]


def test_a_rule_the_plan_gives_no_facts_for_is_unknown_and_not_eligible():
    check = check_plan(RULES["cerv-town-twinning"], cerv_plan(participants=None), DAC)
    assert [r.met for r in check.results if r.rule == "min_participants"] == [None]
    assert not check.eligible
    assert check.to_dict()["unknown"] == ["min_participants"]


def test_a_partner_country_rule_looks_at_the_partners_only():
    rules = [{"rule": "partner_country_in", "values": ["FR"]}]
    assert check_plan(
        rules, Plan(on=DAY, applicant_country="DE", partner_countries=("FR",)), DAC
    ).eligible
    assert not check_plan(
        rules, Plan(on=DAY, applicant_country="FR", partner_countries=("DE",)), DAC
    ).eligible


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2025-01-01", "2025-06-30", 6),
        ("2025-01-15", "2025-07-14", 6),
        ("2025-01-15", "2025-07-15", 7),
        ("2025-03-10", "2025-03-12", 1),
        ("2025", "2025", 12),
        ("2025-02", "2026-01", 12),
    ],
)
def test_a_duration_counts_whole_months_and_a_begun_month_as_one(start, end, months):
    assert months_between(PartialDate.parse(start), PartialDate.parse(end)) == months


def test_every_bundled_programme_has_well_formed_rules_and_a_source():
    for programme in read_programmes():
        assert rule_problems(programme["rules"]) == []
        assert programme["sources"], programme["key"]
        assert all(rule_text(r) for r in programme["rules"])


@pytest.mark.parametrize(
    ("rules", "problem"),
    [
        ([{"rule": "min_cats", "value": 1}], "unknown rule 'min_cats'"),
        ([{"rule": "min_participants"}], "min_participants needs 'value'"),
        ([{"rule": "amount", "min": 10, "max": 5}], "'min' exceeds 'max'"),
        ([{"rule": "max_cost_share", "value": 80}], "a share between 0 and 1"),
        ([{"rule": "countries_include", "values": ["France"]}], "not an ISO country code"),
        ("min_countries", "rules must be a list"),
    ],
)
def test_a_malformed_rule_is_named(rules, problem):
    assert any(problem in p for p in rule_problems(rules))

"""The award, funding, north-south and network commands."""

import json

import pytest
from typer.testing import CliRunner

from jumelage.cli import app
from tests.programmes.builders import add_activity, link_id


@pytest.fixture
def cli(engine_with_reference):
    runner = CliRunner()
    env = {"JUMELAGE_DATABASE_URL": engine_with_reference.url.render_as_string(hide_password=False)}
    return lambda *args: runner.invoke(app, list(args), env=env)


def test_an_award_check_lists_every_reason(cli):
    result = cli("award", "check", "Köln", "flag", "--year", "2020")
    assert result.exit_code == 0, result.output
    assert "Flag of Honour 2020: NOT eligible" in result.output
    assert "requires the European Diploma first" in result.output


def test_registering_a_flag_without_a_diploma_fails_with_one_line(cli):
    result = cli("award", "register", "Q365", "flag", "2004")
    assert result.exit_code == 1
    assert "error: the Flag of Honour requires the European Diploma first" in result.output


def test_the_ladder_can_be_registered_in_order(cli):
    assert cli("award", "register", "Q365", "diploma", "2000").exit_code == 0
    assert cli("award", "register", "Q365", "flag", "2004").exit_code == 0
    listed = json.loads(cli("award", "list", "--municipality", "Q365", "--json").output)
    assert [a["level"] for a in listed] == ["flag", "diploma"]


def test_a_printable_dossier_is_written_to_a_file(cli, tmp_path, engine_with_reference):
    add_activity(
        engine_with_reference, link_id(engine_with_reference, "Q365", "Q24826"), "2020-06-01"
    )
    page = tmp_path / "dossier.html"
    result = cli("award", "dossier", "Q365", "diploma", "--year", "2020", "--html", str(page))
    assert result.exit_code == 0, result.output
    assert "Liverpool" in page.read_text(encoding="utf-8")


def test_a_funding_check_names_the_failing_rule_and_exits_1(cli):
    result = cli(
        "funding",
        "check",
        "cerv-town-twinning",
        "--applicant",
        "Q622",
        "--partner",
        "Q154715",
        "--participants",
        "40",
        "--invited",
        "30",
        "--months",
        "8",
        "--amount",
        "20000",
    )
    assert result.exit_code == 1
    assert "[ ] min_participants: 40 participants, at least 50" in result.output


def test_a_compliant_funding_check_exits_0(cli):
    result = cli(
        "funding",
        "check",
        "skew-nakopa",
        "--applicant",
        "Q365",
        "--partner",
        "Q3572",
        "--amount",
        "100000",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["eligible"] is True


def test_the_north_south_classification_of_koeln_tunis(cli, engine_with_reference):
    result = cli("north-south", "classify", str(link_id(engine_with_reference, "Q365", "Q3572")))
    assert result.exit_code == 0
    assert "Köln – Tunis (1964-01-01): north_south" in result.output


def test_a_network_is_shown_as_of_a_date(cli):
    assert cli("network", "create", "ring", "A ring", "--kind", "ring").exit_code == 0
    assert (
        cli("network", "add-member", "ring", "Q365", "--joined", "1990", "--left", "2000").exit_code
        == 0
    )
    shown = json.loads(cli("network", "show", "ring", "--as-of", "2001", "--json").output)
    assert shown["members"] == []


def test_loading_the_reference_data_again_changes_nothing(cli):
    result = cli("load-reference", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["changed"] is False

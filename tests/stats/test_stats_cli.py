"""`jumelage stats …` on the fixture registry."""

import json

import pytest

from tests.cli.conftest import Cli


@pytest.fixture
def cli(registry):
    return Cli(registry.settings.database_url)


def test_the_municipality_ranking_prints_a_table_with_its_definition(cli):
    result = cli("stats", "municipalities", "--country", "DE", "--municipality", "Köln")
    assert result.exit_code == 0, result.output
    assert "Köln" in result.stdout
    assert "distinct pairs" in result.stdout
    assert "coverage: 11 of 19 links counted" in result.stdout
    assert "unconfirmed 8" in result.stdout
    every = cli(
        "stats", "municipalities", "--country", "DE", "--with-networks", "--confirmed-since", "any"
    )
    assert "coverage: 19 of 19 links counted" in every.stdout


def test_json_output_is_the_api_s_dict(cli):
    result = cli("stats", "countries", "--region", "europe", "--count", "per_side", "--json")
    body = json.loads(result.stdout)
    assert body["items"][0]["country"] == "DE"
    assert body["parameters"]["count"] == "per_side"


def test_the_firsts_use_historical_states(cli):
    body = json.loads(cli("stats", "firsts", "--a", "FRG", "--b", "GDR", "--json").stdout)
    assert body["items"][0]["link"]["start_date"] == "1987-02"


def test_the_network_table_sets_ours_beside_konect(cli):
    result = cli("stats", "network")
    assert result.exit_code == 0, result.output
    assert "KONECT 2017" in result.stdout and "10,320" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("stats", "pairs", "--states", "historical"),
        ("stats", "decades"),
        ("stats", "centrality", "--measure", "eigenvector"),
        ("stats", "communities"),
        ("stats", "distances", "--sample", "300"),
        ("stats", "power-law", "--bootstrap", "3"),
    ],
)
def test_every_stats_command_runs(cli, args):
    result = cli(*args)
    assert result.exit_code == 0, result.output


def test_the_graph_export_writes_graphml_to_a_file(cli, tmp_path):
    path = tmp_path / "links.graphml"
    result = cli("stats", "export", "--format", "graphml", "-o", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").count("<edge ") == 19


def test_an_unknown_export_format_is_one_line_and_exit_code_2(cli):
    result = cli("stats", "export", "--format", "pdf")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown format 'pdf'")


def test_a_bad_definition_is_one_line_and_exit_code_1(cli):
    result = cli("stats", "municipalities", "--count", "twice")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: count must be one of distinct, per_side"

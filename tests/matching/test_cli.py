"""`jumelage match` and `jumelage evaluate-matching` on the fixture registry."""

import json

import pytest
from typer.testing import CliRunner

from jumelage.cli import app


@pytest.fixture
def cli(registry, tmp_path):
    runner = CliRunner()
    env = {
        "JUMELAGE_DATABASE_URL": registry.settings.database_url,
        "JUMELAGE_DATA_DIR": str(tmp_path),
    }
    return lambda *args: runner.invoke(app, list(args), env=env)


def test_match_prints_recommendations_with_reasons_as_json(cli):
    result = cli("match", "Köln", "--json", "--limit", "3")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["municipality"]["name"] == "Köln" and len(body["items"]) == 3
    assert all(item["reasons"] for item in body["items"])


def test_match_prints_a_table_in_contrast_mode(cli):
    result = cli("match", "Cologne", "--mode", "contrast")
    assert result.exit_code == 0, result.output
    assert "contrast" in result.stdout


def test_match_names_an_unknown_municipality_in_one_line(cli):
    result = cli("match", "Nowheresville")
    assert result.exit_code == 1
    assert "no municipality is called 'Nowheresville'" in result.output


def test_evaluate_matching_reports_the_matcher_and_every_baseline(cli):
    result = cli("evaluate-matching", "--json", "--seed", "1", "--seeds", "2", "--holdout", "0.3")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["metrics"]) >= {
        "matcher", "random", "adamic_adar", "size_distance", "resource_allocation", "hybrid",
        "logistic",
    }  # fmt: skip
    assert report["split"] == "random" and report["seed"] == 1 and report["seeds"] == [1, 2]
    assert [r["seed"] for r in report["per_seed"]] == [1, 2] and len(report["ratio_per_seed"]) == 2
    assert set(report["spread"]["matcher"]) == {"recall@10", "recall@50", "mrr"}
    assert set(report["populations"]) == {"with_training_partners", "without_training_partners"}
    assert "seed 2 done (2/2)" in result.stderr

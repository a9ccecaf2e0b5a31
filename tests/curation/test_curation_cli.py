"""`jumelage curation list|show|decide` on a registry with a duplicate."""

from __future__ import annotations

import orjson
import pytest
from typer.testing import CliRunner

from jumelage.cli import app
from jumelage.services.curation import read_decisions

from .conftest import TWIN_KEY

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def run(curated):
    env = {
        "JUMELAGE_DATABASE_URL": curated.settings.database_url,
        "JUMELAGE_DATA_DIR": str(curated.settings.data_dir),
    }
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), env=env)


def _duplicate_id(run) -> int:
    listed = run("curation", "list", "--kind", "duplicate", "--json")
    assert listed.exit_code == 0, listed.output
    items = orjson.loads(listed.stdout)["items"]
    return next(i["id"] for i in items if i["places"] == ["Q365", TWIN_KEY])


def test_list_show_and_decide_a_duplicate(run, curated):
    item_id = _duplicate_id(run)
    shown = run("curation", "show", str(item_id))
    assert shown.exit_code == 0
    assert [e["key"] for e in orjson.loads(shown.stdout)["evidence"]] == ["Q365", TWIN_KEY]
    decided = run("curation", "decide", str(item_id), "merge", "--keep", "Q365", "--actor", "ann")
    assert decided.exit_code == 0, decided.output
    assert f"item {item_id}: merge" in decided.stdout
    assert read_decisions(curated.settings.data_dir)[0]["actor"] == "ann"
    assert run("curation", "list", "--kind", "duplicate").stdout.count(TWIN_KEY) == 0


def test_a_refused_decision_is_one_line_and_exit_code_1(run, curated):
    item_id = _duplicate_id(run)
    refused = run("curation", "decide", str(item_id), "set_name", "--name", "X")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: a duplicate item takes one of: merge, keep_apart")
    assert read_decisions(curated.settings.data_dir) == []


def test_an_unknown_kind_is_exit_code_2(run):
    refused = run("curation", "list", "--kind", "nonsense")
    assert refused.exit_code == 2 and refused.stderr.count("\n") == 1

"""The give-back: confirmed facts as QuickStatements, the rest listed with a reason."""

from __future__ import annotations

import re

import orjson
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jumelage.app import create_app
from jumelage.cli import app
from jumelage.exports_quickstatements import ALREADY_THERE, give_back, time_value
from jumelage.services.curation import decide_and_keep
from jumelage.store import queries_curation
from tests.builders import bearer, token_for

from .conftest import (
    BONN,
    DOCUMENT,
    LILLE,
    confirmed_signing,
    ended_by_side,
    p190_file,
    p190_row,
    refresh_file,
)

pytestmark = pytest.mark.usefixtures("backend")

QID = r"Q[1-9][0-9]*"
TIME = r"\+\d{4}-\d{2}-\d{2}T00:00:00Z/(9|10|11)"
REFERENCE = r"(S854\t\"https?://[^\"\t]+\"|S248\t" + QID + ")"
STATEMENT = re.compile(rf"^{QID}\tP190\t{QID}(\tP580\t{TIME})?(\tP582\t{TIME})?\t{REFERENCE}$")


def test_a_time_keeps_its_precision():
    assert time_value("1958") == "+1958-00-00T00:00:00Z/9"
    assert time_value("1958-05") == "+1958-05-00T00:00:00Z/10"
    assert time_value("1958-05-09") == "+1958-05-09T00:00:00Z/11"


def test_only_facts_both_sides_confirmed_are_given_back(registry):
    confirmed_signing(registry.engine, "Q586", "Q648", 2021, "2021-05", DOCUMENT)
    confirmed_signing(registry.engine, "Q1492", "Q1476", 2021, "2021-06-01", "a letter")
    with registry.engine.connect() as conn:
        result = give_back(conn)
    assert result.lines == [
        f'Q586\tP190\tQ648\tP580\t+2021-05-00T00:00:00Z/10\tS854\t"{DOCUMENT}"',
        f'Q648\tP190\tQ586\tP580\t+2021-05-00T00:00:00Z/10\tS854\t"{DOCUMENT}"',
    ]
    assert all(STATEMENT.match(line) for line in result.lines)
    reasons = result.report()["left_out"]
    # The bundled sources' own links are never given back; Barcelona–Le Mans holds no
    # document a reference could cite.
    assert reasons["unconfirmed"] >= 15 and reasons["no reference"] == 1
    assert "no QID" in reasons


def _given_back(registry) -> list[str]:
    with registry.engine.connect() as conn:
        lines = give_back(conn).lines
    assert all(STATEMENT.match(line) for line in lines), lines
    return lines


def test_an_ending_a_curator_kept_against_wikidata_is_given_back_at_its_precision(
    registry, tmp_path
):
    confirmed_signing(registry.engine, "Q586", "Q648", 2021, "2021-05", DOCUMENT)
    ended_by_side(registry.engine, "Q586", "Q648", "2024-06-30")
    stated = p190_file(tmp_path / "p190.json", [p190_row(BONN, LILLE, "2021-05", "2025")])
    refresh_file(registry, stated)
    with registry.engine.connect() as conn:
        item = queries_curation.item_by_key(conn, "refresh_contradiction:Q586|Q648:end")
    decide_and_keep(registry.engine, "curator", registry.settings.data_dir, item.id, "reject")

    qualifiers = "P580\t+2021-05-00T00:00:00Z/10\tP582\t+2024-06-30T00:00:00Z/11"
    assert _given_back(registry) == [
        f'Q586\tP190\tQ648\t{qualifiers}\tS854\t"{DOCUMENT}"',
        f'Q648\tP190\tQ586\t{qualifiers}\tS854\t"{DOCUMENT}"',
    ]


def test_a_charter_held_as_a_wikidata_item_is_cited_as_stated_in(registry):
    confirmed_signing(registry.engine, "Q586", "Q648", 2021, "2021-05-09", "Q56760393")
    assert _given_back(registry) == [
        "Q586\tP190\tQ648\tP580\t+2021-05-09T00:00:00Z/11\tS248\tQ56760393",
        "Q648\tP190\tQ586\tP580\t+2021-05-09T00:00:00Z/11\tS248\tQ56760393",
    ]


def test_a_fact_wikidata_states_at_the_last_refresh_is_left_out_as_already_there(
    registry, tmp_path
):
    link_id = confirmed_signing(registry.engine, "Q586", "Q648", 2021, "2021-05", DOCUMENT)
    refresh_file(registry, p190_file(tmp_path / "p190.json", [p190_row(BONN, LILLE, "2021-05")]))
    with registry.engine.connect() as conn:
        result = give_back(conn)
    assert result.lines == []
    assert {"link_id": link_id, "a": "Q586", "b": "Q648", "reason": ALREADY_THERE} in (
        result.left_out
    )
    assert result.report()["left_out"][ALREADY_THERE] == 1


def test_the_command_writes_one_statement_a_line_and_the_report(registry, tmp_path):
    confirmed_signing(registry.engine, "Q586", "Q648", 2021, "2021-05", DOCUMENT)
    out, report = tmp_path / "give-back.qs", tmp_path / "left-out.json"
    result = CliRunner().invoke(
        app,
        ["export", "--format", "quickstatements", "-o", str(out), "--report", str(report)],
        env={"JUMELAGE_DATABASE_URL": registry.settings.database_url},
    )
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all(STATEMENT.match(line) for line in lines)
    assert "exported 2 statements; left out:" in result.stderr
    assert orjson.loads(report.read_bytes())["statements"] == 2


def test_the_endpoint_is_for_administrators(registry):
    confirmed_signing(registry.engine, "Q586", "Q648", 2021, "2021-05", DOCUMENT)
    with TestClient(create_app(registry)) as client:
        editor = bearer(token_for(registry.engine, "bonn", "editor", [6]))
        assert client.get("/api/v1/export/quickstatements", headers=editor).status_code == 403
        admin = bearer(token_for(registry.engine, "curator", "admin", []))
        answer = client.get("/api/v1/export/quickstatements", headers=admin)
    assert answer.status_code == 200
    body = answer.json()
    assert body["quickstatements"].count("\n") == 2 and body["report"]["statements"] == 2

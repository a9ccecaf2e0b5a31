"""Input the command line refuses: one line saying what to give instead, a non-zero
exit code, and nothing changed."""

import datetime as dt
import json

from sqlalchemy import func, select

from jumelage.services import writing
from jumelage.services.people import add_ambassador
from jumelage.store import queries_lifecycle
from jumelage.store.schema import link
from jumelage.store.schema_lifecycle import activity
from tests.builders import csv_link, write_csv

KOELN, LIVERPOOL = 3, 22
NEXT_YEAR = dt.date.today().year + 1


def _one_line_error(result, *words):
    assert result.exit_code != 0, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in result.output


def _count(engine, table):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_an_import_naming_the_country_xx_is_refused_and_creates_no_town(empty_cli, tmp_path):
    path = write_csv(tmp_path / "links.csv", [csv_link("Bonn", "DE", "Nowhere", "XX")])
    result = empty_cli("import", str(path), "--format", "csv")
    assert result.exit_code == 1
    assert "'XX' is not a country's ISO 3166-1 alpha-2 code" in result.stderr
    about = json.loads(empty_cli("about", "--json").stdout)["counts"]
    assert about["municipalities"] == 0 and about["links"] == 0


def test_a_garbage_file_imported_as_a_wikidata_dump_is_refused(empty_cli, tmp_path):
    path = tmp_path / "dump.json"
    path.write_text("this is not a dump\nat all\n")
    result = empty_cli("import", str(path), "--format", "wikidata-dump")
    _one_line_error(result, "holds no Wikidata entity", "--format csv")


def test_a_friendship_proposed_to_end_in_the_past_is_refused(cli, registry):
    before = _count(registry.engine, link)
    result = cli("link", "propose", "Bonn", "Lille", "--level", "friendship", "--until", "1999")
    _one_line_error(result, "end in the past (1999)", "give an end after today")
    assert _count(registry.engine, link) == before


def test_dormant_refuses_a_negative_number_of_years(cli):
    _one_line_error(cli("dormant", "--years", "-1"), "--years must be at least 1")
    _one_line_error(cli("dormant", "--years", "0"), "--years must be at least 1")


def test_a_country_given_by_its_name_is_refused_with_the_code_to_give(cli):
    _one_line_error(cli("partners", "Köln", "--country", "Germany"), "give DE, not 'Germany'")
    _one_line_error(
        cli("stats", "municipalities", "--country", "Germany"), "give DE, not 'Germany'"
    )
    _one_line_error(cli("stats", "municipalities", "--country", "XX"), "such as DE")
    assert cli("stats", "municipalities", "--country", "de", "--json").exit_code == 0
    assert cli("stats", "decades", "--country", "GDR", "--json").exit_code == 0


def test_an_activity_in_the_future_is_refused_as_held_and_accepted_as_planned(cli, registry):
    before = _count(registry.engine, activity)
    args = ["activity", "add", "1", "--kind", "visit", "--title", "Visit", "--date"]
    refused = cli(*args, f"{NEXT_YEAR}-06")
    _one_line_error(refused, "has not been held yet", "record it as planned")
    assert _count(registry.engine, activity) == before
    assert cli(*args, f"{NEXT_YEAR}-06", "--planned").exit_code == 0


def test_an_ambassadors_term_is_a_sign_of_life_against_dormancy(registry):
    today = dt.date.today()

    def dormant_ids():
        with registry.engine.connect() as conn:
            items, _ = queries_lifecycle.dormant_links(conn, today, 3, False, 1000)
        return {i["id"] for i in items}

    with registry.engine.connect() as conn:
        (link_id,) = conn.execute(
            select(link.c.id).where(link.c.a_id == KOELN, link.c.b_id == LIVERPOOL)
        ).one()
    assert link_id in dormant_ids()
    with writing(registry.engine, "test") as w:
        add_ambassador(w, "A. Smith", LIVERPOOL, KOELN, str(today.year - 1))
    assert link_id not in dormant_ids()

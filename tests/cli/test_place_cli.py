"""`jumelage place`: a municipality's facts and its name in each language, corrected from
the command line through the same service as the API and the page's form."""

import json

from sqlalchemy import select

from jumelage.store.schema import audit_log

KOELN = 3


def _shown(cli, ref="Q365"):
    result = cli("place", "show", ref, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_show_gives_the_name_of_each_language(cli):
    place = _shown(cli)
    assert place["name"] == "Köln"
    assert (place["names"]["en"], place["names"]["fr"]) == ("Cologne", "Cologne")


def test_set_changes_a_languages_name_and_the_facts_and_records_each(cli, registry):
    result = cli(
        "place", "set", "Q365", "--name-fr", "Cologne-sur-le-Rhin", "--population", "1087863",
        "--population-year", "2023", "--actor", "office",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "name (fr)\tCologne-sur-le-Rhin" in result.stdout
    place = _shown(cli)
    assert place["names"]["fr"] == "Cologne-sur-le-Rhin"
    assert (place["population"], place["population_year"]) == (1087863, 2023)
    with registry.engine.connect() as conn:
        recorded = conn.execute(
            select(audit_log.c.action, audit_log.c.actor).where(
                audit_log.c.object_type == "municipality", audit_log.c.object_id == KOELN
            )
        ).all()
    assert sorted(tuple(r) for r in recorded) == [("set_name", "office"), ("update", "office")]


def test_clear_name_lets_the_pages_of_a_language_show_the_main_name(cli):
    assert cli("place", "set", "Q365", "--clear-name", "en").exit_code == 0
    assert _shown(cli)["names"]["en"] is None


def _refused(result, words):
    assert result.exit_code == 1, result.output
    line = result.stderr.strip()
    assert line.startswith("error: ") and "\n" not in line, result.stderr
    assert words in line


def test_what_cannot_be_done_is_refused_in_one_line_and_changes_nothing(cli):
    before = _shown(cli)
    _refused(cli("place", "set", "Q365", "--clear-name", "it"), "de, en or fr, not 'it'")
    _refused(cli("place", "set", "Q365", "--lat", "50.9"), "both --lat and --lon")
    _refused(
        cli("place", "set", "Q365", "--name-fr", "X", "--clear-name", "fr"),
        "contradict each other",
    )
    _refused(cli("place", "set", "Q365"), "nothing to change")
    _refused(cli("place", "set", "Q365", "--name", " "), "needs a name")
    _refused(cli("place", "set", "Q365", "--lat", "91", "--lon", "0"), "latitude")
    _refused(cli("place", "set", "Nowhere-on-Sea", "--population", "5"), "Nowhere-on-Sea")
    assert _shown(cli) == before


def _file(tmp_path, text: str):
    path = tmp_path / "names.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_file_of_names_sets_each_and_a_second_run_changes_nothing(cli, tmp_path):
    path = _file(
        tmp_path,
        "place,country,lang,name\nQ365,,fr,Cologne-sur-le-Rhin\nLiverpool,GB,de,Liverpool\n"
        "Lille,FR,en,\n",
    )
    first = cli("place", "names", path)
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == "set 2 name(s); 1 unchanged"  # Lille has no English name
    assert _shown(cli)["names"]["fr"] == "Cologne-sur-le-Rhin"
    again = cli("place", "names", path, "--json")
    report = json.loads(again.stdout)
    assert (report["set"], report["committed"]) == (0, True)
    assert report["unchanged"] == 3


def test_a_dry_run_counts_and_changes_nothing(cli, tmp_path):
    path = _file(tmp_path, "place,lang,name\nQ365,fr,Cologne-sur-le-Rhin\n")
    result = cli("place", "names", path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "would set 1 name(s); 0 unchanged"
    assert _shown(cli)["names"]["fr"] == "Cologne"


def test_one_bad_row_rejects_the_file_with_its_line_and_nothing_is_set(cli, tmp_path):
    path = _file(
        tmp_path,
        "place,lang,name\nQ365,fr,Cologne-sur-le-Rhin\nNowhere-on-Sea,fr,Nulle-part\nQ365,it,Colonia\n",
    )
    result = cli("place", "names", path)
    _refused(result, "2 row(s) rejected, no name set: line 3:")
    assert "line 4: lang must be one of de, en, fr" in result.stderr
    assert _shown(cli)["names"]["fr"] == "Cologne"


def test_a_file_without_the_columns_is_refused_in_one_line(cli, tmp_path):
    _refused(cli("place", "names", _file(tmp_path, "a,b\n1,2\n")), "missing column(s) place")
    _refused(cli("place", "names", str(tmp_path / "none.csv")), "no file")


def test_the_names_export_reads_back_into_the_registry_unchanged(cli, tmp_path):
    assert cli("place", "set", "Q365", "--name-fr", "-Cologne").exit_code == 0  # formula-like
    path = tmp_path / "names.csv"
    exported = cli("export", "--format", "names", "--output", str(path))
    assert exported.exit_code == 0, exported.output
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "place,country,lang,name"
    assert "Q365,DE,fr,'-Cologne" in lines  # no spreadsheet reads it as a formula
    again = json.loads(cli("place", "names", str(path), "--json").stdout)
    assert (again["set"], again["unchanged"]) == (0, len(lines) - 1)
    assert _shown(cli)["names"]["fr"] == "-Cologne"


def test_set_corrects_the_kind_and_the_state(cli):
    result = cli("place", "set", "Q365", "--kind", "district", "--admin-area", "NRW")
    assert result.exit_code == 0, result.output
    assert (_shown(cli)["kind"], _shown(cli)["admin_area"]) == ("district", "NRW")
    _refused(cli("place", "set", "Q365", "--kind", "planet"), "kind must be one of")

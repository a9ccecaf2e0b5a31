"""The command line: data commands, messages and exit codes."""

import csv
import json

import pytest

from tests.builders import csv_link, write_csv


def test_partners_json_lists_kolns_partners(cli):
    result = cli("partners", "Köln", "--json")
    assert result.exit_code == 0, result.output
    detail = json.loads(result.stdout)
    assert detail["qid"] == "Q365"
    assert "Liverpool" in {p["partner"]["name"] for p in detail["partners"]}


def test_partners_accepts_an_ascii_spelling_and_prints_a_table(cli):
    result = cli("partners", "Koln")
    assert result.exit_code == 0
    assert "Liverpool" in result.stdout and "partnership" in result.stdout


def test_an_unknown_municipality_is_one_line_and_exit_code_1(cli):
    result = cli("partners", "Atlantis")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: no municipality is called 'Atlantis'"
    assert "Traceback" not in result.output


def test_a_name_no_place_holds_suggests_the_places_it_is_part_of(cli):
    result = cli("partners", "Frankfurt (Oder)", "--json")
    assert json.loads(result.stdout)["qid"] == "Q4024"
    result = cli("partners", "burg")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no municipality is called 'burg'; did you mean:")
    assert "Hamburg (DE, id" in result.stderr


def test_import_reports_rejected_lines_and_changes_nothing(empty_cli, tmp_path):
    path = write_csv(
        tmp_path / "links.csv",
        [csv_link("Bonn", "DE", "Oxford", "GB"), csv_link("Bonn", "DE", "Bonn", "DE")],
    )
    result = empty_cli("import", str(path), "--format", "csv")
    assert result.exit_code == 1
    assert "line 3: a municipality cannot be linked with itself" in result.stderr
    assert "nothing was imported" in result.stderr
    assert json.loads(empty_cli("about", "--json").stdout)["counts"]["links"] == 0


def test_import_then_reimport_reports_unchanged(empty_cli, tmp_path):
    path = write_csv(tmp_path / "links.csv", [csv_link("Bonn", "DE", "Oxford", "GB")])
    first = empty_cli("import", str(path), "--format", "csv", "--json")
    assert json.loads(first.stdout)["links"] == {"created": 1}
    second = empty_cli("import", str(path), "--format", "csv", "--json")
    assert json.loads(second.stdout)["links"] == {"unchanged": 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "nowhere.csv", "--format", "csv"], "nowhere.csv: no such file"),
        (["import", "x.csv", "--format", "xml"], "unknown format 'xml'"),
        (["export", "--format", "pdf"], "unknown format 'pdf'"),
        (["init", "--dataset", "everything"], "unknown dataset 'everything'"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_code_2(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_geojson_export_is_a_feature_collection_of_points_and_lines(cli, tmp_path):
    out = tmp_path / "links.geojson"
    result = cli("export", "--format", "geojson", "--output", str(out))
    assert result.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    kinds = {f["geometry"]["type"] for f in data["features"]}
    assert kinds == {"Point", "LineString"}
    line = next(f for f in data["features"] if f["geometry"]["type"] == "LineString")
    (lon_a, lat_a), _ = line["geometry"]["coordinates"]
    assert -180 <= lon_a <= 180 and -90 <= lat_a <= 90


def test_a_csv_export_imports_back_into_an_empty_registry(cli, empty_cli, tmp_path):
    out = tmp_path / "links.csv"
    assert cli("export", "--format", "csv", "--output", str(out)).exit_code == 0
    result = empty_cli("import", str(out), "--format", "csv", "--json")
    assert result.exit_code == 0, result.output
    exported_links = len(out.read_text(encoding="utf-8").splitlines()) - 1
    report = json.loads(result.stdout)
    assert report["links"]["created"] == exported_links
    assert report["rejected"] == []
    again = tmp_path / "again.csv"
    assert empty_cli("export", "--format", "csv", "--output", str(again)).exit_code == 0

    def pairs(path):
        with path.open(encoding="utf-8", newline="") as handle:
            return sorted(
                tuple(sorted(((r["a_qid"], r["a_name"]), (r["b_qid"], r["b_name"]))))
                for r in csv.DictReader(handle)
            )

    assert pairs(again) == pairs(out)


def test_json_export_holds_every_link(cli):
    result = cli("export", "--format", "json")
    data = json.loads(result.stdout)
    assert len(data["links"]) == 19
    assert data["attribution"].startswith("Data:")


def test_version_prints_the_data_credits(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert "CC BY-SA 4.0" in result.stdout


def test_namesakes_without_a_qid_import_apart_by_their_ids_and_back_again(empty_cli, cli, tmp_path):
    path = write_csv(
        tmp_path / "namesakes.csv",
        [
            csv_link("Springfield", "US", "Lille", "FR", a_id="7", b_id="8"),
            csv_link("Springfield", "US", "Turin", "IT", a_id="9", b_id="10"),
            csv_link("Springfield", "US", "Lyon", "FR", a_id="7", b_id="11"),
        ],
    )
    result = empty_cli("import", str(path), "--format", "csv", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["links"]["created"] == 3
    assert report["municipalities"]["created"] == 5  # two Springfields, three partners
    out = tmp_path / "again.csv"
    assert empty_cli("export", "--format", "csv", "--output", str(out)).exit_code == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert (
        len(
            {r["a_id"] for r in rows if r["a_name"] == "Springfield"}
            | {r["b_id"] for r in rows if r["b_name"] == "Springfield"}
        )
        == 2
    )


def test_a_name_quoted_for_spreadsheets_imports_back_as_it_was(cli, empty_cli, tmp_path):
    assert cli("place", "set", "Q365", "--name", "=Köln").exit_code == 0
    out = tmp_path / "links.csv"
    assert cli("export", "--format", "csv", "--output", str(out)).exit_code == 0
    assert ",'=Köln," in out.read_text(encoding="utf-8")  # no spreadsheet evaluates it
    assert empty_cli("import", str(out), "--format", "csv").exit_code == 0
    shown = json.loads(empty_cli("place", "show", "Q365", "--json").stdout)
    assert shown["name"] == "=Köln"

"""The whole build on the fixture source tree."""

from __future__ import annotations

import hashlib
from pathlib import Path

from jumelage.dataset.build import FILES, build
from jumelage.dataset.gazetteer import Gazetteer
from jumelage.dataset.output import read_csv_gz


def digests(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES}


def test_building_the_fixture_twice_gives_identical_bytes(
    tmp_path: Path, gazetteer: Gazetteer, fixture_sources: Path
) -> None:
    build(fixture_sources, tmp_path / "one", gazetteer)
    build(fixture_sources, tmp_path / "two", gazetteer)
    assert digests(tmp_path / "one") == digests(tmp_path / "two")
    raw = (tmp_path / "one" / "links.csv.gz").read_bytes()
    assert raw[4:8] == b"\0\0\0\0"  # gzip mtime
    assert not raw[3] & 0x08  # no file name stored


def test_the_fixture_build_resolves_places_links_and_chronicle(
    tmp_path: Path, gazetteer: Gazetteer, fixture_sources: Path
) -> None:
    report = build(fixture_sources, tmp_path, gazetteer)
    places = {r["id"]: r for r in read_csv_gz(tmp_path / "municipalities.csv.gz")}
    by_qid = {r["qid"]: r for r in places.values() if r["qid"]}
    names = read_csv_gz(tmp_path / "names.csv.gz")
    koeln = by_qid["Q365"]
    assert koeln["name"] == "Köln" and koeln["admin_code"] == "DE-NW"
    assert koeln["population"] == "1081701" and koeln["population_year"] == "2017"
    koeln_names = {r["name"] for r in names if r["municipality_id"] == koeln["id"]}
    assert {"Köln", "Cologne"} <= koeln_names
    kosice_names = {r["name"] for r in names if r["municipality_id"] == by_qid["Q25409"]["id"]}
    assert "Kaschau" in kosice_names
    assert by_qid["Q1709"]["admin_code"] == "DE-MV"  # Schwerin, placed by its namesake
    assert sum(1 for r in places.values() if r["country"] == "IE") == 1  # one Cork
    assert sum(1 for r in places.values() if r["name"].startswith("Neukölln")) == 1
    assert by_qid["Q10001"]["country"] == "NL"
    kazakh = [r for r in places.values() if r["name"] == "Almaty"]
    assert kazakh and kazakh[0]["country"] == "KZ"

    events = read_csv_gz(tmp_path / "events.csv.gz")
    wuppertal, kosice = by_qid["Q2107"]["id"], by_qid["Q25409"]["id"]
    pair = sorted((wuppertal, kosice), key=int)
    signed = [e for e in events if [e["a_id"], e["b_id"]] == pair]
    assert signed[0]["date"] == "1980-05-22" and "Westdeutsche Zeitung" in signed[0]["source"]
    ended = [e for e in events if e["event"] == "ended"]
    assert ended[0]["side_id"] == by_qid["Q10001"]["id"] and ended[0]["date"] == "2014-02"
    successions = read_csv_gz(tmp_path / "successions.csv.gz")
    assert successions[0]["successor_id"] == by_qid["Q10001"]["id"]
    assert places[successions[0]["predecessor_id"]]["name"] == "Bathmen"
    assert report.self_links == 0
    assert "Köln" in (tmp_path / "BUILD-REPORT.md").read_text(encoding="utf-8")

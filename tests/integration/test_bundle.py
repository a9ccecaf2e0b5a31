"""Loading a dataset bundle, and the chronicle's facts replayed through the services."""

from sqlalchemy import func, select

from jumelage.services.bundle import FIXTURE, load_bundle
from jumelage.store import queries, queries_detail
from jumelage.store.schema import municipality


def _partner(detail, name):
    return next(p for p in detail["partners"] if p["partner"]["name"] == name)


def test_loading_into_a_registry_with_data_is_a_no_op(loaded_engine):
    with loaded_engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(municipality)).scalar()
    report = load_bundle(loaded_engine, FIXTURE)
    assert report.skipped
    with loaded_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(municipality)).scalar() == before


def test_wuppertal_kosice_carries_its_signing_date_and_source(loaded_engine):
    with loaded_engine.connect() as conn:
        detail = queries_detail.municipality_detail(conn, queries.resolve_ref(conn, "Q2107"))
        kosice = _partner(detail, "Košice")
        history = queries.link_history(conn, kosice["link_id"])
    assert kosice["start_date"] == {"value": "1980-05-22", "precision": "day"}
    signed = [e for e in history if e["kind"] == "signed"]
    assert signed[0]["source"].startswith("German Wikipedia: Städtepartnerschaft")


def test_deventer_inherited_bathmens_link_and_ended_it_in_2014(loaded_engine):
    with loaded_engine.connect() as conn:
        deventer = queries_detail.municipality_detail(conn, queries.resolve_ref(conn, "Q10001"))
        link = _partner(deventer, "Westerkappeln")
        history = queries.link_history(conn, link["link_id"])
        westerkappeln_id = link["partner"]["id"]
        their_side = _partner(
            queries_detail.municipality_detail(conn, westerkappeln_id), "Deventer"
        )
    assert link["status"] == "ended"
    assert link["end_date"]["value"] == "2014-02"
    assert link["ended_by"] == "self"
    assert their_side["ended_by"] == "partner"
    assert link["start_date"]["value"] == "1984-05-19"
    kinds = [e["kind"] for e in history]
    assert kinds.index("signed") < kinds.index("transferred") < kinds.index("ended")
    transfer = next(e for e in history if e["kind"] == "transferred")
    assert transfer["from"].startswith("Bathmen")
    assert deventer["predecessors"][0]["name"] == "Bathmen"


def test_a_bundle_link_dated_by_a_wikidata_statement_carries_its_years_and_source(engine, tmp_path):
    import csv
    import shutil

    folder = tmp_path / "bundle"
    shutil.copytree(FIXTURE, folder)
    with (folder / "links.csv").open(encoding="utf-8", newline="") as fh:
        links = list(csv.DictReader(fh))
    links[0].update(start_date="1952", end_date="1999", status="ended")
    with (folder / "links.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, [*links[0]], restval="")
        writer.writeheader()
        writer.writerows(links)
    with (folder / "link_sources.csv").open("a", encoding="utf-8", newline="") as fh:
        row = [links[0]["id"], "wikidata-temporal-2017", "2017", "P580/P582", "", ""]
        csv.writer(fh).writerow(row)
    load_bundle(engine, folder)
    with engine.connect() as conn:
        history = queries.link_history(conn, int(links[0]["id"]))
        row = queries.link_detail(conn, int(links[0]["id"]))
    assert row is not None
    assert (row["end_date"]["value"], row["status"]) == ("1999", "ended")
    assert row["end_date"]["precision"] == "year"
    dated = {e["kind"]: e for e in history if e["source"] == "P580/P582"}
    assert dated["signed"]["date"] == "1952" and dated["ended"]["date"] == "1999"


def test_a_succession_no_source_dates_is_loaded_with_an_empty_date(engine, tmp_path):
    import shutil

    folder = tmp_path / "bundle"
    shutil.copytree(FIXTURE, folder)
    with (folder / "successions.csv").open("a", encoding="utf-8", newline="") as fh:
        fh.write("12,9,,build rule joined-name\n")  # Schwerin into Hamburg, undated
    load_bundle(engine, folder)
    with engine.connect() as conn:
        hamburg = queries_detail.municipality_detail(conn, 9)
        schwerin = queries_detail.municipality_detail(conn, 12)
        wuppertal = _partner(hamburg, "Wuppertal")
        history = queries.link_history(conn, wuppertal["link_id"])
    assert [(p["name"], p["date"]) for p in hamburg["predecessors"]] == [("Schwerin", "")]
    assert schwerin["merged_into_id"] == 9 and schwerin["merged_on"] is None
    transfer = next(e for e in history if e["kind"] == "transferred")
    assert transfer["from"].startswith("Schwerin") and not transfer["date"]

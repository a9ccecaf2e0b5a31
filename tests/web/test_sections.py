"""The statistics, network, programme and link pages show the dicts of their queries."""

from jumelage.services import writing
from jumelage.services.networks import add_member, create_network
from jumelage.services.programmes import read_programmes, register_award, sync_programmes
from jumelage.store import queries
from jumelage.web.charts import bar_chart
from jumelage.web.link import levels_over_time


def test_the_statistics_page_shows_the_rankings_of_the_api(client):
    page = client.get("/statistics?lang=en&format=json").json()
    api = client.get("/api/v1/stats/rankings/municipalities?limit=20").json()
    assert page["municipalities"]["items"] == api["items"]
    html = client.get("/statistics?lang=en").text
    assert "Definition and coverage" in html
    assert api["definition"]["count"] in html


def test_the_decade_chart_is_an_svg_with_one_bar_per_decade(client):
    data = client.get("/statistics?format=json").json()
    html = client.get("/statistics").text
    decades = [i["decade"] for i in data["decades"]["items"]]
    # Decades without a link are drawn as empty bars, so the axis keeps its scale.
    assert html.count('<rect class="bar"') == (max(decades) - min(decades)) // 10 + 1
    assert "<svg" in html


def test_a_statistics_definition_with_a_bad_date_is_a_422_page(client):
    page = client.get("/statistics?as_of=someday")
    assert page.status_code == 422


def test_the_country_pair_matrix_is_symmetric():
    from jumelage.web.stats import matrix

    items = [{"a": "DE", "b": "FR", "count": 5}, {"a": "DE", "b": "DE", "count": 2}]
    grid = matrix(items, {"DE": 7, "FR": 5})
    cells = {(c["a"], c["b"]): c["count"] for row in grid["rows"] for c in row["cells"]}
    assert cells[("DE", "FR")] == cells[("FR", "DE")] == 5
    assert cells[("DE", "DE")] == 2
    assert cells[("FR", "FR")] == 0


def test_bars_are_scaled_to_the_highest_tick():
    chart = bar_chart([{"d": 1950, "n": 2}, {"d": 1960, "n": 7}], "d", "n")
    ticks = [t["value"] for t in chart["ticks"]]
    assert ticks == [0, 2, 4, 6, 8]
    low, high = chart["bars"]
    assert high["height"] == 7 / 2 * low["height"]
    assert high["y"] + high["height"] == chart["baseline"]


def test_a_network_page_lists_its_members_with_coordinates(client, registry):
    with writing(registry.engine, "test") as w:
        create_network(w, "ring", "Ring of Partner Cities", "ring", founded="1992")
        add_member(w, "ring", 3, joined_on="1992")
        add_member(w, "ring", 8, joined_on="1992", left_on="2001")
    today = client.get("/networks/ring?lang=en").text
    assert 'data-rows="#member-table tbody tr"' in today
    assert today.count('data-lat="') == 1  # Lille left in 2001
    assert client.get("/networks/ring?as_of=1995").text.count('data-lat="') == 2
    assert "Ring of Partner Cities" in client.get("/networks").text


def test_a_programme_check_shows_each_rule_met_or_not(client, registry):
    with writing(registry.engine, "test") as w:
        sync_programmes(w, read_programmes())
    page = client.get(
        "/programmes",
        params={
            "programme": "cerv-town-twinning",
            "applicant": "Q365",
            "partners": "Q90",
            "participants": "60",
            "invited_from_abroad": "30",
            "start_date": "2026-05",
            "end_date": "2026-05",
            "lang": "en",
        },
    )
    assert page.status_code == 200
    assert 'id="check-result"' in page.text
    assert "✓" in page.text


def test_a_programme_check_with_a_bad_number_marks_the_field(client, registry):
    with writing(registry.engine, "test") as w:
        sync_programmes(w, read_programmes())
    page = client.get("/programmes?programme=cerv-town-twinning&participants=many")
    assert page.status_code == 422
    assert 'id="f-participants-error"' in page.text


def test_the_europe_prize_page_shows_the_ladder_in_order(client, registry):
    with writing(registry.engine, "test") as w:
        register_award(w, 3, "diploma", 2001)
    page = client.get("/m/Q365/europe-prize?lang=en").text
    steps = ["European Diploma", "Flag of Honour", "Plaque of Honour", "<h2>Europe Prize"]
    positions = [page.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "Received in 2001" in page


def test_levels_over_time_follow_the_recorded_changes(client, registry):
    with registry.engine.connect() as conn:
        link = queries.link_detail(conn, 1)
    link["history"] = [
        {"kind": "level", "date": "1990", "from": "friendship", "to": "partnership", "reason": "x"}
    ]
    periods = levels_over_time(link)
    assert [(p["level"], p["from"], p["until"]) for p in periods] == [
        ("friendship", link["start_date"]["value"], "1990"),
        ("partnership", "1990", None),
    ]


def test_the_link_page_shows_its_sources(client, registry):
    with registry.engine.connect() as conn:
        link = queries.link_detail(conn, 1)
    page = client.get("/links/1?lang=en").text
    for source in link["sources"]:
        assert source["source"] in page


def test_the_map_data_is_gzipped_and_revalidated_by_its_etag(client):
    first = client.get("/map/data.json", headers={"accept-encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip"
    again = client.get("/map/data.json", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304


def test_the_map_data_changes_with_the_data(client, registry):
    from jumelage.services.links import propose_link

    before = client.get("/map/data.json")
    with writing(registry.engine, "test") as w:
        propose_link(w, 3, 12, "contact", "2024")
    after = client.get("/map/data.json")
    assert after.headers["etag"] != before.headers["etag"]
    assert len(after.json()["links"]) == len(before.json()["links"]) + 1

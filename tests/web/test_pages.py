"""Pages render the same dicts as the JSON API, in the reader's language."""

from jumelage.store import queries, queries_detail


def test_the_home_page_shows_the_headline_figures_and_the_map(client):
    page = client.get("/?lang=en")
    assert page.status_code == 200
    assert 'id="world-map"' in page.text
    assert "places with links" in page.text


def test_the_municipality_page_lists_every_partner_of_the_api(client, registry):
    page = client.get("/m/Q365?lang=en")
    with registry.engine.connect() as conn:
        partners = queries_detail.partners_of(conn, 3)
    assert page.status_code == 200
    for p in partners:
        assert f'href="/m/{p["partner"]["qid"]}"' in page.text


def test_a_page_answers_its_data_as_json(client):
    page = client.get("/m/Q365?format=json")
    api = client.get("/api/v1/municipalities/Q365")
    assert page.json()["municipality"]["partners"] == api.json()["partners"]


def test_an_unknown_municipality_is_a_404_page(client):
    page = client.get("/m/Q999999999")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")


def test_the_search_finds_koeln_without_its_umlaut(client):
    page = client.get("/search?q=Koln&lang=en")
    assert 'href="/m/Q365"' in page.text


def test_suggestions_come_as_a_fragment_with_links(client):
    fragment = client.get("/search/suggest?q=Koln")
    assert "<html" not in fragment.text
    assert 'href="/m/Q365"' in fragment.text


def test_the_map_data_holds_every_link_with_coordinates(client, registry):
    data = client.get("/map/data.json").json()
    with registry.engine.connect() as conn:
        total = queries.counts(conn)["links"]
    assert len(data["links"]) == total
    ids = [row[0] for row in data["places"]]
    assert 3 in ids


def test_suggestions_start_with_the_typed_letters_in_any_language(client):
    fragment = client.get("/search/suggest?q=Kasch&lang=de")  # Kaschau, German for Košice
    assert 'href="/m/Q25409"' in fragment.text
    assert "Kaschau" in fragment.text


def test_suggestions_count_the_links_of_each_place(client, registry):
    from jumelage.store import queries_web

    with registry.engine.connect() as conn:
        (koeln,) = [p for p in queries_web.suggestions(conn, "Koln") if p["id"] == 3]
        assert koeln["partner_count"] == len(queries_detail.partners_of(conn, 3))
        assert koeln["match"] == "exact"


def test_the_link_page_answers_the_apis_link_as_json(client):
    page = client.get("/links/1?format=json").json()
    assert page["link"] == client.get("/api/v1/links/1").json()
    assert [s["id"] for s in page["sides"]] == [page["link"]["a"]["id"], page["link"]["b"]["id"]]


def test_a_merged_place_names_its_successor_and_the_successor_its_predecessor(client):
    bathmen = client.get("/m/30?lang=en").text
    assert "Merged into" in bathmen
    assert 'href="/m/Q10001"' in bathmen
    deventer = client.get("/m/Q10001?lang=en").text
    assert 'href="/m/30"' in deventer
    assert "January 1, 2005" in deventer


def test_an_ended_link_says_which_side_ended_it(client):
    # Deventer ended its partnership with Westerkappeln in February 2014.
    deventer = client.get("/m/Q10001?lang=en").text
    assert "ended by this side" in deventer
    assert "February 2014" in deventer


def test_a_partner_list_without_dates_shows_no_date_columns_and_says_how_many_are_dated(client):
    berlin = client.get("/m/Q64?lang=en").text
    assert "0 of 1 links have a known start date." in berlin
    assert ">Since<" not in berlin and ">Until<" not in berlin
    koeln = client.get("/m/Q365?lang=en").text
    assert ">Since<" in koeln
    assert "links have a known start date." in koeln


def test_a_browser_gets_an_html_page_for_an_unknown_address(client):
    page = client.get("/no/such/page", headers={"accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert (
        "<h1>Nicht gefunden</h1>"
        in client.get("/no/such/page?lang=de", headers={"accept": "text/html"}).text
    )


def test_the_api_keeps_answering_json_for_an_unknown_address(client):
    for path in ("/api/v1/no-such-thing", "/no/such/page"):
        answer = client.get(path, headers={"accept": "application/json"})
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "not_found"
    browser = client.get("/api/v1/no-such-thing", headers={"accept": "text/html"})
    assert browser.headers["content-type"].startswith("application/json")


def test_an_empty_partner_search_board_says_what_it_is_for_and_links_to_posting_one(client):
    page = client.get("/searches?lang=en").text
    assert "No municipality is looking for a partner right now." in page
    assert 'href="/login?next=/searches/new"' in page
    filtered = client.get("/searches?country=FR&lang=en").text
    assert "No open search matches these filters." in filtered
    assert 'href="/searches"' in filtered


def test_an_empty_board_offers_a_signed_in_editor_to_publish_the_first_search(client, editor):
    from .conftest import sign_in

    sign_in(client, editor)
    page = client.get("/searches?lang=de").text
    assert 'href="/searches/new"' in page
    assert "Zurzeit sucht keine Kommune einen Partner." in page

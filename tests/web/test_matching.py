"""The matching pages render the recommendations of the API, with a similar/contrast
switch and constraints whose refusals are shown at their field."""

from jumelage.web import wording


def test_the_matching_page_shows_the_apis_recommendations(client):
    page = client.get("/matching/Q365?format=json").json()["recommendations"]
    api = client.get("/api/v1/municipalities/Q365/recommendations?limit=20").json()
    assert page == api
    html = client.get("/matching/Q365?lang=en").text
    for item in api["items"]:
        place = item["municipality"]
        assert f'href="/m/{place["qid"] or place["id"]}"' in html
        # The page words each reason from its facts, in the reader's language.
        words = wording.reason(item["reasons"][0], "en") if item["reasons"] else ""
        assert words.replace("'", "&#39;") in html


def test_the_switch_asks_for_a_deliberate_contrast(client):
    html = client.get("/matching/Q365?lang=en").text
    assert 'href="/matching/Q365?lang=en&amp;mode=contrast"' in html
    page = client.get("/matching/Q365?mode=contrast&format=json").json()
    assert page["recommendations"]["mode"] == "contrast"


def test_constraints_narrow_the_candidates(client):
    page = client.get("/matching/Q365?country=FR&format=json").json()["recommendations"]
    assert page["constraints"]["countries"] == ["FR"]
    assert {i["municipality"]["country"] for i in page["items"]} <= {"FR"}


def test_a_malformed_constraint_is_shown_at_its_field(client):
    page = client.get("/matching/Q365?min_population=many&lang=en")
    assert page.status_code == 422
    assert 'id="f-min_population-error"' in page.text


def test_a_band_upside_down_is_refused_at_its_upper_end(client):
    page = client.get("/matching/Q365?min_population=5000&max_population=100")
    assert page.status_code == 422
    assert 'id="f-max_population-error"' in page.text


def test_choosing_a_municipality_by_name_opens_its_recommendations(client):
    answer = client.get("/matching?municipality=Koln", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/matching/Q365"
    unknown = client.get("/matching?municipality=Nowhere-on-Sea")
    assert unknown.status_code == 422
    assert 'id="f-municipality-error"' in unknown.text


def test_the_municipality_page_loads_its_first_recommendations(client):
    html = client.get("/m/Q365").text
    assert 'hx-get="/matching/Q365/top"' in html
    fragment = client.get("/matching/Q365/top").text
    assert "<html" not in fragment
    assert fragment.count('class="panel"') <= 5

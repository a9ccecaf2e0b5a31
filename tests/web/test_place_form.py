"""A place's editors correct its facts and its name in each language from its page,
through the same service as the API; a refusal shows at its field and changes nothing."""

import html5lib
from sqlalchemy import select

from jumelage.services import writing
from jumelage.services.accounts import add_user
from jumelage.store.schema import audit_log

from .conftest import KOELN, LIVERPOOL, PASSWORD, csrf_of, sign_in


def _form(client, ref="Q365"):
    page = client.get(f"/m/{ref}/edit")
    assert page.status_code == 200, page.text
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page.text)
    return page.text


def _fields(html: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'name="([^"]+)" type="text" value="([^"]*)"', html))


def _post(client, html: str, **changes):
    import re

    data = _fields(html)
    data["kind"] = re.search(r'<option value="(\w+)" selected>', html).group(1)
    data["version"] = re.search(r'name="version" value="(\d+)"', html).group(1)
    data["csrf_token"] = csrf_of(html)
    data.update(changes)
    return client.post("/m/Q365/edit", data=data, follow_redirects=False)


def test_the_form_shows_what_the_registry_holds_now(client, editor):
    sign_in(client, editor)
    fields = _fields(_form(client))
    assert fields["name"] == "Köln"
    assert fields["names.fr"] == "Cologne"
    assert fields["names.en"] == "Cologne"


def test_an_editor_sets_the_french_name_and_the_french_page_shows_it(client, editor, registry):
    sign_in(client, editor)
    answer = _post(client, _form(client), **{"names.fr": "Cologne-sur-le-Rhin"})
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/m/Q365"
    page = client.get("/m/Q365", headers={"Accept-Language": "fr"}).text
    assert "<h1>Cologne-sur-le-Rhin <span" in page
    english = client.get("/m/Q365", headers={"Accept-Language": "en"}).text
    assert "<h1>Cologne <span" in english  # the other languages keep theirs
    with registry.engine.connect() as conn:
        actions = conn.execute(
            select(audit_log.c.action).where(
                audit_log.c.object_type == "municipality", audit_log.c.object_id == KOELN
            )
        ).scalars()
        assert list(actions) == ["set_name"]  # nothing else changed, nothing else recorded


def test_a_point_and_a_population_written_the_german_way_are_taken(client, editor):
    sign_in(client, editor)
    answer = _post(
        client,
        _form(client),
        lat="50,9375",
        lon="6,9603",
        population="1087863",
        population_year="2023",
    )
    assert answer.status_code == 303, answer.text
    place = client.get("/api/v1/municipalities/Q365").json()
    assert (place["lat"], place["lon"]) == (50.9375, 6.9603)
    assert (place["population"], place["population_year"]) == (1087863, 2023)


def test_an_empty_main_name_is_refused_at_its_field_and_changes_nothing(client, editor):
    sign_in(client, editor)
    before = client.get("/api/v1/municipalities/Q365").json()
    answer = _post(client, _form(client), name="  ", **{"names.fr": "Cologne-sur-le-Rhin"})
    assert answer.status_code == 422
    assert 'id="f-name-error"' in answer.text
    assert client.get("/api/v1/municipalities/Q365").json() == before


def test_half_a_point_or_a_word_for_a_number_is_refused_at_its_field(client, editor):
    sign_in(client, editor)
    html = _form(client)
    half = _post(client, html, lat="50.9", lon="")
    assert half.status_code == 422 and 'id="f-lat-error"' in half.text
    word = _post(client, html, population="many")
    assert word.status_code == 422 and 'id="f-population-error"' in word.text


def test_a_form_read_before_someone_elses_change_is_refused(client, editor):
    sign_in(client, editor)
    html = _form(client)
    assert _post(client, html, population="1000000").status_code == 303
    stale = _post(client, html, population="2000000")
    assert stale.status_code == 412
    assert client.get("/api/v1/municipalities/Q365").json()["population"] == 1000000


def test_only_the_places_editors_see_the_form_and_its_button(client, editor, registry):
    with writing(registry.engine, "test") as w:
        add_user(w, "liverpool", PASSWORD, "editor", [LIVERPOOL])
    sign_in(client, "liverpool")
    assert client.get("/m/Q365/edit").status_code == 403
    assert "/m/Q365/edit" not in client.get("/m/Q365").text
    sign_in(client, editor)
    assert "/m/Q365/edit" in client.get("/m/Q365").text


def test_the_public_is_sent_to_sign_in(client):
    answer = client.get("/m/Q365/edit", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=")


def test_the_form_is_titled_with_the_name_in_the_pages_language(client, editor):
    sign_in(client, editor)
    page = client.get("/m/Q365/edit", headers={"Accept-Language": "fr"}).text
    assert "<h1>Corriger les données de Cologne</h1>" in page


def test_the_kind_and_the_state_are_corrected_from_the_form(client, editor):
    sign_in(client, editor)
    html = _form(client)
    assert '<option value="city" selected>' in html
    answer = _post(client, html, kind="district", admin_area="Nordrhein-Westfalen")
    assert answer.status_code == 303, answer.text
    place = client.get("/api/v1/municipalities/Q365").json()
    assert (place["kind"], place["admin_area"]) == ("district", "Nordrhein-Westfalen")
    refused = _post(client, _form(client), kind="planet")
    assert refused.status_code == 422 and 'id="f-kind-error"' in refused.text

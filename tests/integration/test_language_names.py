"""A place shows one name per interface language: an editor or a curator sets it, an
import never adds a second one, and the name it replaces stays searchable."""

import pytest
from sqlalchemy import select

from jumelage.errors import Conflict, Invalid
from jumelage.services import writing
from jumelage.services.audit import revert
from jumelage.services.registry import PlaceFacts, ensure_municipality, set_language_name
from jumelage.store.places import resolve
from jumelage.store.queries_web import names_in
from jumelage.store.schema import audit_log, municipality_name
from tests.builders import place_id


def _names(engine, mid: int) -> set[tuple[str, str]]:
    n = municipality_name.c
    with engine.connect() as conn:
        rows = conn.execute(select(n.lang, n.name).where(n.municipality_id == mid))
        return {(r.lang, r.name) for r in rows}


def _shown(engine, mid: int, lang: str) -> str | None:
    with engine.connect() as conn:
        return names_in(conn, [mid], lang).get(mid)


def test_a_name_set_in_a_language_is_the_one_its_pages_show_whatever_its_spelling(registry):
    engine = registry.engine
    cologne = place_id(engine, "Q365")
    assert ("fr", "Cologne") in _names(engine, cologne)
    # "Köln" sorts after "Cologne": the name shown must not depend on the order of names.
    with writing(engine, "umbrella") as w:
        assert set_language_name(w, cologne, "fr", "Köln") is True
    names = _names(engine, cologne)
    assert [name for lang, name in names if lang == "fr"] == ["Köln"]
    assert ("und", "Cologne") in names  # the name it replaced stays searchable
    assert _shown(engine, cologne, "fr") == "Köln"
    with engine.connect() as conn:
        assert resolve(conn, "Cologne", "DE") == cologne


def test_setting_the_name_a_language_already_shows_changes_and_records_nothing(registry):
    engine = registry.engine
    cologne = place_id(engine, "Q365")
    with engine.connect() as conn:
        trail = len(conn.execute(select(audit_log.c.id)).all())
    with writing(engine, "umbrella") as w:
        assert set_language_name(w, cologne, "fr", "Cologne") is False
    with engine.connect() as conn:
        assert len(conn.execute(select(audit_log.c.id)).all()) == trail


@pytest.mark.parametrize(
    ("lang", "name", "field"), [("it", "Colonia", "lang"), ("fr", "  ", "names.fr")]
)
def test_a_name_in_another_language_or_an_empty_one_is_refused_and_changes_nothing(
    registry, lang, name, field
):
    engine = registry.engine
    cologne = place_id(engine, "Q365")
    before = _names(engine, cologne)
    with pytest.raises(Invalid) as refused, writing(engine, "umbrella") as w:
        set_language_name(w, cologne, lang, name)
    assert refused.value.field == field
    assert _names(engine, cologne) == before


def test_an_import_with_another_label_adds_it_searchable_not_as_a_second_name_to_show(registry):
    engine = registry.engine
    cologne = place_id(engine, "Q365")
    facts = PlaceFacts(name="Köln", qid="Q365", country="DE", names={"fr": ["Cologne (Allemagne)"]})
    with writing(engine, "importer") as w:
        ensure_municipality(w, facts)
    names = _names(engine, cologne)
    assert [name for lang, name in names if lang == "fr"] == ["Cologne"]
    assert ("und", "Cologne (Allemagne)") in names


def test_a_revert_brings_back_the_name_before_and_takes_off_the_one_it_had_added(registry):
    engine = registry.engine
    cologne = place_id(engine, "Q365")
    before = _names(engine, cologne)
    with writing(engine, "umbrella") as w:
        set_language_name(w, cologne, "fr", "Cologne-sur-le-Rhin")
    with engine.connect() as conn:
        entry = conn.execute(
            select(audit_log).where(audit_log.c.action == "set_name").order_by(audit_log.c.id)
        ).all()[-1]
    assert (entry.before, entry.after) == (
        {"lang": "fr", "name": "Cologne"},
        {"lang": "fr", "name": "Cologne-sur-le-Rhin", "added": True},
    )
    with writing(engine, "umbrella") as w:
        revert(w, entry.id)
    assert _names(engine, cologne) == before
    assert _shown(engine, cologne, "fr") == "Cologne"


def test_a_name_changed_again_since_is_not_reverted_by_the_older_change(registry):
    engine = registry.engine
    cologne = place_id(engine, "Q365")
    with writing(engine, "umbrella") as w:
        set_language_name(w, cologne, "fr", "Cologne-sur-le-Rhin")
    with engine.connect() as conn:
        older = conn.execute(select(audit_log.c.id).where(audit_log.c.action == "set_name"))
        older_id = max(r.id for r in older)
    with writing(engine, "umbrella") as w:
        set_language_name(w, cologne, "fr", "Colonia")
    after = _names(engine, cologne)
    with (
        pytest.raises(Conflict, match="revert the later change first"),
        writing(engine, "umbrella") as w,
    ):
        revert(w, older_id)
    assert _names(engine, cologne) == after


def _patch(client, admin, body):
    etag = client.get("/api/v1/municipalities/Q365").headers["etag"]
    return client.patch(
        "/api/v1/municipalities/Q365", json=body, headers={**admin, "If-Match": etag}
    )


def test_an_editor_sets_the_french_name_through_the_api_and_the_french_page_shows_it(client, admin):
    changed = _patch(client, admin, {"names": {"fr": "Cologne-sur-le-Rhin"}})
    assert changed.status_code == 200, changed.text
    assert changed.json()["names"]["fr"] == ["Cologne-sur-le-Rhin"]
    detail = client.get("/api/v1/municipalities/Q365", params={"lang": "fr"}).json()
    assert detail["name"] == "Cologne-sur-le-Rhin"
    page = client.get("/m/Q365", headers={"Accept-Language": "fr"}).text
    assert "<h1>Cologne-sur-le-Rhin <span" in page


@pytest.mark.parametrize(
    "names", [{"it": "Colonia"}, {"fr": ""}, {"fr": "x" * 201}, ["fr", "Cologne"]]
)
def test_a_name_the_api_cannot_take_gets_422_and_changes_nothing(client, admin, names):
    before = client.get("/api/v1/municipalities/Q365").json()
    refused = _patch(client, admin, {"names": names, "population": 1})
    assert refused.status_code == 422, refused.text
    assert "error" in refused.json()
    assert client.get("/api/v1/municipalities/Q365").json() == before


def test_half_a_point_is_refused_on_every_door_of_the_service(client, admin):
    before = client.get("/api/v1/municipalities/Q365").json()
    refused = _patch(client, admin, {"lon": None})
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["details"]["field"] == "lat"
    assert client.get("/api/v1/municipalities/Q365").json() == before
    both = _patch(client, admin, {"lat": None, "lon": None})
    assert both.status_code == 200, both.text

"""Learned weights live apart from the arrays of a data version: reused across writes
and processes, relearned when the links changed materially or the model changed."""

import json

import numpy as np
import pytest

from jumelage.matching.features import input_columns, raw_features
from jumelage.matching.index import build_index, pair_keys
from jumelage.matching.weights import (
    LearnedWeights,
    fingerprint,
    from_json,
    learn_weights,
    to_json,
)
from jumelage.services import matching as matching_service
from jumelage.services import writing
from jumelage.services.founding import ContactInput, add_contact
from jumelage.services.links import propose_link
from jumelage.services.matching import WeightStore
from jumelage.store import queries
from tests.matching.builders import europe


def test_weights_read_back_exactly_from_their_plain_form():
    data = europe()
    learned = learn_weights(data, seed=1)
    again = from_json(json.loads(json.dumps(to_json(learned))))
    assert np.array_equal(again.links, pair_keys(data))
    ix = build_index(data)
    columns = input_columns(ix, 0, raw_features(ix, 0))
    for before, after in ((learned.models.warm, again.models.warm),
                          (learned.models.cold, again.models.cold)):  # fmt: skip
        assert np.array_equal(before.score_columns(columns), after.score_columns(columns))


def _held(pairs: int) -> LearnedWeights:
    return LearnedWeights(learn_weights(europe(), 1).models, np.arange(pairs), fingerprint(1))


def test_weights_fit_while_at_most_one_percent_of_the_links_changed():
    held = _held(300)
    three_added = np.arange(303)
    one_removed_two_added = np.concatenate([np.arange(1, 300), [400, 401]])
    assert held.fit_for(three_added, fingerprint(1))
    assert held.fit_for(one_removed_two_added, fingerprint(1))
    assert not held.fit_for(np.arange(304), fingerprint(1))


def test_weights_of_another_model_or_seed_do_not_fit():
    held = _held(300)
    assert not held.fit_for(np.arange(300), fingerprint(2))


def test_removed_links_count_like_added_ones():
    held = _held(300)
    assert held.changed_links(np.arange(4, 300)) == 4
    assert not held.fit_for(np.arange(4, 300), fingerprint(1))


@pytest.fixture
def store(monkeypatch):
    fresh = WeightStore()
    monkeypatch.setattr(matching_service, "WEIGHTS", fresh)
    matching_service.forget()
    return fresh


def _ask(registry, folder):
    with registry.engine.connect() as conn:
        koeln = queries.resolve_ref(conn, "Q365")
    return matching_service.recommendations(registry.engine, koeln, limit=30, weights_in=folder)


def _ids(registry, *qids):
    with registry.engine.connect() as conn:
        return [queries.resolve_ref(conn, q) for q in qids]


def test_a_write_that_leaves_the_links_alone_keeps_the_learned_weights(registry, store, tmp_path):
    before = _ask(registry, tmp_path)
    koeln, other = _ids(registry, "Q365", "Q90")
    with writing(registry.engine, "test") as w:
        add_contact(w, koeln, ContactInput(other, "Gymnasium", "school"))
    after = _ask(registry, tmp_path)
    assert after["data_version"] > before["data_version"]
    paris = next(i for i in after["items"] if i["municipality"]["id"] == other)
    assert "contacts" in {r["reason"] for r in paris["reasons"]}
    assert store.learned == 1


def test_a_new_link_among_few_changes_the_links_materially_and_relearns(registry, store, tmp_path):
    _ask(registry, tmp_path)
    first, second = _ids(registry, "Q365", "Q90")
    with writing(registry.engine, "test") as w:
        propose_link(w, first, second, "contact", "2024")
    _ask(registry, tmp_path)
    assert store.learned == 2


def test_a_new_process_reads_the_weights_from_the_data_directory(registry, store, tmp_path):
    folder = tmp_path / "matching"
    first = _ask(registry, folder)
    assert [p.name for p in folder.iterdir()] == [store.path(folder).name]
    matching_service.forget()
    again = _ask(registry, folder)
    assert store.learned == 1
    assert again["items"] == first["items"]


def test_an_unreadable_weights_file_is_learned_anew(registry, store, tmp_path):
    store.path(tmp_path).write_text("{not json", encoding="utf-8")
    _ask(registry, tmp_path)
    assert store.learned == 1
    assert matching_service.read_weights(store.path(tmp_path)) is not None

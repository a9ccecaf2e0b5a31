"""The arrays of a new data version reuse the previous ones where the write left
their inputs alone."""

from dataclasses import replace

import numpy as np

from jumelage.matching.data import Contact, Link
from jumelage.matching.features import raw_features
from jumelage.matching.index import build_index, rebuild_index
from tests.matching.builders import NEW, europe


def _contacts_between(ix, u_id, v_id):
    u, v = ix.position[u_id], ix.position[v_id]
    return raw_features(ix, u, np.array([v]))["contacts"][0]


def test_a_new_contact_reuses_the_graph_and_counts_the_contact():
    before = europe()
    after = replace(before, contacts=(*before.contacts, Contact(1, 7, "citizens")), data_version=2)
    previous = build_index(before)
    ix = rebuild_index(after, (before, previous))
    assert ix.adjacency is previous.adjacency
    assert _contacts_between(ix, 1, 7) == 1 and _contacts_between(previous, 1, 7) == 0
    assert ix.data_version == 2


def test_a_new_link_builds_the_arrays_anew():
    before = europe()
    after = europe((Link(1, 7, NEW),))
    previous = build_index(before)
    ix = rebuild_index(after, (before, previous))
    assert ix.adjacency is not previous.adjacency
    assert ix.position[7] in ix.neighbours(ix.position[1]).tolist()


def test_the_arrays_rebuilt_equal_those_built_afresh():
    before = europe()
    after = replace(before, contacts=(Contact(2, 9, "school"),))
    reused = rebuild_index(after, (before, build_index(before)))
    fresh = build_index(after)
    for name in ("contacts", "adjacency", "namesakes", "memberships"):
        a, b = getattr(reused, name), getattr(fresh, name)
        assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert reused.contact_kinds == fresh.contact_kinds

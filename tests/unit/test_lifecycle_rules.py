"""The rules of levels and statuses, on plain data."""

import pytest

from jumelage.domain.lifecycle import (
    Activate,
    ChangeLevel,
    End,
    Explore,
    LinkState,
    Propose,
    Resolve,
    Resume,
    Sign,
    Suspend,
    Terms,
    apply,
    overall_status,
    propose,
    replay,
)
from jumelage.errors import Conflict, Invalid


def run(*ops, level="contact", terms=Terms()):
    state, history = propose(Propose(level, "2020-01-10", "a", terms))
    for op in ops:
        state, events = apply(state, op)
        history += events
    return state, history


def founded():
    return run(
        Explore("2020-02", "b"),
        Resolve("2020-03-01", "a"),
        Resolve("2020-04-01", "b"),
        Sign("2020-05-09", "Europe House", ("Mayor A", "Mayor B")),
        Activate("2020-06"),
    )


def test_a_contact_needs_no_formal_basis():
    state, _ = run()
    assert (state.level, state.status) == ("contact", "proposed")


def test_a_friendship_needs_an_end_date_or_a_project():
    with pytest.raises(Invalid) as caught:
        propose(Propose("friendship", "2020", "a"))
    assert caught.value.rule == "friendship_needs_end_or_project"
    assert propose(Propose("friendship", "2020", "a", Terms(valid_until="2024")))[0].level
    assert propose(Propose("friendship", "2020", "a", Terms(projects=("Youth orchestra",))))


def test_a_project_partnership_needs_a_topic_and_a_period():
    with pytest.raises(Invalid, match="topic"):
        propose(Propose("project", "2020", "a", Terms(start="2020", valid_until="2022")))
    with pytest.raises(Invalid, match="period"):
        propose(Propose("project", "2020", "a", Terms(topic="Water")))
    ok = Terms(topic="Water supply", start="2020-01", valid_until="2022-12")
    assert propose(Propose("project", "2020", "a", ok))[0].level == "project"


def test_a_partnership_needs_a_signed_charter():
    with pytest.raises(Invalid) as caught:
        propose(Propose("partnership", "2020", "a"))
    assert caught.value.rule == "partnership_needs_charter"
    state, _ = run()
    with pytest.raises(Invalid, match="charter"):
        apply(state, ChangeLevel("partnership", "2021", "closer ties", Terms()))


def test_signing_the_charter_after_both_resolutions_makes_a_partnership():
    state, history = founded()
    assert state.level == "partnership"
    assert state.status == "active"
    assert state.start_date == "2020-05-09"
    assert [e.kind for e in history] == [
        "proposed",
        "status",
        "resolution",
        "resolution",
        "signed",
        "level",
        "status",
    ]


def test_the_charter_is_not_signed_before_both_councils_resolved():
    state, _ = run(Explore("2020-02", "b"), Resolve("2020-03", "a"))
    with pytest.raises(Conflict, match="both sides"):
        apply(state, Sign("2020-04", None, ("Mayor A", "Mayor B")))


def test_a_side_status_is_kept_per_side():
    state, _ = run(Explore("2020-02", "b"), Resolve("2020-03", "a"))
    assert (state.status_a, state.status_b, state.status) == ("resolved", "exploring", "exploring")


def test_one_side_can_end_a_link_alone_and_the_other_sees_it_ended():
    state, _ = founded()
    state, _ = apply(state, End("2022-03", "b", "council decision"))
    assert state.status == "ended"
    assert state.ended_by == "b"
    assert state.status_a == "ended"


def test_an_end_before_the_start_is_refused():
    state, _ = founded()
    with pytest.raises(Invalid) as caught:
        apply(state, End("2019-12", "a", "mistake"))
    assert caught.value.rule == "end_after_start"


def test_suspension_needs_a_reason_and_can_be_resumed():
    state, _ = founded()
    with pytest.raises(Invalid):
        apply(state, Suspend("2022-03", "a", " "))
    state, _ = apply(state, Suspend("2022-03", "a", "war"))
    assert (state.status, state.status_b) == ("suspended", "active")
    state, _ = apply(state, Resume("2023-01", "a"))
    assert state.status == "active"


def test_a_level_change_is_kept_in_history_with_its_reason():
    state, _ = founded()
    state, events = apply(
        state, ChangeLevel("friendship", "2024", "fewer resources", Terms(valid_until="2027"))
    )
    assert state.level == "friendship"
    assert (events[0].from_value, events[0].to_value, events[0].reason) == (
        "partnership",
        "friendship",
        "fewer resources",
    )
    assert state.terms.charter_signed_on == "2020-05-09"  # the charter stays on record
    state, _ = apply(state, ChangeLevel("partnership", "2026", "revived", Terms()))
    assert state.level == "partnership"


def test_an_ended_link_refuses_further_changes():
    state, _ = founded()
    state, _ = apply(state, End("2022", None, "both councils"))
    with pytest.raises(Conflict):
        apply(state, Suspend("2023", "a", "war"))
    with pytest.raises(Conflict):
        apply(state, End("2023", "a", "again"))


def test_replaying_the_history_gives_back_the_state():
    state, history = founded()
    state, events = apply(state, Suspend("2022", "a", "war"))
    assert replay(history + events) == state


@pytest.mark.parametrize(
    ("a", "b", "overall"),
    [
        ("resolved", "exploring", "exploring"),
        ("active", "suspended", "suspended"),
        ("ended", "active", "ended"),
        ("signed", "active", "signed"),
    ],
)
def test_the_link_status_follows_from_the_sides(a, b, overall):
    assert overall_status(a, b) == overall


def test_a_state_knows_its_sides():
    state = LinkState("contact", "active", "suspended")
    assert state.side_status("b") == "suspended"

"""Any sequence of operations keeps the invariants: no lost history, status from events."""

from hypothesis import given, settings
from hypothesis import strategies as st

from jumelage.domain.lifecycle import (
    Activate,
    ChangeLevel,
    End,
    Explore,
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

sides = st.sampled_from(["a", "b"])
years = st.integers(min_value=1950, max_value=2030)
dates = st.builds(
    lambda y, m: f"{y:04d}" if m == 0 else f"{y:04d}-{m:02d}", years, st.integers(0, 12)
)
reasons = st.sampled_from(["war", "council decision", "", "funding"])
terms = st.builds(
    Terms,
    has_charter=st.booleans(),
    charter_signed_on=st.one_of(st.none(), dates),
    valid_until=st.one_of(st.none(), dates),
    projects=st.lists(st.sampled_from(["choir", "school exchange", " "]), max_size=2).map(tuple),
    topic=st.one_of(st.none(), st.sampled_from(["water", "climate"])),
    start=st.one_of(st.none(), dates),
)
operations = st.one_of(
    st.builds(Explore, dates, sides),
    st.builds(Resolve, dates, sides),
    st.builds(
        Sign, dates, st.none(), st.lists(st.sampled_from(["Mayor A", ""]), max_size=2).map(tuple)
    ),
    st.builds(Activate, dates),
    st.builds(Suspend, dates, sides, reasons),
    st.builds(Resume, dates, sides),
    st.builds(End, dates, st.one_of(st.none(), sides), reasons),
    st.builds(
        ChangeLevel,
        st.sampled_from(["partnership", "friendship", "contact", "project"]),
        dates,
        reasons,
        terms,
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    first=st.builds(
        Propose, st.sampled_from(["contact", "friendship", "project"]), dates, sides, terms
    ),
    ops=st.lists(operations, max_size=25),
)
def test_any_sequence_keeps_history_and_status_consistent(first, ops):
    try:
        state, history = propose(first)
    except Invalid:
        return
    for op in ops:
        before_state, before_history = state, list(history)
        try:
            state, events = apply(state, op)
        except (Invalid, Conflict):
            # A refused operation changes nothing.
            assert (state, history) == (before_state, before_history)
            continue
        assert events, "every accepted operation leaves a trace in the history"
        history = history + events
        assert history[: len(before_history)] == before_history  # nothing rewritten
        assert replay(history) == state  # the status follows from the events
        assert state.status == overall_status(state.status_a, state.status_b)
        if state.status == "ended":
            assert state.end_date is not None and state.ended_by is not None
        if state.level == "partnership":
            assert state.terms.has_charter

"""Facts two sides confirmed: a charter signed by one side and confirmed by the other."""

from __future__ import annotations

from typing import Any

from jumelage.domain.permissions import Principal
from jumelage.services import links as link_service
from jumelage.services import writing
from tests.builders import place_id, resolved_contact


def confirmed_signing(
    engine: Any, a_ref: str, b_ref: str, year: int, signed_on: str, document: str | None
) -> int:
    """A partnership whose charter one side signed and the other confirmed; its link id."""
    link_id = resolved_contact(engine, a_ref, b_ref, year)
    a, b = place_id(engine, a_ref), place_id(engine, b_ref)
    payload = {
        "signed_on": signed_on,
        "place": "Town hall",
        "signatories": ["Mayor A", "Mayor B"],
        "document_ref": document,
    }
    with writing(engine, Principal("side-a", "editor", frozenset({a}))) as w:
        proposed = link_service.propose_shared(w, link_id, a, "sign", payload)
    with writing(engine, Principal("side-b", "editor", frozenset({b}))) as w:
        link_service.decide_shared(w, proposed["confirmation_id"], b, True)
    return link_id

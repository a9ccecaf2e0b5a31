"""Words for the registry's closed vocabularies, marked for translation.

The data keeps the English keys ("partnership", "suspended"); the pages show
these labels in the reader's language.
"""

from __future__ import annotations

from typing import Final

from jumelage.web.i18n import N_

LABELS: Final[dict[str, dict[str, str]]] = {
    "level": {
        "partnership": N_("partnership"),
        "friendship": N_("friendship"),
        "contact": N_("contact"),
        "project": N_("project partnership"),
    },
    "status": {
        "proposed": N_("proposed"),
        "exploring": N_("exploring"),
        "resolved": N_("resolved"),
        "signed": N_("signed"),
        "active": N_("active"),
        "suspended": N_("suspended"),
        "ended": N_("ended"),
    },
    "event": {
        "proposed": N_("proposed"),
        "status": N_("status changed"),
        "resolution": N_("council resolution"),
        "signed": N_("charter signed"),
        "charter": N_("charter recorded"),
        "level": N_("level changed"),
        "suspended": N_("suspended"),
        "resumed": N_("resumed"),
        "ended": N_("ended"),
        "recorded": N_("recorded"),
        "transferred": N_("transferred to the successor"),
        "joined": N_("joined from a duplicate row of the same place"),
        "ambassadors_since": N_("city ambassadors exchanged"),
        "confirmation_requested": N_("confirmation requested"),
        "confirmation_confirmed": N_("confirmed by the other side"),
        "confirmation_rejected": N_("rejected by the other side"),
        "confirmation_withdrawn": N_("withdrawn by the proposing side"),
    },
    "shared": {
        "sign": N_("signing of the charter"),
        "charter": N_("the charter's record"),
        "level": N_("change of level"),
        "activate": N_("activation for both sides"),
    },
    "decision": {
        "accept": N_("Confirm"),
        "reject": N_("Reject"),
        "withdraw": N_("Withdraw"),
    },
    "activity": {
        "visit": N_("visit"),
        "delegation": N_("delegation"),
        "exchange": N_("exchange"),
        "project": N_("project"),
        "anniversary": N_("anniversary"),
    },
    "exchange": {
        "school": N_("school"),
        "youth": N_("youth"),
        "sports": N_("sports"),
        "culture": N_("culture"),
        "economy": N_("economy"),
        "administration": N_("administration"),
        "other": N_("other"),
    },
    "contact": {
        "citizen": N_("citizen"),
        "politician": N_("politician"),
        "school": N_("school"),
        "club": N_("club"),
        "association": N_("association"),
        "company": N_("company"),
        "church": N_("church"),
        "university": N_("university"),
        "administration": N_("administration"),
        "other": N_("other"),
    },
    "mode": {
        "similar": N_("common characteristics"),
        "contrast": N_("deliberate contrast"),
    },
    "award": {
        "diploma": N_("European Diploma"),
        "flag": N_("Flag of Honour"),
        "plaque": N_("Plaque of Honour"),
        "prize": N_("Europe Prize"),
    },
    "answer": {
        "open": N_("open"),
        "accepted": N_("accepted"),
        "declined": N_("declined"),
        "withdrawn": N_("withdrawn"),
    },
    "search": {
        "open": N_("open"),
        "closed": N_("closed"),
        "matched": N_("matched"),
    },
    "kind": {
        "municipality": N_("municipality"),
        "city": N_("city"),
        "district": N_("district"),
        "region": N_("region"),
    },
    "plan": {
        "encounter": N_("citizens' encounter"),
        "partnership_project": N_("partnership project"),
        "event": N_("event"),
        "other": N_("other"),
    },
    "role": {
        "mayor": N_("mayor"),
        "partnership_officer": N_("partnership officer"),
        "council_member": N_("council member"),
        "other": N_("other"),
    },
}


def label_key(vocabulary: str, key: str | None) -> str:
    """The message id for a key of a vocabulary; the key itself when unknown."""
    if key is None:
        return ""
    return LABELS.get(vocabulary, {}).get(key, key)

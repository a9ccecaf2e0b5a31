"""The registry's closed vocabularies: kinds of place, levels and statuses of links."""

from __future__ import annotations

from typing import Final

KINDS: Final = ("municipality", "city", "district", "region")

# Levels as used by the German section of CEMR (RGRE): a partnership rests on a
# signed charter and is unlimited; a friendship is limited in time or bound to
# named projects; a contact has no formal basis; a project partnership is limited
# in time and topic and rests on an agreement.
LEVELS: Final = ("partnership", "friendship", "contact", "project")

# A side's status, in the order a link is founded and lived.
STATUSES: Final = ("proposed", "exploring", "resolved", "signed", "active", "suspended", "ended")

SOURCES: Final = ("wikidata-2016", "wikidata-2017-eu", "wikipedia-2026", "chronicle")

# What happens within a link, who stands behind it, and how a founding begins.
ACTIVITY_KINDS = ("visit", "delegation", "exchange", "project", "anniversary")
EXCHANGE_KINDS = ("school", "youth", "sports", "culture", "economy", "administration", "other")
CONTACT_KINDS = (
    "citizen",
    "politician",
    "school",
    "club",
    "association",
    "company",
    "church",
    "university",
    "administration",
    "other",
)
ACTOR_KINDS = ("association", "school", "company", "club", "church", "university", "other")
OFFICIAL_ROLES = ("mayor", "partnership_officer", "council_member", "other")

# The curation queue: what the build or a refresh found uncertain, and an item's state.
CURATION_KINDS = (
    "duplicate",
    "uncertain_merge",
    "suspicious_point",
    "unlabelled",
    "refresh_contradiction",
)
CURATION_STATUSES = ("open", "decided")

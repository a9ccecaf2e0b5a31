"""The curation queue: what the build or a refresh is not sure of, and the curator's decision.

An item names its places by stable keys (QID, else country and name), so the
decision kept in the data folder can be applied again to a rebuilt registry.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from jumelage.domain.vocabulary import CURATION_KINDS, CURATION_STATUSES
from jumelage.store.metadata import metadata
from jumelage.store.metadata import one_of as _in

curation_item = Table(
    "curation_item",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(600), nullable=False, unique=True),
    Column("kind", String(24), nullable=False),
    Column("origin", String(16), nullable=False),  # build, refresh
    Column("places", JSON, nullable=False),  # stable place keys
    Column("reason", Text, nullable=False),
    Column("evidence", JSON, nullable=False),  # one entry per side
    Column("status", String(8), nullable=False, server_default="open"),
    Column("decision", String(16)),
    Column("decision_data", JSON),
    Column("decided_by", String(120)),
    Column("decided_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(_in("kind", CURATION_KINDS), name="kind"),
    CheckConstraint(_in("status", CURATION_STATUSES), name="status"),
    Index("ix_curation_item_status_kind", "status", "kind"),
)


# What Wikidata stated at the last refresh, one row per P190 pair (QIDs in order):
# the base against which the next refresh is a diff, and what the give-back leaves out
# as "already there".
wikidata_statement = Table(
    "wikidata_statement",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("a_qid", String(16), nullable=False),
    Column("b_qid", String(16), nullable=False),
    Column("start_date", String(10)),
    Column("end_date", String(10)),
    Column("as_of", String(10)),
    UniqueConstraint("a_qid", "b_qid"),
)

# The report of each refresh, newest last; administrators see the last one.
wikidata_refresh = Table(
    "wikidata_refresh",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("file", String(300), nullable=False),
    Column("report", JSON, nullable=False),
)

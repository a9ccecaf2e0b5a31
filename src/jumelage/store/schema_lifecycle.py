"""Tables of a partnership's life: charter, activities, contacts, partner search, people.

Rows that users enter carry `version` (optimistic concurrency) and
`deleted_at` (soft deletion: nothing a user entered is destroyed).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from jumelage.domain.vocabulary import (
    ACTIVITY_KINDS,
    ACTOR_KINDS,
    CONTACT_KINDS,
    EXCHANGE_KINDS,
    OFFICIAL_ROLES,
)
from jumelage.store.metadata import metadata
from jumelage.store.metadata import one_of as _in


def _stamps() -> list[Column[object]]:
    return [
        Column("version", Integer, nullable=False, server_default="1"),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("created_by", String(120), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("deleted_at", DateTime(timezone=True)),
    ]


# The charter (Partnerschaftsurkunde) or agreement a link rests on. Confirmed
# separately by each side: a shared fact takes effect when both have confirmed.
charter = Table(
    "charter",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("link_id", Integer, ForeignKey("link.id"), nullable=False, unique=True),
    Column("signed_on", String(10)),
    Column("place", String(200)),
    Column("signatories", JSON, nullable=False),
    Column("document_ref", Text),
    Column("source", Text),
    *_stamps(),
)

# Level-specific terms of a link: a friendship's end date or projects, a
# project partnership's topic and period.
link_terms = Table(
    "link_terms",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("link_id", Integer, ForeignKey("link.id"), nullable=False, unique=True),
    Column("valid_until", String(10)),
    Column("topic", Text),
    Column("projects", JSON, nullable=False),
    *_stamps(),
)

activity = Table(
    "activity",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("link_id", Integer, ForeignKey("link.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("exchange_kind", String(16)),
    Column("title", String(300), nullable=False),
    Column("start_date", String(10), nullable=False),
    Column("end_date", String(10)),
    Column("from_id", Integer, ForeignKey("municipality.id")),
    Column("to_id", Integer, ForeignKey("municipality.id")),
    Column("participants", Integer),
    Column("invited_from_abroad", Integer),
    Column("days", Integer),
    Column("themes", JSON, nullable=False),
    Column("funding_source", String(200)),
    Column("planned", Integer, nullable=False, server_default="0"),
    Column("note", Text),
    *_stamps(),
    CheckConstraint(_in("kind", ACTIVITY_KINDS), name="kind"),
    CheckConstraint(
        f"exchange_kind IS NULL OR {_in('exchange_kind', EXCHANGE_KINDS)}", name="exchange_kind"
    ),
    CheckConstraint("participants IS NULL OR participants >= 0", name="participants"),
    CheckConstraint(
        "invited_from_abroad IS NULL OR (invited_from_abroad >= 0 AND "
        "(participants IS NULL OR invited_from_abroad <= participants))",
        name="invited",
    ),
    CheckConstraint("days IS NULL OR days >= 0", name="days"),
    CheckConstraint("end_date IS NULL OR end_date >= start_date", name="period"),
    Index("ix_activity_link", "link_id", "start_date"),
)

# Existing private ties of a municipality's citizens, politicians, schools,
# clubs and companies with a place abroad: the seed of many partnerships.
contact = Table(
    "contact",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("municipality_id", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("place_id", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("holder", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("since", String(10)),
    Column("note", Text),
    *_stamps(),
    CheckConstraint(_in("kind", CONTACT_KINDS), name="kind"),
    CheckConstraint("municipality_id <> place_id", name="abroad"),
    Index("ix_contact_municipality", "municipality_id"),
    Index("ix_contact_place", "place_id"),
)

partner_search = Table(
    "partner_search",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("municipality_id", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("countries", JSON, nullable=False),
    Column("regions", JSON, nullable=False),
    Column("size_min", Integer),
    Column("size_max", Integer),
    Column("themes", JSON, nullable=False),
    Column("languages", JSON, nullable=False),
    Column("mode", String(16), nullable=False),
    Column("text", Text, nullable=False, server_default=""),
    Column("expires_on", String(10), nullable=False),
    Column("status", String(16), nullable=False, server_default="open"),
    Column("link_id", Integer, ForeignKey("link.id")),
    *_stamps(),
    CheckConstraint("mode IN ('similar', 'contrast')", name="mode"),
    CheckConstraint("status IN ('open', 'closed', 'matched')", name="status"),
    CheckConstraint(
        "size_min IS NULL OR size_max IS NULL OR size_min <= size_max", name="size_band"
    ),
    Index("ix_partner_search_open", "status", "expires_on"),
)

search_answer = Table(
    "search_answer",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("search_id", Integer, ForeignKey("partner_search.id"), nullable=False),
    Column("municipality_id", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("message", Text, nullable=False, server_default=""),
    Column("status", String(16), nullable=False, server_default="open"),
    *_stamps(),
    CheckConstraint("status IN ('open', 'accepted', 'declined', 'withdrawn')", name="status"),
    UniqueConstraint("search_id", "municipality_id"),
)

official = Table(
    "official",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("municipality_id", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("person", String(200), nullable=False),
    Column("role", String(32), nullable=False),
    Column("term_start", String(10)),
    Column("term_end", String(10)),
    Column("source", Text),
    *_stamps(),
    CheckConstraint(_in("role", OFFICIAL_ROLES), name="role"),
    CheckConstraint(
        "term_end IS NULL OR term_start IS NULL OR term_end >= term_start", name="term"
    ),
    Index("ix_official_municipality", "municipality_id"),
)

# A person from one city who works for a term in the partner city's
# administration (the Osnabrück–Angers model, since 1965).
ambassador = Table(
    "ambassador",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person", String(200), nullable=False),
    Column("home_id", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("host_id", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("link_id", Integer, ForeignKey("link.id")),
    Column("term_start", String(10), nullable=False),
    Column("term_end", String(10)),
    Column("note", Text),
    *_stamps(),
    CheckConstraint("home_id <> host_id", name="abroad"),
    CheckConstraint("term_end IS NULL OR term_end >= term_start", name="term"),
)

# Associations, schools, companies behind a partnership.
actor = Table(
    "actor",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("municipality_id", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("note", Text),
    *_stamps(),
    CheckConstraint(_in("kind", ACTOR_KINDS), name="kind"),
)

link_actor = Table(
    "link_actor",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("link_id", Integer, ForeignKey("link.id"), nullable=False),
    Column("actor_id", Integer, ForeignKey("actor.id"), nullable=False),
    Column("role", String(200), nullable=False),
    Column("since", String(10)),
    Column("until", String(10)),
    *_stamps(),
    UniqueConstraint("link_id", "actor_id", "role"),
)

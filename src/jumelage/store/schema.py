"""Tables, constraints and indexes, declared once.

Alembic migrations in `migrations/versions` create exactly these tables; a test
compares the migrated database with this metadata so the two cannot drift.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from jumelage.domain.vocabulary import KINDS, LEVELS, STATUSES
from jumelage.store.metadata import metadata as metadata
from jumelage.store.metadata import one_of as _in  # with every table once imported

# A partial date: "1950", "1987-02" or "1980-05-22"; the service layer checks the
# calendar, the database the shape.
_DATE_SHAPE = "length({c}) IN (4, 7, 10)"

municipality = Table(
    "municipality",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("qid", String(16), unique=True),
    Column("name", String(200), nullable=False),
    Column("name_folded", String(200), nullable=False, index=True),
    Column("kind", String(16), nullable=False, server_default="municipality"),
    Column("country", String(2)),
    Column("admin_area", String(200)),
    Column("admin_code", String(16)),
    Column("lat", Float),
    Column("lon", Float),
    Column("population", BigInteger),
    Column("population_year", Integer),
    Column("population_source", String(40)),
    Column("geonames_id", Integer),
    Column("merged_into_id", Integer, ForeignKey("municipality.id")),
    Column("merged_on", String(10)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(_in("kind", KINDS), name="kind"),
    CheckConstraint("lat IS NULL OR (lat >= -90 AND lat <= 90)", name="lat"),
    CheckConstraint("lon IS NULL OR (lon >= -180 AND lon <= 180)", name="lon"),
    CheckConstraint("population IS NULL OR population >= 0", name="population"),
    CheckConstraint("qid IS NULL OR qid LIKE 'Q%'", name="qid"),
    CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"),
    Index("ix_municipality_country_name", "country", "name_folded"),
)

municipality_name = Table(
    "municipality_name",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "municipality_id",
        Integer,
        ForeignKey("municipality.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("lang", String(8), nullable=False),
    Column("name", String(200), nullable=False),
    Column("folded", String(200), nullable=False, index=True),
    # German umlauts folded as ae/oe/ue ("koeln"), where that differs from `folded`.
    Column("folded_alt", String(200), index=True),
    UniqueConstraint("municipality_id", "lang", "name"),
)

sovereignty_period = Table(
    "sovereignty_period",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("state_key", String(8), nullable=False),
    Column("state_name", String(120), nullable=False),
    Column("country", String(2), nullable=False),
    Column("admin_code", String(16)),
    Column("valid_from", String(10)),
    Column("valid_to", String(10)),
    Column("note", String(200), nullable=False, server_default=""),
    Index("ix_sovereignty_period_country", "country"),
)

link = Table(
    "link",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("a_id", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("b_id", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("level", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("status_a", String(16), nullable=False),
    Column("status_b", String(16), nullable=False),
    Column("start_date", String(10)),
    Column("end_date", String(10)),
    Column("ended_by_id", Integer, ForeignKey("municipality.id")),
    Column("end_reason", Text),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # An unordered pair is stored once, smaller id first; this also refuses a
    # link of a municipality with itself.
    CheckConstraint("a_id <> b_id", name="not_self"),
    CheckConstraint("a_id < b_id", name="ordered_pair"),
    CheckConstraint(_in("level", LEVELS), name="level"),
    CheckConstraint(_in("status", STATUSES), name="status"),
    CheckConstraint(_in("status_a", STATUSES), name="status_a"),
    CheckConstraint(_in("status_b", STATUSES), name="status_b"),
    CheckConstraint(
        f"start_date IS NULL OR {_DATE_SHAPE.format(c='start_date')}", name="start_date"
    ),
    CheckConstraint(f"end_date IS NULL OR {_DATE_SHAPE.format(c='end_date')}", name="end_date"),
    Index("ix_link_b_id", "b_id"),
    # The partial unique index cannot serve lookups by one side on every backend.
    Index("ix_link_a_id", "a_id"),
)

# One live link per pair and level, in the database itself; an ended link stays
# on record beside a new one (a partnership can be founded again).
Index(
    "uq_link_pair_level_live",
    link.c.a_id,
    link.c.b_id,
    link.c.level,
    unique=True,
    sqlite_where=link.c.status != "ended",
    postgresql_where=link.c.status != "ended",
)

link_source = Table(
    "link_source",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("link_id", Integer, ForeignKey("link.id", ondelete="CASCADE"), nullable=False),
    Column("source", String(40), nullable=False),
    Column("as_of", String(10)),
    Column("reference", Text, nullable=False, server_default=""),
    Column("name_a", String(200)),
    Column("name_b", String(200)),
    # One row per statement of a source: a source may list a pair twice (on the
    # list page of each country, or under two names of one place).
    UniqueConstraint("link_id", "source", "reference", "name_a", "name_b"),
)

# Everything that happened to a link, in order: creation, level changes, status
# changes per side, resolutions, signing, suspension, ending, transfer to a
# successor. Rows are only ever added.
link_event = Table(
    "link_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("link_id", Integer, ForeignKey("link.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("date", String(10)),
    Column("side_id", Integer, ForeignKey("municipality.id")),
    Column("from_value", String(200)),
    Column("to_value", String(200)),
    Column("reason", Text),
    Column("source", Text),
    Column("data", JSON),
    Column("actor", String(120), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_link_event_link_id", "link_id", "id"),
)

succession = Table(
    "succession",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("predecessor_id", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("successor_id", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("date", String(10), nullable=False),
    Column("source", Text, nullable=False, server_default=""),
    CheckConstraint("predecessor_id <> successor_id", name="not_self"),
    UniqueConstraint("predecessor_id"),
)

network = Table(
    "network",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("founded", String(10)),
    Column("description", Text, nullable=False, server_default=""),
    Column("source", Text, nullable=False, server_default=""),
)

network_membership = Table(
    "network_membership",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("network_id", Integer, ForeignKey("network.id"), nullable=False),
    Column("municipality_id", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("joined_on", String(10)),
    Column("left_on", String(10)),
    Column("source", Text, nullable=False, server_default=""),
    Column("verified", Integer, nullable=False, server_default="1"),
    Column("version", Integer, nullable=False, server_default="1"),
    CheckConstraint("left_on IS NULL OR joined_on IS NULL OR joined_on <= left_on", name="period"),
    UniqueConstraint("network_id", "municipality_id", "joined_on"),
    Index("ix_network_membership_municipality", "municipality_id"),
)

# Who changed what, when, with the values before and after. Written by the
# service layer in the same transaction as the change itself.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("action", String(64), nullable=False),
    Column("object_type", String(40), nullable=False),
    Column("object_id", Integer),
    Column("before", JSON),
    Column("after", JSON),
    Index("ix_audit_log_object", "object_type", "object_id"),
)

# One row: the registry's data version, bumped by every write, so caches of
# derived data (statistics, rendered pages) know when to refresh.
registry_state = Table(
    "registry_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("data_version", Integer, nullable=False, server_default="0"),
    Column("bundled_dataset", String(80)),
    CheckConstraint("id = 1", name="single_row"),
)

# Values derived from the whole registry (the statistics, the map's data, the
# matcher), computed by one process per data version and read by every other
# (`store.cache.SharedCache`). One row per value: the newest stored version, and
# the claim of the process computing the next one (a claim that is not renewed
# lapses, so a process that dies while computing holds no one up). A cache, not
# data: never backed up, rebuilt from the registry when missing.
derived_value = Table(
    "derived_value",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("data_version", Integer, nullable=False),  # of `value`; -1 while none is stored
    Column("value", LargeBinary),
    Column("computed_at", DateTime(timezone=True)),
    Column("claimed_by", String(120)),
    Column("claimed_until", Float),  # seconds since the epoch
    info={"cache": True},
)

# The other table families register on the same metadata.
from jumelage.store import (  # noqa: E402, F401
    schema_accounts,
    schema_curation,
    schema_lifecycle,
    schema_programmes,
)

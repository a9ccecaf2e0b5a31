"""Programmes around partnerships: awards, funding, development projects, DAC list."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from jumelage.store.metadata import metadata

AWARD_LEVELS = ("diploma", "flag", "plaque", "prize")


def _stamps() -> list[Column[object]]:
    return [
        Column("version", Integer, nullable=False, server_default="1"),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("created_by", String(120), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("deleted_at", DateTime(timezone=True)),
    ]


# The Council of Europe's Europe Prize ladder, one row per distinction received.
award = Table(
    "award",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("municipality_id", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("level", String(16), nullable=False),
    Column("year", Integer, nullable=False),
    Column("source", Text),
    *_stamps(),
    CheckConstraint("level IN ('diploma', 'flag', 'plaque', 'prize')", name="level"),
    UniqueConstraint("municipality_id", "level"),
)

# A funding programme is data: its rules are a JSON list checked by the domain.
programme = Table(
    "programme",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("funder", String(200), nullable=False),
    Column("valid_from", String(10)),
    Column("valid_to", String(10)),
    Column("rules", JSON, nullable=False),
    Column("source", Text, nullable=False, server_default=""),
    *_stamps(),
)

dev_project = Table(
    "dev_project",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("link_id", Integer, ForeignKey("link.id"), nullable=False),
    Column("title", String(300), nullable=False),
    Column("themes", JSON, nullable=False),
    Column("budget", BigInteger),
    Column("currency", String(3), nullable=False, server_default="EUR"),
    Column("funders", JSON, nullable=False),
    Column("start_date", String(10)),
    Column("end_date", String(10)),
    Column("description", Text, nullable=False, server_default=""),
    *_stamps(),
    CheckConstraint("budget IS NULL OR budget >= 0", name="budget"),
    CheckConstraint(
        "end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="period"
    ),
)

project_company = Table(
    "project_company",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("dev_project.id"), nullable=False),
    Column("actor_id", Integer, ForeignKey("actor.id"), nullable=False),
    Column("role", String(200), nullable=False),
    *_stamps(),
    UniqueConstraint("project_id", "actor_id"),
)

funding_grant = Table(
    "funding_grant",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("programme_id", Integer, ForeignKey("programme.id"), nullable=False),
    Column("link_id", Integer, ForeignKey("link.id")),
    Column("project_id", Integer, ForeignKey("dev_project.id")),
    Column("municipality_id", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False, server_default="EUR"),
    Column("year", Integer, nullable=False),
    Column("note", Text),
    *_stamps(),
    CheckConstraint("amount >= 0", name="amount"),
    CheckConstraint("link_id IS NOT NULL OR project_id IS NOT NULL", name="target"),
)

# The OECD DAC list of ODA recipients, per list year; unverified rows keep the mark.
dac_country = Table(
    "dac_country",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("iso2", String(2), nullable=False),
    Column("name", String(120), nullable=False),
    Column("income_group", String(16), nullable=False),
    Column("list_years", String(16), nullable=False),
    Column("verified", Integer, nullable=False, server_default="1"),
    Column("note", Text, nullable=False, server_default=""),
    UniqueConstraint("iso2", "list_years"),
)

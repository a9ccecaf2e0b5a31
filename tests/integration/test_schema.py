"""The database itself refuses what must never be stored."""

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from jumelage.store.schema import link, metadata, municipality

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _place(conn, id_, name):
    conn.execute(
        insert(municipality).values(
            id=id_, name=name, name_folded=name.lower(), created_at=NOW, updated_at=NOW
        )
    )


def _link(a_id, b_id, level="partnership", status="active"):
    return insert(link).values(
        a_id=a_id,
        b_id=b_id,
        level=level,
        status=status,
        status_a=status,
        status_b=status,
        created_at=NOW,
        updated_at=NOW,
    )


def test_the_migrated_schema_equals_the_declared_metadata(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_the_database_refuses_a_link_of_a_municipality_with_itself(engine):
    with engine.begin() as conn:
        _place(conn, 1, "Köln")
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(_link(1, 1))


def test_the_database_refuses_a_second_link_of_the_same_pair_and_level(engine):
    with engine.begin() as conn:
        _place(conn, 1, "Köln")
        _place(conn, 2, "Liverpool")
        conn.execute(_link(1, 2))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(_link(1, 2))


def test_an_ended_link_may_stand_beside_a_new_link_of_the_same_level(engine):
    with engine.begin() as conn:
        _place(conn, 1, "Deventer")
        _place(conn, 2, "Westerkappeln")
        conn.execute(_link(1, 2, status="ended"))
        conn.execute(_link(1, 2))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(_link(1, 2))


def test_the_database_stores_a_pair_once_smaller_id_first(engine):
    with engine.begin() as conn:
        _place(conn, 1, "Köln")
        _place(conn, 2, "Liverpool")
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(_link(2, 1))


def test_a_pair_may_hold_links_of_different_levels(engine):
    with engine.begin() as conn:
        _place(conn, 1, "Köln")
        _place(conn, 2, "Liverpool")
        conn.execute(_link(1, 2, "contact"))
        conn.execute(_link(1, 2, "partnership"))


def test_the_database_refuses_an_unknown_level(engine):
    with engine.begin() as conn:
        _place(conn, 1, "Köln")
        _place(conn, 2, "Liverpool")
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(_link(1, 2, "alliance"))

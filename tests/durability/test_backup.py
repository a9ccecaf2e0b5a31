"""Backups round-trip, online, and restore only into an empty database."""

import threading

import pytest

from jumelage.errors import Conflict
from jumelage.services import activities, writing
from jumelage.store.backup import backup, restore, rows_of
from jumelage.store.db import make_engine
from tests.builders import place_id, snapshot


def test_a_backup_restores_to_an_identical_registry(loaded_engine, engine, tmp_path):
    with writing(loaded_engine, "test") as w:
        from jumelage.services.lifecycle import find_link

        link = find_link(w, place_id(loaded_engine, "Q365"), place_id(loaded_engine, "Q24826"))
        activities.record_activity(
            w, link.id, activities.ActivityInput(kind="visit", title="Visit", start_date="2024")
        )
    path = tmp_path / "registry.jsonl.gz"
    report = backup(loaded_engine, path)
    assert report.rows > 100
    restore(engine, path)  # an empty database of the same backend
    assert rows_of(engine) == rows_of(loaded_engine)


def test_a_backup_moves_a_registry_from_one_backend_to_a_fresh_sqlite_file(loaded_engine, tmp_path):
    path = tmp_path / "registry.jsonl.gz"
    backup(loaded_engine, path)
    fresh = make_engine(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    restore(fresh, path)
    assert rows_of(fresh) == rows_of(loaded_engine)


def test_a_restore_into_a_database_with_data_is_refused(loaded_engine, tmp_path):
    path = tmp_path / "registry.jsonl.gz"
    backup(loaded_engine, path)
    before = snapshot(loaded_engine)
    with pytest.raises(Conflict, match="holds data"):
        restore(loaded_engine, path)
    assert snapshot(loaded_engine) == before


def test_a_backup_taken_while_writes_go_on_is_consistent(loaded_engine, tmp_path):
    link_id = 1
    stop = threading.Event()

    def writer():
        n = 0
        while not stop.is_set():
            n += 1
            with writing(loaded_engine, "writer") as w:
                activities.record_activity(
                    w,
                    link_id,
                    activities.ActivityInput(kind="visit", title=f"v{n}", start_date="2024"),
                )

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        path = tmp_path / "online.jsonl.gz"
        backup(loaded_engine, path)
    finally:
        stop.set()
        thread.join()
    restored = make_engine(f"sqlite:///{tmp_path / 'online.sqlite3'}")
    restore(restored, path)
    rows = rows_of(restored)
    # Every activity in the backup has its audit record: the snapshot was taken between writes.
    activity_ids = {r[0] for r in rows["activity"]}
    audited = {r[5] for r in rows["audit_log"] if r[4] == "activity"}
    assert activity_ids <= audited


def test_a_damaged_file_is_refused_with_a_message(engine, tmp_path):
    from jumelage.errors import Invalid

    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(Invalid, match="cannot be read as a backup"):
        restore(engine, path)

"""Opening the registry: settings, engine, schema and first data, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine

from jumelage.services import writing
from jumelage.services.bundle import BUNDLED, FIXTURE, LoadReport, Progress, load_bundle
from jumelage.services.curation import reapply
from jumelage.services.reference import load_reference_data, sync_sovereignty_periods
from jumelage.settings import Settings
from jumelage.store.db import is_migrated, make_engine, migrate, read_engine

DATASETS = {"bundled": BUNDLED, "fixture": FIXTURE}


@dataclass
class Registry:
    settings: Settings
    engine: Engine

    @cached_property
    def reader(self) -> Engine:
        """The engine for reads with no snapshot across statements (`store.db.read_engine`)."""
        return read_engine(self.engine)


def open_registry(settings: Settings) -> Registry:
    return Registry(settings, make_engine(settings.database_url))


def prepare(registry: Registry) -> None:
    """Migrate the schema to the newest revision and sync reference tables."""
    if not is_migrated(registry.engine):
        migrate(registry.engine)
    with writing(registry.engine, "jumelage init") as w:
        sync_sovereignty_periods(w)


def initialise(
    registry: Registry, dataset: str | Path = "bundled", progress: Progress | None = None
) -> LoadReport:
    """Prepare the schema and, if the registry is empty, load a dataset into it."""
    prepare(registry)
    folder = DATASETS[dataset] if isinstance(dataset, str) else dataset
    report = load_bundle(registry.engine, folder, progress=progress)
    if not report.skipped:
        # A curator's decisions, kept in the data folder, outlive a new load.
        reapply(registry.engine, registry.settings.data_dir)
    # Programmes, the DAC list and networks: idempotent, so a registry that
    # already holds data is brought up to the reference data of this version.
    load_reference_data(registry.engine)
    return report

"""Operating the registry: online backups and restores."""

from __future__ import annotations

from pathlib import Path

import typer

from jumelage.cli import app, fail, handles_errors
from jumelage.cli.core import open_cli_registry
from jumelage.registry import prepare
from jumelage.store.backup import backup as make_backup
from jumelage.store.backup import restore as run_restore


@app.command()
@handles_errors
def backup(file: Path = typer.Argument(..., help="The backup file to write (.jsonl.gz).")) -> None:
    """Write a consistent backup of the whole registry, also while the app is serving."""
    registry = open_cli_registry()
    prepare(registry)
    report = make_backup(registry.engine, file)
    typer.echo(f"backup of {report.rows} rows in {report.tables} tables written to {file}")


@app.command()
@handles_errors
def restore(file: Path = typer.Argument(..., help="A file written by `jumelage backup`.")) -> None:
    """Restore a backup into an empty database (JUMELAGE_DATABASE_URL); nothing is overwritten."""
    if not file.is_file():
        fail(f"{file}: no such file", 2)
    registry = open_cli_registry()
    report = run_restore(registry.engine, file)
    typer.echo(f"restored {report.rows} rows (schema {report.revision}, migrated to the newest)")

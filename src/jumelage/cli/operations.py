"""Operating the registry: online backups and restores."""

from __future__ import annotations

from pathlib import Path

import typer

from jumelage.cli.common import app, fail, handles_errors, open_cli_registry


@app.command()
@handles_errors
def backup(file: Path = typer.Argument(..., help="The backup file to write (.jsonl.gz).")) -> None:
    """Write a consistent backup of the whole registry, also while the app is serving."""
    from jumelage.store.backup import backup as make_backup

    registry = open_cli_registry(needs_data=False)
    report = make_backup(registry.engine, file)
    typer.echo(f"backup of {report.rows} rows in {report.tables} tables written to {file}")


@app.command()
@handles_errors
def restore(file: Path = typer.Argument(..., help="A file written by `jumelage backup`.")) -> None:
    """Restore a backup into an empty database (JUMELAGE_DATABASE_URL); nothing is overwritten."""
    if not file.is_file():
        fail(f"{file}: no such file", 2)
    from jumelage.registry import open_registry
    from jumelage.settings import load_settings
    from jumelage.store.backup import restore as run_restore

    # Not migrated first: the restore checks that the database is empty.
    registry = open_registry(load_settings())
    report = run_restore(registry.engine, file)
    typer.echo(f"restored {report.rows} rows (schema {report.revision}, migrated to the newest)")

"""Commands of the registry core: serve, init, import, partners, export, about."""

from __future__ import annotations

import errno
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import typer

from jumelage import __version__
from jumelage.attribution import ATTRIBUTION
from jumelage.cli.common import app, country_code, fail, handles_errors, open_cli_registry

if TYPE_CHECKING:
    import socket

    from jumelage.registry import Registry

# The datasets `init` and `serve` can load (jumelage.registry.DATASETS).
DATASETS = ("bundled", "fixture")


@contextmanager
def progress_bar(description: str) -> Iterator[Any]:
    """A progress bar on stderr (quiet when stderr is not a terminal)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    err_console = Console(stderr=True)
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
        disable=not err_console.is_terminal,
    ) as progress:
        task = progress.add_task(description, total=None)

        def tick(stage: str, done: int, total: int) -> None:
            progress.update(
                task, description=f"{description}: {stage}", completed=done, total=total
            )

        yield tick


def _load(registry: Registry, dataset: str) -> None:
    from jumelage.registry import initialise

    with progress_bar("loading data") as tick:
        report = initialise(registry, dataset, progress=tick)
    if report.skipped:
        typer.echo("registry already holds data; nothing loaded", err=True)
    else:
        typer.echo(
            f"loaded {report.municipalities} municipalities, {report.links} links, "
            f"{report.events} dated facts, {report.successions} succession(s)",
            err=True,
        )


def _dataset_option() -> Any:
    return typer.Option(
        "bundled", "--dataset", help=f"Data to load into an empty registry: {', '.join(DATASETS)}."
    )


@app.command()
@handles_errors
def init(dataset: str = _dataset_option()) -> None:
    """Create or upgrade the database and load the bundled data into an empty registry."""
    if dataset not in DATASETS:
        fail(f"unknown dataset {dataset!r}; choose one of {', '.join(DATASETS)}", 2)
    registry = open_cli_registry(needs_data=False)
    _load(registry, dataset)
    typer.echo(f"database ready: {registry.engine.url.render_as_string(hide_password=True)}")


@app.command()
@handles_errors
def serve(
    host: str = typer.Option(None, help="Address to bind (default: JUMELAGE_HOST)."),
    port: int = typer.Option(None, help="TCP port (default: JUMELAGE_PORT).", min=1, max=65535),
    workers: int = typer.Option(
        None, help="Worker processes (default: JUMELAGE_WORKERS, the number of cores).", min=1
    ),
    dataset: str = _dataset_option(),
) -> None:
    """Start the web app (loads the bundled data on first start)."""
    from jumelage.server import run
    from jumelage.settings import load_settings

    if dataset not in DATASETS:
        fail(f"unknown dataset {dataset!r}; choose one of {', '.join(DATASETS)}", 2)
    settings = load_settings()
    host, port = host or settings.host, port or settings.port
    # The port is taken before the data loads, so a busy port is said at once.
    sock = _listen(host, port)
    registry = open_cli_registry(needs_data=False)
    _load(registry, dataset)
    registry.engine.dispose()
    run(settings, sock, workers=workers or settings.workers)


def _listen(host: str, port: int) -> socket.socket:
    """The server's listening socket, or one line saying why it cannot be had."""
    from jumelage.server import listening_socket

    try:
        return listening_socket(host, port)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            fail(
                f"port {port} on {host} is already in use (another server?); stop it, "
                "or choose another port with --port or JUMELAGE_PORT"
            )
        if err.errno == errno.EACCES:
            fail(
                f"no permission to listen on port {port}; choose a port above 1023 "
                "with --port or JUMELAGE_PORT"
            )
        fail(
            f"cannot listen on {host}:{port} ({err.strerror or err}); check --host or JUMELAGE_HOST"
        )


IMPORT_FORMATS = ("csv", "sparql-json", "wikidata-dump")


@app.command("import")
@handles_errors
def import_(
    file: Path = typer.Argument(..., help="The file to import.", exists=False),
    format: str = typer.Option(..., "--format", "-f", help=f"One of {', '.join(IMPORT_FORMATS)}."),
    source: str = typer.Option(None, help="Source name recorded on each link (CSV default)."),
    as_of: str = typer.Option(None, "--as-of", help="Date the source describes, e.g. 2026-02."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Import the valid rows even if some are rejected."
    ),
    actor: str = typer.Option("cli", help="Who is importing (recorded in the audit trail)."),
    json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Wikidata into a registry with data: print the change report only."
    ),
) -> None:
    """Import links: the project's CSV, Wikidata SPARQL JSON, or a Wikidata JSON dump.

    The import is one transaction: if a row is rejected nothing is written (unless
    --skip-invalid), and the rejected rows are listed with their line numbers.
    Importing the same file again changes nothing.

    Wikidata into a registry that holds data is a refresh: a change report against the
    last refresh (new and gone links, dates added or changed, places merged there);
    what contradicts a local decision goes to the curation queue instead of being
    applied (see docs/wikidata.md).
    """
    from jumelage.importers import ImportRejected, apply_records, csv_links, sparql, wikidata_dump
    from jumelage.services.bundle import registry_is_empty

    if format not in IMPORT_FORMATS:
        fail(f"unknown format {format!r}; choose one of {', '.join(IMPORT_FORMATS)}", 2)
    if not file.is_file():
        fail(f"{file}: no such file", 2)
    registry = open_cli_registry(needs_data=False)
    if format != "csv" and not registry_is_empty(registry.engine):
        _refresh(registry, file, format, as_of, actor, json, dry_run)
        return
    if dry_run:
        fail("--dry-run is for a Wikidata refresh of a registry that holds data", 2)
    if format == "csv":
        items = csv_links.parse(file, source)
    elif format == "sparql-json":
        items = sparql.parse(file, as_of)
    else:
        items = wikidata_dump.parse(file, as_of)
    with progress_bar(f"importing {file.name}") as tick:
        try:
            report = apply_records(
                registry.engine,
                items,
                actor,
                skip_invalid=skip_invalid,
                progress=lambda line: tick("rows", line, 0),
            )
        except ImportRejected as err:
            if json:
                typer.echo(orjson.dumps(err.report.to_dict()).decode())
            for rejected in err.report.rejected[:50]:
                typer.echo(f"line {rejected.line}: {rejected.reason}", err=True)
            fail(f"{len(err.report.rejected)} row(s) rejected; nothing was imported")
            return
    if json:
        typer.echo(orjson.dumps(report.to_dict()).decode())
        return
    for rejected in report.rejected:
        typer.echo(f"skipped line {rejected.line}: {rejected.reason}", err=True)
    typer.echo(
        f"{report.records} records: links {dict(report.links)}; "
        f"municipalities {dict(report.municipalities)}; {len(report.rejected)} rejected"
    )


def _refresh(
    registry: Registry,
    file: Path,
    format: str,
    as_of: str | None,
    actor: str,
    json: bool,
    dry_run: bool,
) -> None:
    from jumelage.importers import sparql, wikidata_dump
    from jumelage.importers.refresh import refresh

    parse = sparql.parse if format == "sparql-json" else wikidata_dump.parse
    items = list(parse(file, as_of))
    report = refresh(registry.engine, items, file, actor, as_of, dry_run=dry_run)
    if json:
        typer.echo(orjson.dumps(report.to_dict()).decode())
        return
    for change in report.new_links[:50]:
        typer.echo(f"new\t{change['a_name']} ({change['a']}) – {change['b_name']} ({change['b']})")
    for change in report.gone_links[:50]:
        typer.echo(f"gone\t{change['a']} – {change['b']}")
    for change in report.dates_added + report.dates_changed:
        typer.echo(
            f"{change['field']}\t{change['a_name']} – {change['b_name']}: "
            f"{change['registry'] or '—'} → {change['wikidata']}"
        )
    for merged in report.merged_there:
        typer.echo(f"merged\t{merged['from']} → {merged['into']}")
    for split in report.split_there:
        typer.echo(
            f"split\t{split['name']} ({split['from']}) → {', '.join(split['into'])} (queued)"
        )
    for change in report.held[:50]:
        typer.echo(f"held\t{change['a_name']} ({change['a']}) – {change['b_name']} ({change['b']})")
    for item in report.contradictions:
        typer.echo(f"contradiction\t{' – '.join(item['places'])}: {item['reason']}")
    typer.echo(report.summary())


def find_one(registry: Registry, name: str, country: str | None) -> int:
    """The municipality a name, id or QID stands for, by the one resolver's policy
    (`store.places`); an unknown or ambiguous name is the command's one-line error."""
    from jumelage.store import places

    with registry.engine.connect() as conn:
        return places.resolve(conn, name, country)


@app.command()
@handles_errors
def partners(
    name: str = typer.Argument(..., help="Name (any language we hold), internal id or QID."),
    country: str = typer.Option(None, help="ISO country code to narrow the search."),
    json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List a municipality's partners with level, status, dates and sources."""
    from rich.console import Console
    from rich.table import Table

    from jumelage.store import queries_detail

    registry = open_cli_registry()
    mid = find_one(registry, name, country_code(country))
    with registry.engine.connect() as conn:
        detail = queries_detail.municipality_detail(conn, mid)
    assert detail is not None
    if json:
        sys.stdout.write(orjson.dumps(detail, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    title = f"{detail['name']} ({detail['country']}) — {detail['partner_count']} partners"
    table = Table(title=title)
    partners = detail["partners"]
    dated = sum(1 for p in partners if p["start_date"])
    # A column of blanks says nothing: "since" shows only when a link has a start date.
    columns = ["partner", "country", "level", "status", *(["since"] if dated else []), "sources"]
    for column in columns:
        table.add_column(column)
    for p in partners:
        status = p["status"] + (f" (by {p['ended_by']})" if p["ended_by"] else "")
        since = [(p["start_date"] or {}).get("value", "")] if dated else []
        table.add_row(
            p["partner"]["name"],
            p["partner"]["country"] or "",
            p["level"],
            status,
            *since,
            ", ".join(sorted({s["source"] for s in p["sources"]})),
        )
    console = Console()
    console.print(table)
    console.print(f"{dated} of {len(partners)} links have a known start date.", highlight=False)


@app.command()
@handles_errors
def export(
    format: str = typer.Option(
        "csv", "--format", "-f", help="csv, json, geojson, names or quickstatements."
    ),
    output: Path = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
    report: Path = typer.Option(
        None, "--report", help="quickstatements: write what was left out, and why, as JSON."
    ),
) -> None:
    """Export all links as open data: CSV (re-importable), JSON or GeoJSON; the names
    pages show by language (names: what `jumelage place names` reads); or, as
    QuickStatements for Wikidata, the facts both sides or a curator confirmed."""
    from jumelage import exports
    from jumelage.store import queries

    known = (*exports.FORMATS, "names", "quickstatements")
    if format not in known:
        fail(f"unknown format {format!r}; choose one of {', '.join(known)}", 2)
    registry = open_cli_registry()
    if format == "quickstatements":
        _quickstatements(registry, output, report)
        return
    out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        with registry.engine.connect() as conn:
            if format == "names":
                count = exports.write_names(queries.iter_language_names(conn), out)
                typer.echo(f"exported {count} names", err=True)
                return
            links = queries.iter_export_links(conn)
            if format == "csv":
                count = exports.write_csv(links, out)
            elif format == "json":
                count = exports.write_json(links, out)
            else:
                places = list(queries.iter_places(conn))
                count = exports.write_geojson(places, links, out)
    finally:
        if output:
            out.close()
    typer.echo(f"exported {count} {'features' if format == 'geojson' else 'links'}", err=True)


def _quickstatements(registry: Registry, output: Path | None, report: Path | None) -> None:
    from jumelage.exports_quickstatements import give_back

    with registry.engine.connect() as conn:
        result = give_back(conn)
    text = "".join(line + "\n" for line in result.lines)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    summary = result.report()
    if report:
        report.write_bytes(orjson.dumps(summary, option=orjson.OPT_INDENT_2))
    left = ", ".join(f"{n} {reason}" for reason, n in summary["left_out"].items()) or "none"
    typer.echo(f"exported {summary['statements']} statements; left out: {left}", err=True)


@app.command()
@handles_errors
def about(json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Version, database, data counts and the credits of the bundled data."""
    from jumelage.store import queries

    registry = open_cli_registry(needs_data=False)
    with registry.engine.connect() as conn:
        counts = queries.counts(conn)
    info = {
        "version": __version__,
        "database": registry.engine.url.render_as_string(hide_password=True),
        "counts": counts,
        "attribution": ATTRIBUTION,
        "licence": "AGPL-3.0-or-later",
    }
    if json:
        typer.echo(orjson.dumps(info).decode())
        return
    typer.echo(f"jumelage {__version__} (AGPL-3.0-or-later)")
    typer.echo(f"database: {info['database']}")
    typer.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))
    typer.echo(ATTRIBUTION)

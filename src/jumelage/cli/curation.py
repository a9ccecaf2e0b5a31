"""The curation queue on the command line (`jumelage curation list|show|decide`).

The command line acts as the system, an administrator; `--actor` names the curator
in the audit trail and in the data folder's decisions file.
"""

from __future__ import annotations

import typer

from jumelage.cli.common import app, emit, fail, handles_errors, open_cli_registry

curation_app = typer.Typer(help="The curation queue: what the build was not sure of.")
app.add_typer(curation_app, name="curation")

KINDS_HELP = "duplicate, uncertain_merge, suspicious_point, unlabelled or refresh_contradiction."


@curation_app.command("list")
@handles_errors
def curation_list(
    kind: str = typer.Option(None, help=f"Only items of this kind: {KINDS_HELP}"),
    status: str = typer.Option("open", help="open, decided or all."),
    limit: int = typer.Option(50, min=1, max=10_000, help="How many items."),
    offset: int = typer.Option(0, min=0, help="Skip this many items."),
    json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List the queue's items, oldest first, with the counts per kind."""
    from jumelage.domain.vocabulary import CURATION_KINDS
    from jumelage.store import queries_curation

    if status not in ("open", "decided", "all"):
        fail("--status must be open, decided or all", 2)
    if kind is not None and kind not in CURATION_KINDS:
        fail(f"--kind must be one of {', '.join(CURATION_KINDS)}", 2)
    registry = open_cli_registry()
    with registry.engine.connect() as conn:
        found, total = queries_curation.items(
            conn, None if status == "all" else status, kind, limit, offset
        )
        counts = queries_curation.counts(conn)
    if json:
        emit({"items": found, "total": total, "counts": counts})
        return
    for item in found:
        decided = f"\t{item['decision']} by {item['decided_by']}" if item["decision"] else ""
        places = " | ".join(item["places"])
        typer.echo(f"{item['id']}\t{item['kind']}\t{places}\t{item['reason']}{decided}")
    typer.echo(f"{len(found)} of {total} items", err=True)


@curation_app.command("show")
@handles_errors
def curation_show(item_id: int = typer.Argument(..., help="The item's number.")) -> None:
    """One item as JSON: the evidence of each side and each place as the registry holds it."""
    from jumelage.store import queries_curation

    registry = open_cli_registry()
    with registry.engine.connect() as conn:
        detail = queries_curation.item_detail(conn, item_id)
    if detail is None:
        fail(f"no curation item with id {item_id}")
    emit(detail)


@curation_app.command("decide")
@handles_errors
def curation_decide(
    item_id: int = typer.Argument(..., help="The item's number."),
    decision: str = typer.Argument(
        ...,
        help="merge or keep_apart (duplicates, uncertain merges); fix_point or keep_point; "
        "set_name or keep_name; accept or reject (a refresh's contradiction).",
    ),
    keep: str = typer.Option(None, help="merge: the stable key of the place that stays."),
    lat: float = typer.Option(None, help="fix_point: latitude (none: remove the point)."),
    lon: float = typer.Option(None, help="fix_point: longitude."),
    name: str = typer.Option(None, help="set_name: the name."),
    lang: str = typer.Option("en", help="set_name: its language (de, en, fr)."),
    actor: str = typer.Option("cli", "--actor", help="Who decides (audit trail)."),
) -> None:
    """Take one decision on an item; it is kept in the data folder and applied again when
    the bundled data is loaded anew."""
    from jumelage.services.curation import decide_and_keep

    registry = open_cli_registry()
    data = {"keep": keep, "lat": lat, "lon": lon, "name": name, "lang": lang}
    record = decide_and_keep(
        registry.engine,
        actor,
        registry.settings.data_dir,
        item_id,
        decision,
        {k: v for k, v in data.items() if v is not None},
    )
    typer.echo(f"item {item_id}: {record['decision']} ({record['key']})")

"""Commands for programmes: `jumelage award …`, `jumelage funding …` and
`jumelage load-reference`; `jumelage north-south …` and `jumelage network …`
live in `jumelage.cli.networks`.

Writes run as an administrator named by `--actor` (recorded in the audit trail).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from jumelage.cli.common import app, country_code, emit, fail, handles_errors, open_cli_registry
from jumelage.domain.awards import LADDER, NAMES
from jumelage.domain.funding import PLAN_KINDS

if TYPE_CHECKING:
    from jumelage.registry import Registry

award_app = typer.Typer(
    name="award", help="The Council of Europe's Europe Prize ladder.", no_args_is_help=True
)
funding_app = typer.Typer(
    name="funding", help="Funding programmes, checks of plans, grants.", no_args_is_help=True
)
app.add_typer(award_app)
app.add_typer(funding_app)

ACTOR = typer.Option("cli", "--actor", help="Who writes (recorded in the audit trail).")
JSON_OPTION = typer.Option(False, "--json", help="Print JSON.")
COUNTRY = typer.Option(None, "--country", help="ISO country code to narrow the name search.")
LEVEL_HELP = f"One of {', '.join(LADDER)}."


def find(registry: Registry, name: str, country: str | None) -> int:
    from jumelage.cli.core import find_one

    return find_one(registry, name, country_code(country))


def table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Table(title=title)
    for column in columns:
        out.add_column(column)
    for row in rows:
        out.add_row(*["" if v is None else str(v) for v in row])
    Console().print(out)


def _level(level: str) -> str:
    if level not in LADDER:
        fail(f"unknown level {level!r}; {LEVEL_HELP}", 2)
    return level


# --- award -------------------------------------------------------------------------


@award_app.command("list")
@handles_errors
def award_list(
    municipality: str = typer.Option(None, help="Name, id or QID."),
    country: str = COUNTRY,
    level: str = typer.Option(None, help=LEVEL_HELP),
    json: bool = JSON_OPTION,
) -> None:
    """The register of distinctions, newest first."""
    from jumelage.store import queries_programmes

    registry = open_cli_registry()
    mid = find(registry, municipality, country) if municipality else None
    with registry.engine.connect() as conn:
        items = queries_programmes.award_register(conn, mid, _level(level) if level else None)
    if json:
        emit(items)
        return
    rows = [[a["year"], a["level_name"], a["municipality"]["name"], a["country"]] for a in items]
    table("Europe Prize register", ["year", "distinction", "municipality", "country"], rows)


@award_app.command("register")
@handles_errors
def award_register(
    municipality: str = typer.Argument(..., help="Name, id or QID."),
    level: str = typer.Argument(..., help=LEVEL_HELP),
    year: int = typer.Argument(..., help="Year of the award."),
    source: str = typer.Option(None, help="Where the award is documented."),
    country: str = COUNTRY,
    actor: str = ACTOR,
) -> None:
    """Record a distinction in the register (the levels only in order)."""
    from jumelage.services import programmes as service
    from jumelage.services import writing

    registry = open_cli_registry()
    mid = find(registry, municipality, country)
    with writing(registry.engine, actor) as w:
        award_id = service.register_award(w, mid, _level(level), year, source)
    typer.echo(f"registered {NAMES[level]} {year} (award {award_id})")


def _eligibility_lines(check: dict[str, Any]) -> None:
    verdict = "eligible" if check["eligible"] else "NOT eligible"
    typer.echo(f"{check['level_name']} {check['year']}: {verdict}")
    for reason in check["reasons"]:
        typer.echo(f"  [{'x' if reason['met'] else ' '}] {reason['message']}")


@award_app.command("check")
@handles_errors
def award_check(
    municipality: str = typer.Argument(..., help="Name, id or QID."),
    level: str = typer.Argument(..., help=LEVEL_HELP),
    year: int = typer.Option(None, help="Year of application.", show_default="this year"),
    country: str = COUNTRY,
    json: bool = JSON_OPTION,
) -> None:
    """May the municipality apply for this level? Yes or no, with every reason."""
    from jumelage.store import queries_programmes

    registry = open_cli_registry()
    mid = find(registry, municipality, country)
    when = year or dt.date.today().year
    with registry.engine.connect() as conn:
        check = queries_programmes.award_eligibility(
            conn, mid, _level(level), when, registry.settings.award_min_years
        ).to_dict()
    if json:
        emit(check)
    else:
        _eligibility_lines(check)


@award_app.command("dossier")
@handles_errors
def award_dossier(
    municipality: str = typer.Argument(..., help="Name, id or QID."),
    level: str = typer.Argument(..., help=LEVEL_HELP),
    year: int = typer.Option(None, help="Year of application.", show_default="this year"),
    html: Path = typer.Option(None, "--html", help="Write the printable page to this file."),
    country: str = COUNTRY,
    json: bool = JSON_OPTION,
) -> None:
    """The application dossier: distinctions, twin towns, the year's activities."""
    from jumelage import documents
    from jumelage.store import queries_programmes

    registry = open_cli_registry()
    mid = find(registry, municipality, country)
    with registry.engine.connect() as conn:
        dossier = queries_programmes.award_dossier(
            conn,
            mid,
            _level(level),
            year or dt.date.today().year,
            registry.settings.award_min_years,
        )
    assert dossier is not None
    if html:
        html.write_text(documents.award_dossier(dossier, standalone=True), encoding="utf-8")
        typer.echo(f"wrote {html}", err=True)
    if json:
        emit(dossier)
    elif not html:
        typer.echo(f"{dossier['municipality']['name']}: {dossier['level_name']} {dossier['year']}")
        towns = ", ".join(t["partner"]["name"] for t in dossier["twin_towns"]) or "none"
        typer.echo(f"twin towns: {towns}")
        typer.echo(f"activities in {dossier['year']}: {len(dossier['activities'])}")
        _eligibility_lines(dossier["eligibility"])


@award_app.command("apply")
@handles_errors
def award_apply(
    municipality: str = typer.Argument(..., help="Name, id or QID."),
    level: str = typer.Argument(..., help=LEVEL_HELP),
    year: int = typer.Option(None, help="Year of application.", show_default="this year"),
    country: str = COUNTRY,
    actor: str = ACTOR,
) -> None:
    """Apply for a level: refused with every reason unless eligible; recorded in the audit trail."""
    from jumelage.services import programmes as service
    from jumelage.services import writing

    registry = open_cli_registry()
    mid = find(registry, municipality, country)
    with writing(registry.engine, actor) as w:
        dossier = service.apply_for_award(
            w, mid, _level(level), year or dt.date.today().year, registry.settings.award_min_years
        )
    typer.echo(f"application recorded: {dossier['level_name']} {dossier['year']}")


# --- funding -----------------------------------------------------------------------


@funding_app.command("programmes")
@handles_errors
def funding_programmes(json: bool = JSON_OPTION) -> None:
    """The funding programmes held, with their rules."""
    from jumelage.store import queries_programmes

    registry = open_cli_registry()
    with registry.engine.connect() as conn:
        items = queries_programmes.programmes(conn)
    if json:
        emit(items)
        return
    for p in items:
        typer.echo(f"{p['key']}: {p['name']} — {p['funder']}")
        for rule in p["rules"]:
            typer.echo(f"  - {rule['text']}")


@funding_app.command("check")
@handles_errors
def funding_check(
    programme: str = typer.Argument(..., help="Key of the programme."),
    applicant: str = typer.Option(None, help="Applicant municipality: name, id or QID."),
    partner: list[str] = typer.Option([], "--partner", help="A partner municipality (repeat)."),
    partner_country: list[str] = typer.Option(
        [], "--partner-country", help="A partner country, ISO code (repeat)."
    ),
    activity: int = typer.Option(None, help="Take the facts of this activity."),
    project: int = typer.Option(None, help="Take the facts of this development project."),
    participants: int = typer.Option(None, min=0),
    invited: int = typer.Option(None, min=0, help="Participants invited from abroad."),
    months: int = typer.Option(None, min=0, help="Duration in months."),
    start: str = typer.Option(None, help="Start date (ISO)."),
    end: str = typer.Option(None, help="End date (ISO)."),
    amount: int = typer.Option(None, min=0, help="Amount requested."),
    total_cost: int = typer.Option(None, "--total-cost", min=0),
    kind: str = typer.Option(None, help=f"One of {', '.join(PLAN_KINDS)}."),
    json: bool = JSON_OPTION,
) -> None:
    """Check a planned activity or project against a programme, rule by rule.

    Exits with 1 when a rule is not met or cannot be told.
    """
    from jumelage.store import queries_programmes

    if kind is not None and kind not in PLAN_KINDS:
        fail(f"unknown kind {kind!r}; choose one of {', '.join(PLAN_KINDS)}", 2)
    registry = open_cli_registry()
    spec = queries_programmes.PlanSpec(
        applicant_id=find(registry, applicant, None) if applicant else None,
        partner_ids=tuple(find(registry, p, None) for p in partner),
        partner_countries=tuple(str(country_code(c, "--partner-country")) for c in partner_country),
        activity_id=activity,
        project_id=project,
        participants=participants,
        invited_from_abroad=invited,
        start_date=start,
        end_date=end,
        duration_months=months,
        amount=amount,
        total_cost=total_cost,
        kind=kind,
    )
    with registry.engine.connect() as conn:
        result = queries_programmes.programme_check(conn, programme, spec, dt.date.today())
    if result is None:
        fail(f"no funding programme {programme!r}")
        return
    if json:
        emit(result)
    else:
        typer.echo(
            f"{result['programme']['name']}: {'eligible' if result['eligible'] else 'NOT eligible'}"
        )
        for rule in result["rules"]:
            mark = {True: "x", False: " ", None: "?"}[rule["met"]]
            typer.echo(f"  [{mark}] {rule['rule']}: {rule['message']}")
    if not result["eligible"]:
        raise typer.Exit(1)


@funding_app.command("grants")
@handles_errors
def funding_grants(
    municipality: str = typer.Option(None, help="The grantee: name, id or QID."),
    link: int = typer.Option(None, help="Only grants for this link."),
    project: int = typer.Option(None, help="Only grants for this project."),
    programme: str = typer.Option(None, help="Only grants of this programme."),
    json: bool = JSON_OPTION,
) -> None:
    """Grants received, newest first."""
    from jumelage.store import queries_programmes

    registry = open_cli_registry()
    mid = find(registry, municipality, None) if municipality else None
    with registry.engine.connect() as conn:
        items = queries_programmes.grants(conn, link, project, mid, programme)
    if json:
        emit(items)
        return
    rows = [
        [g["year"], g["programme"]["key"], g["municipality"]["name"], g["amount"], g["currency"]]
        for g in items
    ]
    table("Grants", ["year", "programme", "grantee", "amount", "currency"], rows)


@funding_app.command("grant")
@handles_errors
def funding_grant(
    programme: str = typer.Argument(..., help="Key of the programme."),
    municipality: str = typer.Argument(..., help="The grantee: name, id or QID."),
    amount: int = typer.Argument(..., min=0),
    year: int = typer.Argument(...),
    link: int = typer.Option(None, help="The link the grant is for."),
    project: int = typer.Option(None, help="The development project the grant is for."),
    currency: str = typer.Option("EUR"),
    note: str = typer.Option(None),
    actor: str = ACTOR,
) -> None:
    """Record a grant received for a link or a project."""
    from jumelage.services import programmes as service
    from jumelage.services import writing

    registry = open_cli_registry()
    mid = find(registry, municipality, None)
    with writing(registry.engine, actor) as w:
        grant_id = service.record_grant(
            w, programme, mid, amount, year, link, project, currency, note
        )
    typer.echo(f"recorded grant {grant_id}")


@funding_app.command("load-programmes")
@handles_errors
def funding_load(
    file: Path = typer.Argument(..., help="A JSON file shaped like the bundled programmes.json."),
    actor: str = ACTOR,
) -> None:
    """Add or update funding programmes from a JSON file (rules in the documented vocabulary)."""
    from jumelage.services import programmes as service
    from jumelage.services import writing

    if not file.is_file():
        fail(f"{file}: no such file", 2)
    registry = open_cli_registry(needs_data=False)
    records = service.read_programmes(file)
    with writing(registry.engine, actor) as w:
        changed = service.sync_programmes(w, records)
    typer.echo(f"{len(records)} programmes read, {changed} added or changed")


@app.command("load-reference")
@handles_errors
def load_reference(json: bool = JSON_OPTION) -> None:
    """Load the bundled programmes, DAC list and networks; running it again changes nothing."""
    from jumelage.services.reference import load_reference_data

    registry = open_cli_registry(needs_data=False)
    report = load_reference_data(registry.engine)
    if json:
        emit(report)
        return
    typer.echo(f"programmes changed: {report['programmes_changed']}")
    typer.echo(f"DAC list {report['dac_list']} changed: {report['dac_list_changed']}")
    for key, net in report["networks"].items():
        if not net["members_known"]:
            typer.echo(f"network {key}: members not known (no member list)")
            continue
        typer.echo(
            f"network {key}: {net['listed']} listed, {net['added']} added "
            f"({net['created']} new municipalities, {len(net['created_without_point'])} "
            f"without a point), {net['present']} already present, "
            f"{len(net['duplicates'])} on the better of two rows of one place (curation queue), "
            f"{len(net['unresolved'])} not resolved"
            + (" (partial list)" if net["partial"] and net["listed"] else "")
        )

"""Commands of the partnership workbench: links, activities, contacts, searches, mergers.

The command line acts as the registry's administrator (`--actor` names who acts,
for the audit trail); the same services and rules apply as in the API.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import typer

from jumelage.cli.common import app, country_code, emit, fail, handles_errors, open_cli_registry

if TYPE_CHECKING:
    from jumelage.registry import Registry

link_app = typer.Typer(help="Found, live and end links: proposal, resolutions, charter, level.")
activity_app = typer.Typer(help="Activities of a link: visits, exchanges, projects, anniversaries.")
contact_app = typer.Typer(help="The contacts register: existing ties with places abroad.")
search_app = typer.Typer(help="The partner search board.")
app.add_typer(link_app, name="link")
app.add_typer(activity_app, name="activity")
app.add_typer(contact_app, name="contact")
app.add_typer(search_app, name="search")

ACTOR = typer.Option("cli", "--actor", help="Who acts (recorded in the audit trail).")
JSON_OPTION = typer.Option(False, "--json", help="Print JSON.")


def _registry() -> Registry:
    return open_cli_registry()


def _place(registry: Registry, name: str) -> int:
    from jumelage.cli.core import find_one

    return find_one(registry, name, None)


def _show_link(registry: Registry, link_id: int, as_json: bool) -> None:
    from jumelage.store import queries

    with registry.engine.connect() as conn:
        detail = queries.link_detail(conn, link_id)
    assert detail is not None
    if as_json:
        emit(detail)
        return
    typer.echo(
        f"link {detail['id']}: {detail['a']['name']} – {detail['b']['name']}, "
        f"{detail['level']}, {detail['status']} ({detail['status_a']} / {detail['status_b']})"
    )


@link_app.command("propose")
@handles_errors
def link_propose(
    first: str = typer.Argument(..., help="The proposing municipality."),
    second: str = typer.Argument(..., help="The partner."),
    level: str = typer.Option("contact", help="contact, friendship or project."),
    date: str = typer.Option(None, help="Date of the proposal.", show_default="today"),
    until: str = typer.Option(None, "--until", help="End of a friendship or project period."),
    project: list[str] = typer.Option([], "--project", help="A named project (repeatable)."),
    topic: str = typer.Option(None, help="Topic of a project partnership."),
    start: str = typer.Option(None, help="Start of a project partnership's period."),
    actor: str = ACTOR,
    json: bool = JSON_OPTION,
) -> None:
    """Propose a link between two municipalities."""
    from jumelage.services import links as link_service
    from jumelage.services import writing

    registry = _registry()
    a, b = _place(registry, first), _place(registry, second)
    terms = link_service.terms_from(
        {"valid_until": until, "projects": project, "topic": topic, "start": start}
    )
    with writing(registry.engine, actor) as w:
        link_id = link_service.propose_link(w, a, b, level, date or _today(), terms)
    _show_link(registry, link_id, json)


def _today() -> str:
    return dt.date.today().isoformat()


def _step(
    link_id: int,
    step: str,
    side: str | None,
    date: str | None,
    actor: str,
    json: bool,
    reason: str | None = None,
    reference: str | None = None,
) -> None:
    from jumelage.services import links as link_service
    from jumelage.services import writing

    registry = _registry()
    with writing(registry.engine, actor) as w:
        link_service.take_step(
            w, link_id, step, side=side, date=date, reason=reason, reference=reference
        )
    _show_link(registry, link_id, json)


SIDE = typer.Option(None, "--side", help="The municipality that acts (name, id or QID).")
DATE = typer.Option(
    None, "--date", help="ISO date: 2025, 2025-03, 2025-03-12.", show_default="today"
)


@link_app.command("explore")
@handles_errors
def link_explore(
    link_id: int, side: str = SIDE, date: str = DATE, actor: str = ACTOR, json: bool = JSON_OPTION
) -> None:
    """A proposed link moves to exploring."""
    _step(link_id, "explore", side, date, actor, json)


@link_app.command("resolve")
@handles_errors
def link_resolve(
    link_id: int,
    side: str = typer.Option(..., "--side", help="The municipality whose council resolved."),
    date: str = DATE,
    reference: str = typer.Option(None, help="The resolution's reference."),
    actor: str = ACTOR,
    json: bool = JSON_OPTION,
) -> None:
    """Record one side's council resolution."""
    _step(link_id, "resolution", side, date, actor, json, reference=reference)


@link_app.command("sign")
@handles_errors
def link_sign(
    link_id: int,
    date: str = DATE,
    place: str = typer.Option(None, help="Where the charter was signed."),
    signatory: list[str] = typer.Option(..., "--signatory", help="A signatory (repeatable)."),
    document: str = typer.Option(None, help="Reference of the charter document."),
    actor: str = ACTOR,
    json: bool = JSON_OPTION,
) -> None:
    """Sign the charter after both resolutions: the link becomes a partnership."""
    from jumelage.services import links as link_service
    from jumelage.services import writing

    registry = _registry()
    payload = {
        "signed_on": date or _today(),
        "place": place,
        "signatories": signatory,
        "document_ref": document,
    }
    with writing(registry.engine, actor) as w:
        link_service.propose_shared(w, link_id, None, "sign", payload)
    _show_link(registry, link_id, json)


@link_app.command("activate")
@handles_errors
def link_activate(
    link_id: int, date: str = DATE, actor: str = ACTOR, json: bool = JSON_OPTION
) -> None:
    """A signed (or, below partnership, explored or resolved) link becomes active."""
    _step(link_id, "activate", None, date, actor, json)


@link_app.command("suspend")
@handles_errors
def link_suspend(
    link_id: int,
    side: str = typer.Option(..., "--side", help="The municipality that suspends."),
    reason: str = typer.Option(..., help="Why (e.g. war)."),
    date: str = DATE,
    actor: str = ACTOR,
    json: bool = JSON_OPTION,
) -> None:
    """One side suspends the link; it can resume it later."""
    _step(link_id, "suspend", side, date, actor, json, reason=reason)


@link_app.command("resume")
@handles_errors
def link_resume(
    link_id: int,
    side: str = typer.Option(..., "--side", help="The municipality that resumes."),
    date: str = DATE,
    actor: str = ACTOR,
    json: bool = JSON_OPTION,
) -> None:
    """Resume a link that this side suspended."""
    _step(link_id, "resume", side, date, actor, json)


@link_app.command("end")
@handles_errors
def link_end(
    link_id: int,
    reason: str = typer.Option(..., help="Why the link ends."),
    side: str = typer.Option(None, "--side", help="The side that ends it (default: both)."),
    date: str = DATE,
    actor: str = ACTOR,
    json: bool = JSON_OPTION,
) -> None:
    """End a link, by one side alone or by both."""
    _step(link_id, "end", side, date, actor, json, reason=reason)


@link_app.command("level")
@handles_errors
def link_level(
    link_id: int,
    level: str = typer.Argument(..., help="partnership, friendship, contact or project."),
    reason: str = typer.Option(..., help="Why the level changes."),
    date: str = DATE,
    until: str = typer.Option(None, "--until", help="End date (friendship, project)."),
    project: list[str] = typer.Option([], "--project", help="A named project (repeatable)."),
    topic: str = typer.Option(None, help="Topic (project partnership)."),
    start: str = typer.Option(None, help="Start of the period (project partnership)."),
    actor: str = ACTOR,
    json: bool = JSON_OPTION,
) -> None:
    """Change a link's level; the change is kept in its history."""
    from jumelage.services import links as link_service
    from jumelage.services import writing

    registry = _registry()
    payload = {
        "level": level,
        "date": date or _today(),
        "reason": reason,
        "valid_until": until,
        "projects": project,
        "topic": topic,
        "start": start,
    }
    with writing(registry.engine, actor) as w:
        link_service.change_level(w, link_id, None, payload)
    _show_link(registry, link_id, json)


@link_app.command("history")
@handles_errors
def link_history(link_id: int, json: bool = JSON_OPTION) -> None:
    """A link's timeline: its history, activities and ambassadors in date order."""
    from rich.console import Console
    from rich.table import Table

    from jumelage.store import queries, queries_lifecycle

    registry = _registry()
    with registry.engine.connect() as conn:
        if queries.link_detail(conn, link_id) is None:
            fail(f"no link with id {link_id}")
        items = queries_lifecycle.timeline(conn, link_id)
    if json:
        emit(items)
        return
    table = Table(title=f"link {link_id}")
    for column in ("date", "what", "detail"):
        table.add_column(column)
    for entry in items:
        item = entry["item"]
        if entry["type"] == "event":
            what = item["kind"]
            detail = " → ".join(filter(None, [item["from"], item["to"]])) + (
                f" ({item['reason']})" if item["reason"] else ""
            )
        elif entry["type"] == "activity":
            what, detail = item["kind"], item["title"]
        else:
            what, detail = "ambassador", item["person"]
        table.add_row(entry["date"] or "", what, detail)
    Console().print(table)


@app.command()
@handles_errors
def dormant(
    years: int = typer.Option(
        None, help="Years without a sign of life, at least 1 (default JUMELAGE_DORMANT_YEARS)."
    ),
    include_unrecorded: bool = typer.Option(False, help="Also links with no dated record at all."),
    limit: int = typer.Option(100, min=1, max=100_000),
    json: bool = JSON_OPTION,
) -> None:
    """List active links without a dated sign of life (activity, lifecycle event, city
    ambassador's term) for N years."""
    from jumelage.store import queries_lifecycle

    if years is not None and years < 1:
        fail(f"--years must be at least 1, not {years}: the years without a sign of life")
    registry = _registry()
    n = years or registry.settings.dormant_years
    with registry.engine.connect() as conn:
        items, total = queries_lifecycle.dormant_links(
            conn, dt.date.today(), n, include_unrecorded, limit
        )
    if json:
        emit({"years": n, "total": total, "items": items})
        return
    for item in items:
        typer.echo(
            f"{item['id']}\t{item['a']['name']} – {item['b']['name']}\t"
            f"last: {item['last_sign_of_life'] or 'no dated record'}"
        )
    typer.echo(f"{total} dormant link(s) (no sign of life for {n} years)", err=True)


@app.command()
@handles_errors
def merge(
    predecessor: str = typer.Argument(..., help="The municipality that merges away."),
    successor: str = typer.Argument(..., help="The municipality it merges into."),
    date: str = typer.Option(..., help="Date of the merger."),
    source: str = typer.Option("", help="Where the merger is documented."),
    actor: str = ACTOR,
) -> None:
    """Merge a municipality into another: its links move, their history keeps whose they were."""
    from jumelage.services import writing
    from jumelage.services.lifecycle import merge_municipality

    registry = _registry()
    a, b = _place(registry, predecessor), _place(registry, successor)
    with writing(registry.engine, actor) as w:
        moved = merge_municipality(w, a, b, date, source)
    typer.echo(f"merged; {len(moved)} link(s) moved")


@activity_app.command("add")
@handles_errors
def activity_add(
    link_id: int,
    kind: str = typer.Option(..., help="visit, delegation, exchange, project or anniversary."),
    title: str = typer.Option(..., help="What it was."),
    date: str = typer.Option(..., help="Start date."),
    end: str = typer.Option(None, help="End date."),
    exchange_kind: str = typer.Option(None, help="school, youth, sports, culture, economy, …"),
    participants: int = typer.Option(None, min=0),
    invited: int = typer.Option(None, min=0, help="Participants invited from abroad."),
    days: int = typer.Option(None, min=0),
    planned: bool = typer.Option(False, help="Part of the annual plan, not yet held."),
    actor: str = ACTOR,
) -> None:
    """Record an activity of a link."""
    from jumelage.services import activities as activity_service
    from jumelage.services import writing

    registry = _registry()
    data = activity_service.ActivityInput(
        kind=kind,
        title=title,
        start_date=date,
        end_date=end,
        exchange_kind=exchange_kind,
        participants=participants,
        invited_from_abroad=invited,
        days=days,
        planned=planned,
    )
    with writing(registry.engine, actor) as w:
        activity_id = activity_service.record_activity(w, link_id, data)
    typer.echo(f"activity {activity_id} recorded")


@activity_app.command("list")
@handles_errors
def activity_list(
    link_id: int, year: int = typer.Option(None, help="Only this year."), json: bool = JSON_OPTION
) -> None:
    """A link's activities (with --year: the annual plan, planned and held)."""
    from jumelage.store import queries_lifecycle

    registry = _registry()
    with registry.engine.connect() as conn:
        data: Any = (
            queries_lifecycle.visit_plan(conn, link_id, year)
            if year
            else queries_lifecycle.activities_of_link(conn, link_id)
        )
    if json:
        emit(data)
        return
    items = data["planned"] + data["held"] if year else data
    for a in items:
        typer.echo(
            f"{a['start_date']}\t{a['kind']}\t{a['title']}"
            + ("\t(planned)" if a["planned"] else "")
        )


@contact_app.command("add")
@handles_errors
def contact_add(
    municipality: str,
    place: str = typer.Option(..., help="The place abroad."),
    holder: str = typer.Option(..., help="Who holds the contact."),
    kind: str = typer.Option(
        ..., help="citizen, politician, school, club, association, company, …"
    ),
    since: str = typer.Option(None, help="Since when."),
    actor: str = ACTOR,
) -> None:
    """Record an existing tie of a municipality's people or institutions with a place abroad."""
    from jumelage.services import founding, writing

    registry = _registry()
    mid, pid = _place(registry, municipality), _place(registry, place)
    with writing(registry.engine, actor) as w:
        contact_id = founding.add_contact(w, mid, founding.ContactInput(pid, holder, kind, since))
    typer.echo(f"contact {contact_id} recorded")


@contact_app.command("report")
@handles_errors
def contact_report(municipality: str, json: bool = JSON_OPTION) -> None:
    """Places abroad where the municipality already has contacts, by strength."""
    from jumelage.store import queries_lifecycle

    registry = _registry()
    mid = _place(registry, municipality)
    with registry.engine.connect() as conn:
        report = queries_lifecycle.contact_report(conn, mid)
    if json:
        emit(report)
        return
    for p in report["places"]:
        linked = " (linked)" if p["linked"] else ""
        typer.echo(
            f"{p['strength']}\t{p['place']['name']} ({p['place']['country']}){linked}\t{p['kinds']}"
        )


@search_app.command("list")
@handles_errors
def search_list(
    country: str = typer.Option(None, help="Wanted country."),
    theme: str = typer.Option(None),
    json: bool = JSON_OPTION,
) -> None:
    """Open partner searches that have not expired."""
    from jumelage.store import queries_lifecycle

    registry = _registry()
    with registry.engine.connect() as conn:
        items, _total = queries_lifecycle.searches(
            conn, dt.date.today(), country_code(country), theme
        )
    if json:
        emit(items)
        return
    for s in items:
        typer.echo(f"{s['id']}\t{s['publisher_name']}\t{s['title']}\tuntil {s['expires_on']}")


@search_app.command("publish")
@handles_errors
def search_publish(
    municipality: str,
    title: str = typer.Option(...),
    expires: str = typer.Option(..., help="Expiry date."),
    mode: str = typer.Option("similar", help="similar or contrast."),
    country: list[str] = typer.Option([], "--country", help="A wanted country (repeatable)."),
    theme: list[str] = typer.Option([], "--theme", help="A theme (repeatable)."),
    language: list[str] = typer.Option([], "--language", help="A language (repeatable)."),
    text: str = typer.Option("", help="Free text."),
    actor: str = ACTOR,
) -> None:
    """Publish a partner search for a municipality."""
    from jumelage.services import founding, writing

    registry = _registry()
    mid = _place(registry, municipality)
    data = founding.SearchInput(
        title=title,
        expires_on=expires,
        mode=mode,
        countries=[str(country_code(c)) for c in country],
        themes=theme,
        languages=language,
        text=text,
    )
    with writing(registry.engine, actor) as w:
        search_id = founding.publish_search(w, mid, data)
    typer.echo(f"search {search_id} published")


@search_app.command("answer")
@handles_errors
def search_answer(
    search_id: int, municipality: str, message: str = typer.Option(""), actor: str = ACTOR
) -> None:
    """Answer a partner search on behalf of a municipality."""
    from jumelage.services import founding, writing

    registry = _registry()
    mid = _place(registry, municipality)
    with writing(registry.engine, actor) as w:
        answer_id = founding.answer_search(w, search_id, mid, message)
    typer.echo(f"answer {answer_id} recorded")


@search_app.command("accept")
@handles_errors
def search_accept(
    search_id: int, answer_id: int, level: str = typer.Option("contact"), actor: str = ACTOR
) -> None:
    """Accept an answer: a link opens in state exploring."""
    from jumelage.services import founding, writing

    registry = _registry()
    with writing(registry.engine, actor) as w:
        link_id = founding.accept_answer(w, search_id, answer_id, level)
    _show_link(registry, link_id, False)

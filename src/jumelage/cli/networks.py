"""Commands `jumelage north-south …` (DAC list, classification, development
projects) and `jumelage network …` (multilateral networks and memberships)."""

from __future__ import annotations

import datetime as dt

import typer

from jumelage.cli.common import app, emit, fail, handles_errors, open_cli_registry
from jumelage.cli.programmes import ACTOR, COUNTRY, JSON_OPTION, find, table
from jumelage.domain.dates import DateError, PartialDate
from jumelage.domain.networks import KINDS
from jumelage.domain.north_south import THEMES

north_south_app = typer.Typer(
    name="north-south",
    help="North–South partnerships: the OECD DAC list, links, development projects.",
    no_args_is_help=True,
)
network_app = typer.Typer(
    name="network",
    help="Multilateral networks: Die Hanse, Douzelage, Europastadt, rings of partner cities.",
    no_args_is_help=True,
)
app.add_typer(north_south_app)
app.add_typer(network_app)


# --- north-south -----------------------------------------------------------------


@north_south_app.command("dac-list")
@handles_errors
def dac_list(json: bool = JSON_OPTION) -> None:
    """The OECD DAC list of ODA recipients held; unverified entries are marked."""
    from jumelage.store import queries_north_south

    registry = open_cli_registry()
    with registry.engine.connect() as conn:
        years, entries = queries_north_south.dac_list(conn)
    items = [e.to_dict() for e in entries.values()]
    if json:
        emit({"list_years": years, "items": items})
        return
    rows = [
        [e["iso2"], e["name"], e["income_group"], "" if e["verified"] else "unverified"]
        for e in items
    ]
    table(f"DAC list {years or '(none loaded)'}", ["code", "name", "group", "mark"], rows)


@north_south_app.command("classify")
@handles_errors
def classify(
    link_id: int = typer.Argument(..., help="The link's id."), json: bool = JSON_OPTION
) -> None:
    """Is this link a North–South partnership (at its date)?"""
    from jumelage.store import queries_north_south

    registry = open_cli_registry()
    with registry.engine.connect() as conn:
        result = queries_north_south.link_north_south(conn, link_id)
    if result is None:
        fail(f"no link with id {link_id}")
        return
    if json:
        emit(result)
        return
    a, b = result["sides"]
    typer.echo(f"{a['name']} – {b['name']} ({result['date']}): {result['classification']}")
    typer.echo(f"note: {result['limitation']}")


@north_south_app.command("links")
@handles_errors
def links(
    limit: int = typer.Option(50, min=1, max=500),
    offset: int = typer.Option(0, min=0),
    json: bool = JSON_OPTION,
) -> None:
    """Links with exactly one side in a country on the DAC list."""
    from jumelage.store import queries_north_south

    registry = open_cli_registry()
    with registry.engine.connect() as conn:
        items, total = queries_north_south.north_south_links(conn, limit, offset)
    if json:
        emit({"items": items, "total": total, "limit": limit, "offset": offset})
        return
    rows = [
        [
            i["id"],
            f"{i['a']['name']} ({i['a']['country']})",
            f"{i['b']['name']} ({i['b']['country']})",
            i["start_date"],
        ]
        for i in items
    ]
    table(f"North–South links ({total})", ["link", "side a", "side b", "since"], rows)


@north_south_app.command("projects")
@handles_errors
def projects(
    link: int = typer.Option(None, help="Only projects of this link."),
    theme: str = typer.Option(None, help=f"One of {', '.join(THEMES)}."),
    municipality: str = typer.Option(None, help="Either side: name, id or QID."),
    json: bool = JSON_OPTION,
) -> None:
    """Development projects of partnerships."""
    from jumelage.store import queries_north_south

    registry = open_cli_registry()
    mid = find(registry, municipality, None) if municipality else None
    with registry.engine.connect() as conn:
        items = queries_north_south.dev_projects(conn, link, theme, mid)
    if json:
        emit(items)
        return
    rows = [[p["id"], p["link_id"], p["title"], ", ".join(p["themes"]), p["budget"]] for p in items]
    table("Development projects", ["id", "link", "title", "themes", "budget"], rows)


@north_south_app.command("add-project")
@handles_errors
def add_project(
    link_id: int = typer.Argument(..., help="The link the project belongs to."),
    title: str = typer.Argument(...),
    theme: list[str] = typer.Option(..., "--theme", help=f"Repeat: {', '.join(THEMES)}."),
    budget: int = typer.Option(None, min=0),
    currency: str = typer.Option("EUR"),
    funder: list[str] = typer.Option([], "--funder", help="A funder (repeat)."),
    start: str = typer.Option(None, help="Start date (ISO)."),
    end: str = typer.Option(None, help="End date (ISO)."),
    description: str = typer.Option(""),
    actor: str = ACTOR,
) -> None:
    """Record a development project (drinking water, wastewater, climate …) of a link."""
    from jumelage.services import programmes as service
    from jumelage.services import writing

    registry = open_cli_registry()
    with writing(registry.engine, actor) as w:
        project_id = service.add_dev_project(
            w, link_id, title, theme, budget, funder, start, end, description, currency
        )
    typer.echo(f"added project {project_id}")


@north_south_app.command("engage")
@handles_errors
def engage(
    project_id: int = typer.Argument(...),
    role: str = typer.Option(..., help="What the company does in the project."),
    actor_id: int = typer.Option(None, "--actor-id", help="An existing actor of kind company."),
    company: str = typer.Option(None, help="Or the name of a new company …"),
    municipality: str = typer.Option(None, help="… and its municipality (name, id or QID)."),
    actor: str = ACTOR,
) -> None:
    """Engage a company in a project (development partnership with business)."""
    from jumelage.services import programmes as service
    from jumelage.services import writing

    registry = open_cli_registry()
    home = find(registry, municipality, None) if municipality else None
    with writing(registry.engine, actor) as w:
        engaged = service.engage_company(w, project_id, role, actor_id, company, home)
    typer.echo(f"engaged ({engaged})")


# --- network -----------------------------------------------------------------------


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return PartialDate.parse(text).earliest()
    except DateError as err:
        fail(str(err), 2)
        raise AssertionError from err


@network_app.command("list")
@handles_errors
def network_list(json: bool = JSON_OPTION) -> None:
    """The networks held, with their members today."""
    from jumelage.store import queries_networks

    registry = open_cli_registry()
    with registry.engine.connect() as conn:
        items = queries_networks.networks(conn, dt.date.today())
    if json:
        emit(items)
        return
    rows = [[n["key"], n["name"], n["kind"], n["founded"], n["members"]] for n in items]
    table("Networks", ["key", "name", "kind", "founded", "members"], rows)


@network_app.command("show")
@handles_errors
def network_show(
    key: str = typer.Argument(...),
    as_of: str = typer.Option(None, "--as-of", help="Only members on this date (ISO)."),
    json: bool = JSON_OPTION,
) -> None:
    """A network's members (as of a date), countries and the links among its members."""
    from jumelage.store import queries_networks

    registry = open_cli_registry()
    with registry.engine.connect() as conn:
        page = queries_networks.network_page(conn, key, _day(as_of), dt.date.today())
    if page is None:
        fail(f"no network {key!r}")
        return
    if json:
        emit(page)
        return
    typer.echo(page["description"])
    rows = [
        [m["municipality"]["name"], m["municipality"]["country"], m["joined_on"], m["left_on"]]
        for m in page["members"]
    ]
    title = (
        f"{page['name']} — {page['member_count']} members, {len(page['links'])} links among them"
    )
    table(title, ["member", "country", "joined", "left"], rows)
    if page["join_unknown"]:
        unknown = ", ".join(m["municipality"]["name"] for m in page["join_unknown"])
        typer.echo(f"join date unknown, so membership on that date unknown: {unknown}")


@network_app.command("create")
@handles_errors
def network_create(
    key: str = typer.Argument(..., help="2-40 lower-case letters, digits or '-'."),
    name: str = typer.Argument(...),
    kind: str = typer.Option(..., help=f"One of {', '.join(KINDS)}."),
    founded: str = typer.Option(None, help="ISO date; a year is enough."),
    description: str = typer.Option(""),
    source: str = typer.Option(""),
    actor: str = ACTOR,
) -> None:
    """Create a network, e.g. a ring of partner cities or a Europastadt grouping."""
    from jumelage.services import networks as network_service
    from jumelage.services import writing

    registry = open_cli_registry()
    with writing(registry.engine, actor) as w:
        network_service.create_network(w, key, name, kind, founded, description, source)
    typer.echo(f"created network {key}")


@network_app.command("add-member")
@handles_errors
def network_add_member(
    key: str = typer.Argument(...),
    municipality: str = typer.Argument(..., help="Name, id or QID."),
    joined: str = typer.Option(None, help="Join date (ISO)."),
    left: str = typer.Option(None, help="Leave date (ISO)."),
    source: str = typer.Option(""),
    unverified: bool = typer.Option(False, "--unverified", help="Mark the membership unverified."),
    country: str = COUNTRY,
    actor: str = ACTOR,
) -> None:
    """Add a membership period of a municipality."""
    from jumelage.services import networks as network_service
    from jumelage.services import writing

    registry = open_cli_registry()
    mid = find(registry, municipality, country)
    with writing(registry.engine, actor) as w:
        member_id = network_service.add_member(
            w, key, mid, joined, left, source, verified=not unverified
        )
    typer.echo(f"added membership {member_id}")


@network_app.command("leave")
@handles_errors
def network_leave(
    key: str = typer.Argument(...),
    membership_id: int = typer.Argument(...),
    on: str = typer.Option(..., "--on", help="The date the town left (ISO)."),
    actor: str = ACTOR,
) -> None:
    """Record that a member left the network."""
    from jumelage.services import networks as network_service
    from jumelage.services import writing

    registry = open_cli_registry()
    with writing(registry.engine, actor) as w:
        network_service.update_membership(w, key, membership_id, {"left_on": on})
    typer.echo(f"membership {membership_id} ends on {on}")

"""Correcting a municipality's facts and the name it shows in each language: the same
service as PATCH /api/v1/municipalities/{ref} and the form on its page."""

from __future__ import annotations

from pathlib import Path

import typer

from jumelage.cli.common import app, emit, fail, handles_errors, open_cli_registry
from jumelage.domain.languages import ALPHABETICAL

place_app = typer.Typer(help="A municipality's facts and its name in each language.")
app.add_typer(place_app, name="place")


def _shown(ref: str, as_json: bool) -> None:
    from jumelage.cli.core import find_one
    from jumelage.store import queries_detail, queries_web

    registry = open_cli_registry()
    mid = find_one(registry, ref, None)
    with registry.engine.connect() as conn:
        detail = queries_detail.municipality_detail(conn, mid)
        names = queries_web.language_names(conn, mid)
    assert detail is not None
    keys: tuple[str, ...] = ("id", "qid", "name", "kind", "country", "admin_area")
    keys = (*keys, "population", "population_year", "lat", "lon")
    facts = {k: detail[k] for k in keys} | {"names": names, "version": detail["version"]}
    if as_json:
        emit(facts)
        return
    for key in keys:
        typer.echo(f"{key}\t{'' if facts[key] is None else facts[key]}")
    for lang in ALPHABETICAL:
        typer.echo(f"name ({lang})\t{names[lang] or '(main name)'}")


@place_app.command("show")
@handles_errors
def place_show(
    ref: str = typer.Argument(..., help="Name, Wikidata QID or id."),
    json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """A municipality's facts and the name its pages show in each language."""
    _shown(ref, json)


@place_app.command("set")
@handles_errors
def place_set(
    ref: str = typer.Argument(..., help="Name, Wikidata QID or id."),
    name: str = typer.Option(None, help="The main name."),
    name_de: str = typer.Option(None, "--name-de", help="The name German pages show."),
    name_en: str = typer.Option(None, "--name-en", help="The name English pages show."),
    name_fr: str = typer.Option(None, "--name-fr", help="The name French pages show."),
    clear_name: list[str] = typer.Option(
        [], "--clear-name", help="A language (de, en, fr) whose pages then show the main name."
    ),
    kind: str = typer.Option(None, help="municipality, city, district or region."),
    admin_area: str = typer.Option(None, "--admin-area", help="The state or region."),
    population: int = typer.Option(None, min=0),
    population_year: int = typer.Option(None, "--population-year"),
    lat: float = typer.Option(None, help="Latitude in degrees (with --lon)."),
    lon: float = typer.Option(None, help="Longitude in degrees (with --lat)."),
    actor: str = typer.Option("cli", "--actor", help="Who acts (recorded in the audit trail)."),
) -> None:
    """Correct a municipality's facts; a name replaced stays searchable. Each change is
    recorded and can be reverted."""
    from jumelage.cli.core import find_one
    from jumelage.services import writing
    from jumelage.services.registry import update_municipality

    registry = open_cli_registry()
    foreign = [lang for lang in clear_name if lang not in ALPHABETICAL]
    if foreign:
        fail(f"--clear-name takes de, en or fr, not {foreign[0]!r}")
    if (lat is None) != (lon is None):
        fail("give both --lat and --lon, or neither")
    given = {"de": name_de, "en": name_en, "fr": name_fr}
    both = [lang for lang in clear_name if given[lang] is not None]
    if both:
        fail(f"--name-{both[0]} and --clear-name {both[0]} contradict each other")
    names: dict[str, str | None] = {lang: v for lang, v in given.items() if v is not None}
    names.update({lang: None for lang in clear_name})
    facts = {
        "name": name,
        "kind": kind,
        "admin_area": admin_area,
        "population": population,
        "population_year": population_year,
    }
    changes = {k: v for k, v in facts.items() if v is not None}
    if lat is not None:
        changes.update(lat=lat, lon=lon)
    if not changes and not names:
        fail("nothing to change: give --name, --name-de, --population, … (see --help)")
    mid = find_one(registry, ref, None)
    with writing(registry.engine, actor) as w:
        update_municipality(w, mid, {**changes, "names": names}, None)
    _shown(str(mid), False)


@place_app.command("names")
@handles_errors
def place_names(
    path: Path = typer.Argument(..., help="A CSV file: place, country, lang, name."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and count; change nothing."),
    json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    actor: str = typer.Option("cli", "--actor", help="Who acts (recorded in the audit trail)."),
) -> None:
    """Set the name the pages show in a language for many places at once, from a CSV file
    (`place` as a name, QID or id, optional `country`, `lang` de/en/fr, `name`; an empty
    name falls back to the main name). All rows or none; a second run changes nothing."""
    from jumelage.importers import names

    registry = open_cli_registry()
    if not path.is_file():
        fail(f"no file {str(path)!r}")
    report = names.apply_names(registry.engine, names.parse(path), actor, dry_run)
    if json:
        emit(report.to_dict())
        return
    verb = "would set" if dry_run else "set"
    typer.echo(f"{verb} {report.set} name(s); {report.unchanged} unchanged")

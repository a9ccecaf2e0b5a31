"""What every command module shares: the `app`, error handling, the registry's opening
and JSON output."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import orjson
import typer

from jumelage import __version__
from jumelage.attribution import ATTRIBUTION
from jumelage.errors import JumelageError
from jumelage.settings import SettingsError

if TYPE_CHECKING:
    from jumelage.registry import Registry

app = typer.Typer(
    name="jumelage",
    help="The open registry and workbench for town twinning.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jumelage {__version__}")
        typer.echo(ATTRIBUTION)
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show version and data credits."
    ),
) -> None:
    """The open registry and workbench for town twinning."""


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr and a non-zero exit code; never a traceback."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as err:
        if os.environ.get("JUMELAGE_LOG_LEVEL", "").lower() == "debug":
            raise
        typer.echo(
            f"error: internal error ({err.__class__.__name__}: {str(err).splitlines()[0][:300]}); "
            "nothing was changed; set JUMELAGE_LOG_LEVEL=debug for the traceback",
            err=True,
        )
        sys.exit(1)


def country_code(value: str | None, option: str = "--country", former: bool = False) -> str | None:
    """A country option as its ISO code (`domain.states.checked_country`): a name or an
    unknown code is refused with a one-line error that names the code to give."""
    from jumelage.domain.states import checked_country

    return checked_country(value, option, former) if value else None


def handles_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the registry's errors into a one-line message and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (JumelageError, SettingsError) as err:
            fail(err.message if isinstance(err, JumelageError) else str(err))

    return wrapper


EMPTY_REGISTRY = (
    "the registry is empty: run `jumelage init` to load the bundled data "
    "(or `jumelage import FILE --format …` to load your own)"
)

# The commands that work on a registry without data; every other command stops
# with EMPTY_REGISTRY (docs/cli.md lists both, a test runs every command).
WORKS_WHEN_EMPTY = (
    "about",
    "backup",
    "funding load-programmes",
    "import",
    "init",
    "load-reference",
    "restore",
    "serve",
    "user",
)


def open_cli_registry(needs_data: bool = True) -> Registry:
    """The registry JUMELAGE_DATABASE_URL names, migrated to the newest schema.

    A command that reads or writes municipalities and links (`needs_data`) stops
    with one line saying what to run when the registry holds none.
    """
    from jumelage.registry import open_registry, prepare
    from jumelage.services.bundle import registry_is_empty
    from jumelage.settings import load_settings

    registry = open_registry(load_settings())
    prepare(registry)
    if needs_data and registry_is_empty(registry.engine):
        fail(EMPTY_REGISTRY)
    return registry


def emit(data: Any) -> None:
    """Data as indented JSON on stdout."""
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")

"""The CLI reference (docs/cli.md), rendered from the commands' own help.

`python -m jumelage.cli.reference > docs/cli.md` regenerates it; a test fails
when the file and the commands disagree.
"""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from jumelage.cli.common import EMPTY_REGISTRY, WORKS_WHEN_EMPTY, app


def _name(info: typer.models.CommandInfo) -> str:
    if info.name:
        return info.name
    assert info.callback is not None
    return info.callback.__name__.replace("_", "-").strip("-")


def _walk(typer_app: typer.Typer, path: list[str]) -> list[list[str]]:
    found: list[list[str]] = []
    for info in typer_app.registered_commands:
        if not info.hidden:
            found.append([*path, _name(info)])
    for group in typer_app.registered_groups:
        assert group.typer_instance is not None
        name = group.name or group.typer_instance.info.name
        assert isinstance(name, str)
        found.append([*path, name])
        found.extend(_walk(group.typer_instance, [*path, name]))
    return sorted(found)


def command_paths() -> list[list[str]]:
    return _walk(app, [])


def help_of(path: list[str]) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], prog_name="jumelage", terminal_width=100)
    return result.output


def render() -> str:
    parts = [
        "# CLI reference\n",
        "Generated from the commands' own help by `python -m jumelage.cli.reference`; "
        "do not edit by hand. Every command accepts `--help`. Errors print one line "
        "starting with `error:` on stderr; the exit code is 1 for a refused request and "
        "2 for a bad argument.\n",
        "A default that depends on the clock (a date of today, this year) is taken when "
        "the command runs and shown as `today` or `this year`.\n",
        "## An empty registry\n",
        "A command that reads or writes municipalities and links stops on an empty "
        "registry (a new database) with exit code 1 and one line:\n",
        f"```text\nerror: {EMPTY_REGISTRY}\n```\n",
        "These work on an empty registry: "
        + ", ".join(f"`jumelage {c}`" for c in WORKS_WHEN_EMPTY)
        + ". `serve` and `init` load the bundled data into it (`--dataset fixture`: a small "
        "test set); `restore` needs it empty.\n",
    ]
    for path in command_paths():
        name = " ".join(["jumelage", *path])
        parts.append(f"## `{name}`\n\n```text\n{help_of(path).rstrip()}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(render(), end="")

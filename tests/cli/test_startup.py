"""How the command line starts: light help, one answer on an empty registry, a busy port."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from jumelage.cli import EMPTY_REGISTRY, WORKS_WHEN_EMPTY, app
from jumelage.cli.reference import command_paths

# What `jumelage --help` must not load: the database layer, the numeric and graph
# libraries, the web layer and the application's own heavy packages.
HEAVY = (
    "sqlalchemy",
    "alembic",
    "numpy",
    "igraph",
    "fastapi",
    "starlette",
    "jinja2",
    "rich",
    "pycountry",
    "jumelage.services",
    "jumelage.store",
    "jumelage.matching",
    "jumelage.analytics",
    "jumelage.api",
    "jumelage.web",
    "jumelage.importers",
)

_EVERY_HELP = """
import json, sys
from typer.testing import CliRunner
from jumelage.cli import app
from jumelage.cli.reference import command_paths
runner = CliRunner()
codes = [runner.invoke(app, [*path, "--help"]).exit_code for path in [[]] + command_paths()]
print(json.dumps({"codes": codes, "modules": sorted(sys.modules)}))
"""


def test_every_help_answers_without_loading_the_application():
    out = subprocess.run(
        [sys.executable, "-c", _EVERY_HELP], capture_output=True, text=True, check=True
    )
    seen = json.loads(out.stdout)
    assert set(seen["codes"]) == {0}
    loaded = [m for m in seen["modules"] if m.split(".")[0] in HEAVY or m.startswith(HEAVY)]
    assert loaded == []


def test_the_cli_names_the_same_modes_splits_and_datasets_as_the_application():
    from jumelage.cli.core import DATASETS
    from jumelage.cli.matching import MODES, SPLITS
    from jumelage.matching.evaluation import SPLITS as EVALUATION_SPLITS
    from jumelage.matching.scoring import MODES as SCORING_MODES
    from jumelage.registry import DATASETS as REGISTRY_DATASETS

    assert tuple(MODES) == tuple(SCORING_MODES)
    assert tuple(SPLITS) == tuple(EVALUATION_SPLITS)
    assert tuple(DATASETS) == tuple(REGISTRY_DATASETS)


def _leaf_commands() -> list[list[str]]:
    paths = command_paths()
    groups = {tuple(p[:-1]) for p in paths if len(p) > 1}
    return [p for p in paths if tuple(p) not in groups]


def _works_when_empty(path: list[str]) -> bool:
    return any(" ".join(path[: len(w.split())]) == w for w in WORKS_WHEN_EMPTY)


def _click_command(path: list[str]) -> Any:
    command: Any = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return command


def _sample_value(param: Any) -> str:
    return "1" if param.type_descriptor.annotation in (int, float) else "Köln"


def _arguments_for(path: list[str]) -> list[str]:
    """The command with a value for each required parameter: enough to reach the registry."""
    args = list(path)
    options = []
    for param in _click_command(path).params:
        if not param.required:
            continue
        if param.param_type_name == "argument":
            args.append(_sample_value(param))
        else:
            options += [param.opts[0], _sample_value(param)]
    return args + options


DATA_COMMANDS = [p for p in _leaf_commands() if not _works_when_empty(p)]


def test_the_commands_that_need_no_data_are_a_short_known_list():
    assert len(DATA_COMMANDS) > 40
    assert ["partners"] in DATA_COMMANDS and ["evaluate-matching"] in DATA_COMMANDS
    assert ["init"] not in DATA_COMMANDS and ["user", "list"] not in DATA_COMMANDS


@pytest.fixture(scope="module")
def empty_registry_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("empty")
    return {
        "JUMELAGE_DATABASE_URL": f"sqlite:///{folder / 'empty.sqlite3'}",
        "JUMELAGE_DATA_DIR": str(folder),
    }


@pytest.mark.parametrize("path", DATA_COMMANDS, ids=" ".join)
def test_a_command_on_an_empty_registry_says_in_one_line_what_to_run(path, empty_registry_env):
    result = CliRunner().invoke(app, _arguments_for(path), env=empty_registry_env)
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == f"error: {EMPTY_REGISTRY}"
    assert result.stdout == ""


def test_commands_that_need_no_data_run_on_an_empty_registry(empty_registry_env):
    runner = CliRunner()
    about = runner.invoke(app, ["about", "--json"], env=empty_registry_env)
    assert about.exit_code == 0, about.output
    assert json.loads(about.stdout)["counts"]["municipalities"] == 0
    users = runner.invoke(app, ["user", "list", "--json"], env=empty_registry_env)
    assert users.exit_code == 0 and json.loads(users.stdout) == []
    scoped = runner.invoke(
        app,
        ["user", "add", "ed", "--role", "editor", "-m", "Köln", "--password-env", "PW"],
        env={**empty_registry_env, "PW": "a long enough password"},
    )
    assert scoped.exit_code == 1
    assert scoped.stderr.strip() == f"error: {EMPTY_REGISTRY}"


def test_serve_on_a_busy_port_says_so_and_how_to_choose_another(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            app,
            ["serve", "--port", str(port), "--dataset", "fixture"],
            env={"JUMELAGE_DATA_DIR": str(tmp_path), "JUMELAGE_HOST": "127.0.0.1"},
        )
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert line.startswith(f"error: port {port} on 127.0.0.1 is already in use")
    assert "--port" in line and "JUMELAGE_PORT" in line
    # Refused before anything was loaded.
    assert not (tmp_path / "jumelage.sqlite3").exists()

"""Documentation that cannot fall behind: commands, settings and endpoints."""

import re
from pathlib import Path

from jumelage.cli.reference import command_paths, render
from jumelage.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def test_the_cli_reference_is_the_commands_own_help():
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == render(), (
        "docs/cli.md is stale: run `python -m jumelage.cli.reference > docs/cli.md`"
    )


def test_every_command_has_help_text():
    for path in command_paths():
        from jumelage.cli.reference import help_of

        text = help_of(path)
        body = text.split("\n\n", 2)[1] if "\n\n" in text else ""
        assert body.strip(), f"jumelage {' '.join(path)} has no help text"


def test_every_setting_is_documented():
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in text]
    assert missing == []


def test_every_environment_variable_the_code_reads_is_a_declared_setting():
    declared = {s.name for s in SETTINGS}
    used = set()
    for path in (ROOT / "src" / "jumelage").rglob("*.py"):
        used |= set(re.findall(r"\"(JUMELAGE_[A-Z_]+)\"", path.read_text(encoding="utf-8")))
    assert used <= declared


# The reference rendered in a process whose clock reads a year ahead: datetime's
# classes are replaced before jumelage is imported.
_RENDER_A_YEAR_AHEAD = """
import datetime as real
ahead = real.timedelta(days=366)
RealDate, RealDateTime = real.date, real.datetime

class Date(RealDate):
    @classmethod
    def today(cls):
        t = RealDate.today() + ahead
        return cls(t.year, t.month, t.day)

class DateTime(RealDateTime):
    @classmethod
    def now(cls, tz=None):
        t = RealDateTime.now(tz) + ahead
        return cls(t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond, t.tzinfo)

real.date, real.datetime = Date, DateTime
import sys
from jumelage.cli.reference import render
sys.stderr.write(real.date.today().isoformat())
sys.stdout.write(render())
"""


def test_the_cli_reference_holds_on_another_day():
    import datetime as dt
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", _RENDER_A_YEAR_AHEAD], capture_output=True, text=True, check=True
    )
    assert dt.date.fromisoformat(out.stderr) > dt.date.today() + dt.timedelta(days=360)
    assert out.stdout == (DOCS / "cli.md").read_text(encoding="utf-8")


def test_no_module_reads_the_clock_when_it_is_imported():
    """A clock read at module level, in a default argument or in a decorator
    freezes the day the module was imported (a CLI default, a cache key)."""
    import ast

    found = []
    for path in sorted((ROOT / "src" / "jumelage").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _evaluated_at_import(tree):
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr in ("today", "now", "utcnow", "time")
                ):
                    found.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert found == []


def _evaluated_at_import(tree):
    """The expressions Python evaluates when the module is imported."""
    import ast

    def walk(body):
        for stmt in body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                yield from stmt.decorator_list
                yield from stmt.args.defaults
                yield from (d for d in stmt.args.kw_defaults if d is not None)
            elif isinstance(stmt, ast.ClassDef):
                yield from stmt.decorator_list
                yield from walk(stmt.body)
            elif isinstance(stmt, ast.If | ast.Try | ast.With):
                yield from (getattr(stmt, "test", None) or ast.Pass(),)
                for part in ("body", "orelse", "finalbody"):
                    yield from walk(getattr(stmt, part, []))
                for handler in getattr(stmt, "handlers", []):
                    yield from walk(handler.body)
            else:
                yield stmt

    return walk(tree.body)

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

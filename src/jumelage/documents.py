"""Printable documents rendered outside a page request: the Europe Prize dossier.

The API (`format=html`) and the command line (`jumelage award dossier --html`)
render the same template here, from the web's templates folder, so neither
borrows the other's machinery.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Final

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES: Final = Path(__file__).resolve().parent / "web" / "templates"


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def award_dossier(dossier: dict[str, Any], standalone: bool) -> str:
    """The dossier as HTML: `standalone` carries its own styles (a file to print),
    otherwise it links the served stylesheet."""
    return (
        _environment()
        .get_template("programmes/award_dossier.html")
        .render(d=dossier, standalone=standalone)
    )

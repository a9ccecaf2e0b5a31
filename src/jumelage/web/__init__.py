"""The server-rendered web pages (Jinja2), on the same queries as the JSON API.

Each page module has its own router; `router` gathers them and is included by
the app. Every page answers `?format=json` with the data it renders.
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)


def _include_pages() -> None:
    from jumelage.web import (
        account,
        board,
        curation,
        grants,
        home,
        link,
        matching,
        merger,
        municipality,
        networks,
        place_edit,
        programmes,
        shared,
        stats,
        steps,
    )

    for module in (
        home,
        account,
        municipality,
        merger,
        place_edit,
        link,
        steps,
        shared,
        board,
        stats,
        networks,
        programmes,
        grants,
        matching,
        curation,
    ):
        router.include_router(module.router)


_include_pages()

"""The home page, search with suggestions, the compact map data and the credits page."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Annotated, Any, Final

import orjson
from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import Response

from jumelage.store import queries, queries_web
from jumelage.store.cache import Derived, SharedCache
from jumelage.web.i18n import chosen_language
from jumelage.web.render import fragment, page, registry

router = APIRouter(include_in_schema=False)

LEVEL_CODES: Final = {"partnership": 0, "friendship": 1, "contact": 2, "project": 3}
DATA_LICENSES: Final = Path(__file__).resolve().parent.parent / "DATA-LICENSES"
VENDOR_README: Final = Path(__file__).resolve().parent / "static" / "vendor" / "README.md"


@router.get("/")
def home(request: Request) -> Response:
    with registry(request).engine.connect() as conn:
        figures = queries_web.headline_figures(conn)
    lang = chosen_language(request)
    data = {"figures": figures, "map_data": f"/map/data.json?lang={lang}"}
    return page(request, "home.html", data, section="home")


def _local_names(conn: Any, items: list[dict[str, Any]], lang: str) -> dict[int, str]:
    return queries_web.names_in(conn, [i["id"] for i in items], lang)


@router.get("/search")
def search(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    country: Annotated[str, Query(max_length=2)] = "",
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    items: list[dict[str, Any]] = []
    total = 0
    names: dict[int, str] = {}
    code = country.strip().upper() or None
    with registry(request).engine.connect() as conn:
        if q.strip():
            items, total = queries.search_municipalities(conn, q, code, 50, offset)
            names = _local_names(conn, items, chosen_language(request))
    data = {
        "q": q,
        "country": code,
        "items": items,
        "total": total,
        "offset": offset,
        "local_names": names,
    }
    return page(request, "search.html", data, section="home")


@router.get("/search/suggest")
def suggest(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> Response:
    """Up to eight places whose name starts with `q`, as a list fragment (htmx)."""
    items: list[dict[str, Any]] = []
    names: dict[int, str] = {}
    if len(q.strip()) >= 2:
        with registry(request).engine.connect() as conn:
            items = queries_web.suggestions(conn, q, 8)
            names = _local_names(conn, items, chosen_language(request))
    return fragment(request, "_suggestions.html", {"items": items, "q": q, "local_names": names})


def _packed(payload: Any) -> tuple[bytes, bytes]:
    raw = orjson.dumps(payload)
    return raw, gzip.compress(raw, compresslevel=6)


# The map data of the whole registry, gzipped once per data version and language.
MAP_CACHE = SharedCache("map", size=8)


def map_payload(conn: Any, lang: str) -> dict[str, Any]:
    """Places as rows [id, lat, lon, links, name, country] and links as index pairs.

    Links refer to places by their position in `places`, with the level as a
    number (see `levels`), so 34,000 links fit in a few hundred kilobytes.
    """
    places = queries_web.map_places(conn)
    local = queries_web.all_names_in(conn, lang)
    index = {p["id"]: i for i, p in enumerate(places)}
    rows = [
        [
            p["id"],
            round(p["lat"], 4),
            round(p["lon"], 4),
            p["links"],
            local.get(p["id"], p["name"]),
            p["country"] or "",
        ]
        for p in places
    ]
    links = [
        [index[k["a"]], index[k["b"]], LEVEL_CODES[k["level"]], int(k["status"] == "ended")]
        for k in queries_web.map_links(conn)
        if k["a"] in index and k["b"] in index
    ]
    return {"levels": list(LEVEL_CODES), "places": rows, "links": links}


MAP_LANGUAGES: Final = ("en", "de", "fr")


def map_bytes(engine: Any, lang: str) -> tuple[int, bytes, bytes]:
    """The map's data in `lang`: the data version it was computed for, JSON, gzipped JSON."""
    found = derived_map(engine, lang)
    raw, packed = found.value
    return found.version, raw, packed


def derived_map(engine: Any, lang: str) -> Derived[tuple[bytes, bytes]]:
    def build() -> tuple[bytes, bytes]:
        with engine.connect() as conn:
            return _packed(map_payload(conn, lang))

    return MAP_CACHE.derived(engine, lang, build)


@router.get("/map/data.json")
def map_data(request: Request, lang: Annotated[str, Query(max_length=5)] = "en") -> Response:
    """Every place with coordinates and every link, compact, for the world map."""
    lang = lang if lang in MAP_LANGUAGES else "en"
    version, raw, packed = map_bytes(registry(request).engine, lang)
    etag = f'"map-{version}-{lang}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(packed, media_type="application/json", headers=headers)
    return Response(raw, media_type="application/json", headers=headers)


@router.get("/about")
def about(request: Request) -> Response:
    with registry(request).engine.connect() as conn:
        counts = queries.counts(conn)
    data = {
        "counts": counts,
        "data_licences": DATA_LICENSES.read_text(encoding="utf-8"),
        "database": registry(request).engine.dialect.name,
    }
    return page(request, "about.html", data)

"""Rendering a page: one Jinja environment per language, the shared context, and
the JSON twin of every page (`?format=json` answers the page's data as JSON)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from jumelage import __version__
from jumelage.api import csrf
from jumelage.api.auth import current_principal
from jumelage.api.responses import JSON, error_response
from jumelage.attribution import ATTRIBUTION
from jumelage.domain.permissions import PUBLIC, Principal
from jumelage.errors import JumelageError
from jumelage.registry import Registry
from jumelage.store import places
from jumelage.web import i18n, wording
from jumelage.web.labels import label_key

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"

NAV: Final = (
    ("home", "/", i18n.N_("Home")),
    ("board", "/searches", i18n.N_("Partner search")),
    ("matching", "/matching", i18n.N_("Matching")),
    ("stats", "/statistics", i18n.N_("Statistics")),
    ("networks", "/networks", i18n.N_("Networks")),
    ("programmes", "/programmes", i18n.N_("Programmes")),
)


def registry(request: Request) -> Registry:
    reg: Registry = request.app.state.registry
    return reg


@cache
def environment(lang: str) -> Environment:
    """The template environment of one language, its filters bound to that language."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "svg"], default_for_string=True),
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    translations = i18n.translations(lang)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        date=lambda v: i18n.format_partial_date(v, lang),
        stamp=lambda v: i18n.format_timestamp(v, lang),
        number=lambda v: i18n.format_number(v, lang),
        share=lambda v: i18n.format_share(v, lang),
        country=lambda v: i18n.country_name(v, lang),
        label=lambda v, vocabulary: translations.gettext(label_key(vocabulary, v)) if v else "",
        signed=lambda v, digits=2: wording.signed(v, lang, digits),
        percent=lambda v, digits=0: wording.percent(v, lang, digits),
        decade=lambda v: wording.decade(v, lang),
        fixed=lambda v, digits=2: wording.fixed(v, lang, digits),
    )
    env.globals.update(
        lang=lang,
        languages=i18n.LANGUAGES,
        language_names=i18n.LANGUAGE_NAMES,
        attribution=ATTRIBUTION,
        version=__version__,
        nav=NAV,
        definition_words=lambda stat: wording.definition(stat["parameters"], lang),
        excluded_words=lambda reason: wording.excluded(reason, lang),
        scope_words=lambda kind, stat: wording.scope(kind, stat, lang),
        decades_words=lambda scope: wording.decades(scope, lang),
        reason_words=lambda found: wording.reason(found, lang),
        rule_words=lambda rule: wording.programme_rule(rule, lang),
        checked_words=lambda result: wording.checked_rule(result, lang),
        award_words=lambda result: wording.award_reason(result, lang),
        region_words=lambda code, name: wording.region_name(code, name, lang),
    )
    return env


def principal(request: Request) -> Principal:
    try:
        return current_principal(request)
    except Exception:  # a bad bearer header on a page: read it as the public
        return PUBLIC


def _context(request: Request, lang: str, section: str | None) -> dict[str, Any]:
    user = principal(request)
    return {
        "request": request,
        "user": user,
        "signed_in": user.role != "public",
        "csrf_token": csrf.token(request),
        "section": section,
        "path": request.url.path,
        "query": str(request.url.query),
        "lang_links": [(code, with_params(request, lang=code)) for code in i18n.LANGUAGES],
    }


def with_params(request: Request, **changes: str | None) -> str:
    """This page's URL with some query parameters changed (None drops one)."""
    params = {k: v for k, v in request.query_params.items() if k not in changes}
    params.update({k: v for k, v in changes.items() if v is not None})
    query = urlencode(params)
    return f"{request.url.path}?{query}" if query else request.url.path


def wants_page(request: Request) -> bool:
    """A browser asking for an address outside the API: it gets HTML, not JSON."""
    path = request.url.path
    if path.startswith(("/api/", "/static/")) or path == "/api" or wants_json(request):
        return False
    return "text/html" in request.headers.get("accept", "")


def wants_json(request: Request) -> bool:
    return request.query_params.get("format") == "json"


def page(
    request: Request,
    template: str,
    data: dict[str, Any],
    *,
    ui: dict[str, Any] | None = None,
    status: int = 200,
    section: str | None = None,
) -> Response:
    """The page as HTML, or its data as JSON with `?format=json`.

    `data` is what the page shows (the dicts of the named queries); `ui` holds
    what only the HTML needs: form values, errors, choices.
    """
    if wants_json(request):
        return JSON(data, status_code=status)
    lang = i18n.chosen_language(request)
    context = {**_context(request, lang, section), **data, **(ui or {})}
    html = environment(lang).get_template(template).render(context)
    response = HTMLResponse(html, status_code=status)
    finish(request, response, lang)
    return response


def fragment(request: Request, template: str, context: dict[str, Any]) -> Response:
    """A piece of a page for htmx: no layout, same language and filters."""
    lang = i18n.chosen_language(request)
    html = environment(lang).get_template(template).render({"request": request, **context})
    return HTMLResponse(html)


def finish(request: Request, response: Response, lang: str | None = None) -> None:
    """Cookies every page keeps: the CSRF nonce and the language chosen by `?lang=`."""
    # A page depends on the reader's language and session: no shared cache may mix them.
    response.headers["Vary"] = "Accept-Language, Cookie"
    response.headers["Cache-Control"] = "private, no-cache"
    csrf.keep_nonce(request, response)
    if lang and request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(
            i18n.LANG_COOKIE,
            lang,
            max_age=i18n.LANG_COOKIE_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=registry(request).settings.secure_cookies,
        )


def error_page(request: Request, status: int, message: str) -> Response:
    """An error as a page (or as the API's error shape with `?format=json`).

    The message is the API's English one; a page in another language says what
    the status means in that language instead."""
    if wants_json(request):
        return error_response(status, message)
    lang = i18n.chosen_language(request)
    shown = message if lang == "en" else wording.status_text(status, lang)
    return page(request, "error.html", {"status": status, "message": shown}, status=status)


def place_of(request: Request, conn: Connection, ref: str) -> int | Response:
    """The municipality a page's `{ref}` names (the one resolver's policy), or the
    page to show instead: 404, or the candidates of a name several places hold."""
    try:
        return places.resolve(conn, ref)
    except places.Ambiguous as ambiguous:
        return _which_one(request, ambiguous)
    except JumelageError:
        return error_page(request, 404, f"no municipality {ref!r}")


def _which_one(request: Request, ambiguous: places.Ambiguous) -> Response:
    """Each candidate links to this same page for it (status 300, Multiple Choices)."""
    route = request.scope.get("route")
    name = getattr(route, "name", None)
    items = []
    for c in ambiguous.candidates[: places.SHOWN]:
        params = {**request.path_params, "ref": str(c.qid or c.id)}
        url = request.url_for(name, **params).path if name else f"/m/{c.qid or c.id}"
        items.append({**c.to_dict(), "url": url})
    if wants_json(request):
        return JSON(ambiguous.to_dict(), status_code=ambiguous.status)
    data = {"text": ambiguous.text, "candidates": items, "total": len(ambiguous.candidates)}
    return page(request, "ambiguous.html", data, status=300)


def sign_in_first(request: Request) -> Response | None:
    """For the public, the way to the sign-in page and back to this one; else None."""
    if principal(request).role == "public":
        return redirect(request, f"/login?next={quote(request.url.path)}")
    return None


def redirect(request: Request, url: str) -> Response:
    response = RedirectResponse(url, status_code=303)
    csrf.keep_nonce(request, response)
    return response

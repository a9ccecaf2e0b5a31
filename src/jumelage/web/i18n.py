"""Languages of the pages: choosing one per request, the message catalogues, and
formatting dates, numbers and country names the way each language writes them.

The catalogues live in `web/locales/<lang>/LC_MESSAGES/messages.po`; their
compiled `.mo` files are committed beside them, so nothing is built at install
time (`pybabel compile -d src/jumelage/web/locales` after editing a `.po`).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any, Final

from babel import Locale
from babel.dates import format_date, format_datetime, format_skeleton
from babel.numbers import format_decimal, format_percent
from babel.support import Translations
from starlette.requests import Request

from jumelage.domain.dates import DateError, PartialDate
from jumelage.domain.languages import LANGUAGES as LANGUAGES
from jumelage.domain.languages import from_accept_language as from_accept_language

LOCALES_DIR: Final = Path(__file__).resolve().parent / "locales"
DEFAULT: Final = "en"
LANGUAGE_NAMES: Final = {"en": "English", "de": "Deutsch", "fr": "Français"}
LANG_COOKIE: Final = "jumelage_lang"
LANG_COOKIE_MAX_AGE: Final = 365 * 24 * 3600


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


# Former states the statistics and histories name by their own keys.
FORMER_STATES: Final = {
    "FRG": N_("West Germany"),
    "GDR": N_("East Germany (GDR)"),
    "CS": N_("Czechoslovakia"),
    "SU": N_("Soviet Union"),
    "YU": N_("Yugoslavia"),
    "SCG": N_("Serbia and Montenegro"),
}


@cache
def translations(lang: str) -> Translations:
    found = Translations.load(str(LOCALES_DIR), [lang], domain="messages")
    return found if isinstance(found, Translations) else Translations()


def chosen_language(request: Request) -> str:
    """The `lang` parameter, then the language cookie, then Accept-Language, then English."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return from_accept_language(request.headers.get("accept-language")) or DEFAULT


def parse_date(value: Any) -> PartialDate | None:
    """A partial date from a text ("1987-02") or an API date dict; None when absent."""
    if isinstance(value, dict):
        value = value.get("value")
    if not value:
        return None
    try:
        return PartialDate.parse(str(value))
    except DateError:
        return None


def format_partial_date(value: Any, lang: str) -> str:
    """A partial date at its own precision: "1950", "Februar 1987", "22 mai 1980"."""
    parsed = parse_date(value)
    if parsed is None:
        return "" if not value else str(value)
    if parsed.precision == "year":
        return str(parsed.year)
    if parsed.precision == "month":
        return format_skeleton("yMMMM", parsed.earliest(), locale=lang)
    return format_date(parsed.earliest(), "long", locale=lang)


def format_timestamp(value: Any, lang: str) -> str:
    if not value:
        return ""
    stamp = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return format_datetime(stamp, "medium", locale=lang)


def format_number(value: Any, lang: str) -> str:
    if value is None or value == "":
        return ""
    return format_decimal(value, locale=lang)


def format_share(value: Any, lang: str) -> str:
    """A share with one decimal, spaced as the language writes it: "12,5 %", "12.5%"."""
    if value is None:
        return ""
    return format_percent(value, _share_pattern(lang), locale=lang)


@cache
def _share_pattern(lang: str) -> str:
    pattern = Locale.parse(lang).percent_formats[None].pattern
    return str(pattern).replace("#,##0", "#,##0.0", 1)


def country_name(code: str | None, lang: str) -> str:
    """Today's country by its ISO code, or a former state by its key, in `lang`."""
    if not code:
        return ""
    if code in FORMER_STATES:
        return translations(lang).gettext(FORMER_STATES[code])
    return str(Locale.parse(lang).territories.get(code.upper(), code))


def language_name(code: str, lang: str) -> str:
    return str(Locale.parse(lang).languages.get(code, code))

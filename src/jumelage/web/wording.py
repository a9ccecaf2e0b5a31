"""The pages' words for what other layers state as codes and facts.

Statistics carry their definition as parameters and their coverage by reason
keys; matching reasons carry their group and facts (`params`); programme rules
and the check of a plan carry their rule and numbers; refusals carry a code and
a rule. Here, and only here, those become sentences in the reader's language:
the English words those layers keep for the API and the command line never
reach a page.
"""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any, Final

from babel.numbers import format_decimal, format_percent

from jumelage.errors import Invalid, JumelageError
from jumelage.web.i18n import N_, country_name, format_partial_date, language_name, translations
from jumelage.web.labels import label_key

# --- numbers ---------------------------------------------------------------


def number(value: Any, lang: str) -> str:
    return "" if value is None else format_decimal(value, locale=lang)


def signed(value: float, lang: str, digits: int = 2) -> str:
    """A contribution or score with its sign: "+3,08", "−0,50"."""
    zeros = "0" * digits
    pattern = f"+#,##0.{zeros};-#,##0.{zeros}" if digits else "+#,##0;-#,##0"
    return format_decimal(value, pattern, locale=lang)


def fixed(value: float | None, lang: str, digits: int = 2) -> str:
    """A measure with a fixed number of decimals: "0,123" in German."""
    if value is None:
        return ""
    return format_decimal(value, "#,##0." + "0" * digits, locale=lang)


def percent(value: float, lang: str, digits: int = 0) -> str:
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return format_percent(value, pattern, locale=lang)


def _countries(codes: Iterable[str], lang: str) -> str:
    t = translations(lang)
    return ", ".join(t.gettext("EU members") if c == "EU" else country_name(c, lang) for c in codes)


# --- regions ---------------------------------------------------------------


@cache
def _subdivisions(lang: str) -> gettext_module.NullTranslations:
    import pycountry  # its tables load on first use

    return gettext_module.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True
    )


@cache
def _subdivision_name(code: str) -> str | None:
    import pycountry

    found = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    return str(found.name) if found is not None else None


def region_name(code: str | None, name: str | None, lang: str) -> str:
    """A region (ISO 3166-2 code) in the reader's language where ISO's lists name it in
    that language, else in its own; the registry's (English) name in English."""
    if lang != "en" and code:
        own = _subdivision_name(code)
        if own is not None:
            return str(_subdivisions(lang).gettext(own))
    return name or code or ""


# --- statistics ------------------------------------------------------------

_COUNT: Final = {
    "distinct": N_("distinct pairs: two municipalities linked at several levels count once"),
    "per_side": N_(
        "per side: every link counts once for each of its two sides, so a link between two "
        "places of one country counts twice for that country and the total is twice the "
        "number of links"
    ),
}
_STATUS: Final = {
    "all": N_("every status (proposed to active, suspended and ended)"),
    "active": N_("only links whose status is active"),
    "not_ended": N_("every status except ended"),
}
_DOMESTIC: Final = {
    True: N_("included: links between two places of the same country count"),
    False: N_("excluded: only links between places of different countries (states) count"),
}
_NETWORKS: Final = {
    "include": N_("links between members of a multilateral twinning network count like any other"),
    "exclude": N_(
        "bilateral only: a link between two members of one multilateral twinning network "
        "(the Douzelage, a ring of partner cities) is left out, since the network, not the "
        "pair, made it"
    ),
}
_STATES: Final = {
    "current": N_("countries of today (ISO 3166-1 alpha-2)"),
    "historical": N_(
        "the states of the two places on the link's start date (FRG, GDR, CS, SU, YU, SCG "
        "where they applied); links without a start date by today's countries"
    ),
}
EXCLUDED: Final = {
    "level": N_("its level is not included"),
    "source": N_("no included source lists it"),
    "status": N_("its status is not included"),
    "undated": N_("it has no start date, and the figure is as of a date"),
    "not_started": N_("it started after the date"),
    "ended": N_("it had ended by the date"),
    "ended_undated": N_("it has ended, on an unknown date, and the figure is as of a date"),
    "network": N_("both sides belong to one multilateral twinning network (Douzelage, a ring)"),
    "no_country": N_("a side has no country on record"),
    "domestic": N_("both sides lie in the same country (state)"),
}


def _levels(levels: Sequence[str], lang: str) -> str:
    t = translations(lang)
    names = ", ".join(t.gettext(label_key("level", level)) for level in levels)
    if set(levels) >= {"partnership", "friendship", "contact", "project"}:
        return t.gettext("all levels: %(levels)s") % {"levels": names}
    return t.gettext("only %(levels)s") % {"levels": names}


def _as_of(parameters: Mapping[str, Any], lang: str) -> str:
    t = translations(lang)
    as_of = parameters.get("as_of")
    if not as_of:
        return t.gettext("no date: every link on record counts, dated or not")
    undated = (
        t.gettext("links without a start date are left out")
        if parameters.get("undated", "exclude") == "exclude"
        else t.gettext("links without a start date are counted as existing")
    )
    return t.gettext(
        "links that existed at the end of %(date)s: a start on or before that day and no end "
        "on or before it; a date known only to the year or month stands for its first day; "
        "%(undated)s"
    ) % {"date": format_partial_date(as_of, lang), "undated": undated}


def definition(parameters: Mapping[str, Any], lang: str) -> list[str]:
    """A statistic's definition, one sentence per parameter."""
    t = translations(lang)
    sources = parameters.get("sources") or []
    return [
        t.gettext(_COUNT[parameters["count"]]),
        _levels(parameters["levels"], lang),
        t.gettext(_STATUS[parameters["status"]]),
        t.gettext(_DOMESTIC[bool(parameters["domestic"])]),
        _as_of(parameters, lang),
        t.gettext("links that at least one of these sources lists: %(sources)s")
        % {"sources": ", ".join(sources)}
        if sources
        else t.gettext("links from any source"),
        t.gettext(_STATES[parameters.get("states", "current")]),
        t.gettext(_NETWORKS[parameters.get("networks", "include")]),
    ]


def excluded(reason: str, lang: str) -> str:
    return translations(lang).gettext(EXCLUDED[reason]) if reason in EXCLUDED else reason


def scope(kind: str, stat: Mapping[str, Any], lang: str) -> list[str]:
    """What a statistic's list covers, by the kind of statistic."""
    t = translations(lang)
    found = stat.get("scope") or {}
    distinct = stat.get("parameters", {}).get("count") == "distinct"
    if kind == "municipalities":
        country = found.get("country")
        return [
            t.gettext("municipalities whose country today is %(country)s")
            % {"country": country_name(country, lang)}
            if country
            else t.gettext("municipalities of every country"),
            t.gettext("each municipality's distinct partners under the definition")
            if distinct
            else t.gettext("each municipality's links (one per side) under the definition"),
        ]
    if kind == "countries":
        region = found.get("region", "world")
        return [
            t.gettext(
                "Europe: the UN M49 region Europe, Kosovo, and the Council of Europe members "
                "placed in Asia (AM, AZ, CY, GE, TR); former states on European territory "
                "(FRG, GDR, CS, SU, YU, SCG) with it"
            )
            if region == "europe"
            else t.gettext("every country"),
            t.gettext(
                "share: count divided by the number of distinct pairs counted (an international "
                "pair counts for both countries, so shares add up to more than 100 %)"
            )
            if distinct
            else t.gettext("share: count divided by the number of link sides counted"),
        ]
    if kind == "pairs":
        return [
            t.gettext("unordered pairs of states; count = distinct municipality pairs")
            if distinct
            else t.gettext(
                "ordered (row, column) pairs; count = links of the row's places with the "
                "column's, domestic links twice on the diagonal"
            )
        ]
    if kind == "decades":
        return [decades(found, lang)]
    if kind != "firsts":
        return []
    return [
        t.gettext(
            "the earliest dated link between places of the two states; marked uncertain when "
            "another link's date, known less precisely, could be earlier"
        )
    ]


def decades(found: Mapping[str, Any], lang: str) -> str:
    dated, undated = int(found.get("dated", 0)), int(found.get("undated", 0))
    return translations(lang).ngettext(
        "%(dated)s of %(total)s counted is dated; the decades describe the dated one only.",
        "%(dated)s of %(total)s counted are dated; the decades describe the dated ones only.",
        dated,
    ) % {"dated": number(dated, lang), "total": number(dated + undated, lang)}


def decade(value: int, lang: str) -> str:
    """A decade's label: "1950s", "1950er", "années 1950"."""
    return translations(lang).gettext("%(decade)ss") % {"decade": value}


# --- matching reasons ------------------------------------------------------


def _region(ref: Mapping[str, str] | None, lang: str) -> str:
    if not ref:
        return translations(lang).gettext("an unknown region")
    return region_name(ref.get("code"), ref.get("name"), lang)


def _country(code: str | None, lang: str) -> str:
    return country_name(code, lang) if code else translations(lang).gettext("an unknown country")


def _contacts(p: Mapping[str, Any], lang: str) -> str:
    t = translations(lang)
    kinds = ", ".join(t.gettext(label_key("contact", k)) for k in p.get("kinds", []))
    text = t.ngettext(
        "already %(num)s contact between the two",
        "already %(num)s contacts between the two",
        p["n"],
    ) % {"num": number(p["n"], lang)}
    return f"{text} ({kinds})" if kinds else text


def _shared_partners(p: Mapping[str, Any], lang: str) -> str:
    t = translations(lang)
    if not p["n"]:
        return t.gettext("no partner in common")
    return t.ngettext(
        "%(num)s of your partners is twinned with it",
        "%(num)s of your partners are twinned with it",
        p["n"],
    ) % {"num": number(p["n"], lang)}


def _partners_of_partners(p: Mapping[str, Any], lang: str) -> str:
    return translations(lang).ngettext(
        "%(num)s route to it over a partner's partner's partner",
        "%(num)s routes to it over a partner's partner's partner",
        p["n"],
    ) % {"num": number(p["n"], lang)}


def _networks(p: Mapping[str, Any], lang: str) -> str:
    t = translations(lang)
    named = [
        t.gettext("%(network)s (%(share)s of its members' pairs are twinned)")
        % {"network": n["name"], "share": percent(n["density"], lang)}
        for n in p.get("networks", [])
    ]
    return t.gettext("both members of %(networks)s") % {"networks": ", ".join(named)}


def _name(p: Mapping[str, Any], lang: str) -> str:
    return translations(lang).gettext("same name: %(mine)s and %(theirs)s") % dict(p)


def _neighbours(p: Mapping[str, Any], lang: str) -> str:
    t = translations(lang)
    km = number(p.get("km", 0), lang)
    parts = []
    if p["theirs_near"]:
        parts.append(
            t.ngettext(
                "%(num)s of its partners lies within %(km)s km of you",
                "%(num)s of its partners lie within %(km)s km of you",
                p["theirs_near"],
            )
            % {"num": number(p["theirs_near"], lang), "km": km}
        )
    if p["mine_near"]:
        parts.append(
            t.ngettext(
                "%(num)s of your partners lies within %(km)s km of it",
                "%(num)s of your partners lie within %(km)s km of it",
                p["mine_near"],
            )
            % {"num": number(p["mine_near"], lang), "km": km}
        )
    if p["mine_in_region"]:
        parts.append(
            t.ngettext(
                "%(num)s of your partners is in its region, %(region)s",
                "%(num)s of your partners are in its region, %(region)s",
                p["mine_in_region"],
            )
            % {"num": number(p["mine_in_region"], lang), "region": _region(p.get("region"), lang)}
        )
    return "; ".join(parts) or t.gettext("no partners near either side")


def _its_partners_here(p: Mapping[str, Any], lang: str) -> str:
    t = translations(lang)
    text = t.ngettext(
        "it has %(num)s partner in %(country)s", "it has %(num)s partners in %(country)s", p["n"]
    ) % {"num": number(p["n"], lang), "country": _country(p.get("country"), lang)}
    if p.get("in_region"):
        text += t.gettext(", %(num)s in %(region)s") % {
            "num": number(p["in_region"], lang),
            "region": _region(p.get("region"), lang),
        }
    return text


def _your_partners_there(p: Mapping[str, Any], lang: str) -> str:
    return translations(lang).ngettext(
        "%(num)s of your partners is in %(country)s",
        "%(num)s of your partners are in %(country)s",
        p["n"],
    ) % {"num": number(p["n"], lang), "country": _country(p.get("country"), lang)}


def _country_pair(p: Mapping[str, Any], lang: str) -> str:
    here = _country(p.get("here"), lang)
    return translations(lang).gettext(
        "%(here)s–%(there)s pairs are %(share)s of the links of %(here)s"
    ) % {
        "here": here,
        "there": _country(p.get("there"), lang),
        "share": percent(p["share"], lang, 1),
    }


def _region_pair(p: Mapping[str, Any], lang: str) -> str:
    return translations(lang).ngettext(
        "%(num)s link between %(here)s and %(there)s",
        "%(num)s links between %(here)s and %(there)s",
        p["n"],
    ) % {
        "num": number(p["n"], lang),
        "here": _region(p.get("here"), lang),
        "there": _region(p.get("there"), lang),
    }


def _kind(p: Mapping[str, Any], lang: str) -> str:
    t = translations(lang)
    mine, theirs = (
        t.gettext(label_key("kind", p["mine"])),
        t.gettext(label_key("kind", p["theirs"])),
    )
    text = t.gettext("%(mine)s–%(theirs)s pairs are %(share)s of the links of a %(mine)s") % {
        "mine": mine,
        "theirs": theirs,
        "share": percent(p["share"], lang),
    }
    if p.get("region_for_town"):
        text += "; " + t.gettext("a region, where a town looks for a town")
    return text


def _size(p: Mapping[str, Any], lang: str) -> str:
    t = translations(lang)
    unknown = t.gettext("unknown")
    theirs = number(p["theirs"], lang) if p.get("theirs") is not None else unknown
    if p.get("similar") is None:
        return t.gettext("population %(num)s") % {"num": theirs}
    text = (
        t.gettext("similar size: %(theirs)s vs your %(mine)s")
        if p["similar"]
        else t.gettext("different size: %(theirs)s vs your %(mine)s")
    ) % {"theirs": theirs, "mine": number(p["mine"], lang)}
    if p.get("beyond_contrast"):
        text += " " + t.gettext("(%(num)s times: beyond a town's contrast)") % {
            "num": format_decimal(round(p["ratio"]), locale=lang)
        }
    return text


def _distance(p: Mapping[str, Any], lang: str) -> str:
    t = translations(lang)
    if p.get("km") is None:
        return (
            t.gettext("in the same country, distance unknown")
            if p["domestic"]
            else t.gettext("abroad, distance unknown")
        )
    return (
        t.gettext("in the same country, %(km)s km apart")
        if p["domestic"]
        else t.gettext("abroad, %(km)s km apart")
    ) % {"km": number(p["km"], lang)}


def _language(p: Mapping[str, Any], lang: str) -> str:
    t = translations(lang)
    if not p.get("languages"):
        return t.gettext("no official language in common")
    names = ", ".join(sorted(language_name(code, lang) for code in p["languages"]))
    return t.gettext("official language in common: %(languages)s") % {"languages": names}


def _north_south(p: Mapping[str, Any], lang: str) -> str:
    t = translations(lang)
    if not p.get("north_south"):
        return t.gettext("not a North–South pair")
    return t.gettext("North–South pair: one of %(here)s and %(there)s is on the OECD DAC list") % {
        "here": _country(p.get("here"), lang),
        "there": _country(p.get("there"), lang),
    }


def _history(p: Mapping[str, Any], lang: str) -> str:
    t = translations(lang)
    here, there = country_name(p.get("here"), lang), country_name(p.get("there"), lang)
    if p.get("shared"):
        return t.gettext("both were in %(state)s in 1980") % {"state": here}
    return t.gettext("one country now, two states in 1980: %(here)s and %(there)s") % {
        "here": here,
        "there": there,
    }


def _popularity(p: Mapping[str, Any], lang: str) -> str:
    return translations(lang).ngettext(
        "it has %(num)s partner", "it has %(num)s partners", p["n"]
    ) % {"num": number(p["n"], lang)}


REASONS: Final[dict[str, Callable[[Mapping[str, Any], str], str]]] = {
    "contacts": _contacts,
    "shared_partners": _shared_partners,
    "partners_of_partners": _partners_of_partners,
    "networks": _networks,
    "name": _name,
    "neighbours": _neighbours,
    "its_partners_here": _its_partners_here,
    "your_partners_there": _your_partners_there,
    "country_pair": _country_pair,
    "region_pair": _region_pair,
    "kind": _kind,
    "size": _size,
    "distance": _distance,
    "language": _language,
    "north_south": _north_south,
    "history": _history,
    "popularity": _popularity,
}


def reason(found: Mapping[str, Any], lang: str) -> str:
    """A matching reason in words, from its group and facts."""
    tell = REASONS.get(str(found.get("reason")))
    params = found.get("params")
    if tell is None or params is None:
        return str(found.get("text", ""))
    return tell(params, lang)


# --- programme rules -------------------------------------------------------


def _band(rule: Mapping[str, Any], unit: str, lang: str) -> str:
    t = translations(lang)
    low, high = rule.get("min"), rule.get("max")
    values = {"low": number(low, lang), "high": number(high, lang), "unit": unit}
    if low is not None and high is not None:
        return t.gettext("%(low)s–%(high)s %(unit)s") % values
    if low is not None:
        return t.gettext("at least %(low)s %(unit)s") % values
    return t.gettext("at most %(high)s %(unit)s") % values


def _kinds(kinds: Iterable[str], lang: str) -> str:
    return ", ".join(translations(lang).gettext(label_key("plan", k)) for k in kinds)


def programme_rule(rule: Mapping[str, Any], lang: str) -> str:
    """A programme's rule in words."""
    t = translations(lang)
    name = rule["rule"]
    value = number(rule.get("value"), lang)
    if name == "min_countries":
        text = t.gettext("at least %(num)s countries") % {"num": value}
        among = rule.get("among")
        return text + (f" ({_countries(among, lang)})" if among else "")
    if name == "min_eu_countries":
        return t.gettext("at least %(num)s EU member states") % {"num": value}
    if name == "countries_include":
        return t.gettext("participants from each of %(countries)s") % {
            "countries": _countries(rule["values"], lang)
        }
    if name == "partner_country_in":
        return t.gettext("at least one partner in %(countries)s") % {
            "countries": _countries(rule["values"], lang)
        }
    if name == "partner_in_dac_list":
        return t.gettext("at least one partner in a country on the OECD DAC list")
    if name == "min_participants":
        return t.gettext("at least %(num)s participants") % {"num": value}
    if name == "min_invited_from_abroad":
        return t.gettext("at least %(num)s participants invited from abroad") % {"num": value}
    if name == "duration_months":
        return t.gettext("duration: %(band)s") % {"band": _band(rule, t.gettext("months"), lang)}
    if name == "amount":
        text = t.gettext("amount: %(band)s") % {
            "band": _band(rule, str(rule.get("currency", "EUR")), lang)
        }
        higher = rule.get("higher")
        if higher:
            text += "; " + t.gettext("up to %(num)s for %(kinds)s") % {
                "num": number(higher["max"], lang),
                "kinds": _kinds(higher["kinds"], lang),
            }
        return text
    return t.gettext("at most %(share)s of the total cost") % {
        "share": percent(float(rule["value"]), lang)
    }


_UNSTATED: Final = {
    "min_countries": N_("the plan names no participating countries"),
    "min_eu_countries": N_("the plan names no participating countries"),
    "countries_include": N_("the plan names no participating countries"),
    "partner_country_in": N_("the plan names no partner country"),
    "partner_in_dac_list": N_("the plan names no partner country"),
    "min_participants": N_("the plan does not state the participants"),
    "min_invited_from_abroad": N_("the plan does not state the participants invited from abroad"),
    "duration_months": N_("the plan does not state the duration"),
    "amount": N_("the plan does not state the amount"),
    "max_cost_share": N_("the plan does not state amount and total cost"),
}


def checked_rule(result: Mapping[str, Any], lang: str) -> str:
    """A rule of a programme checked against a plan, in words."""
    t = translations(lang)
    name = result["rule"]
    if result.get("met") is None:
        return t.gettext(_UNSTATED[name]) if name in _UNSTATED else str(result.get("message"))
    if name in ("min_countries", "min_eu_countries"):
        counted = result.get("counted", [])
        return t.gettext("%(num)s countries (%(countries)s), at least %(required)s") % {
            "num": number(len(counted), lang),
            "countries": _countries(counted, lang) or "–",
            "required": number(result["required"], lang),
        }
    if name == "countries_include":
        if not result.get("missing"):
            return t.gettext("participants from %(countries)s") % {
                "countries": _countries(result["required"], lang)
            }
        return t.gettext("no participant from %(countries)s") % {
            "countries": _countries(result["missing"], lang)
        }
    if name in ("partner_country_in", "partner_in_dac_list"):
        if result.get("hits"):
            return t.gettext("partner in %(countries)s") % {
                "countries": _countries(result["hits"], lang)
            }
        return t.gettext("no partner meets the rule (partners: %(countries)s)") % {
            "countries": _countries(result.get("partners", []), lang)
        }
    if name in ("min_participants", "min_invited_from_abroad"):
        return t.gettext("%(num)s, at least %(required)s") % {
            "num": number(result["value"], lang),
            "required": number(result["required"], lang),
        }
    if name in ("duration_months", "amount"):
        unit = t.gettext("months") if name == "duration_months" else str(result.get("unit", ""))
        return t.gettext("%(num)s %(unit)s, allowed: %(band)s") % {
            "num": number(result["value"], lang),
            "unit": unit,
            "band": _band(result, unit, lang),
        }
    return t.gettext("%(share)s of the total cost requested, at most %(max)s") % {
        "share": percent(float(result["value"]), lang),
        "max": percent(float(result["max"]), lang),
    }


def award_reason(result: Mapping[str, Any], lang: str) -> str:
    """A rule of the Europe Prize ladder checked for a municipality, in words."""
    t = translations(lang)

    def award(key: str) -> str:
        return t.gettext(label_key("award", result.get(key)))

    rule, met = result["rule"], result["met"]
    if rule == "not_held":
        if met:
            return t.gettext("has not yet received the %(award)s") % {"award": award("level")}
        return t.gettext("already received the %(award)s in %(year)s") % {
            "award": award("level"),
            "year": result["held_in"],
        }
    if rule == "previous_level":
        if "before" not in result:
            return t.gettext("the European Diploma is the first level")
        if met:
            return t.gettext("holds the %(award)s (%(year)s)") % {
                "award": award("before"),
                "year": result["held_in"],
            }
        return t.gettext("the %(award)s requires the %(before)s first, which it does not hold") % {
            "award": award("level"),
            "before": award("before"),
        }
    if rule == "min_years":
        if "before" not in result:
            return t.gettext("no waiting time before the first level")
        if "years" not in result:
            return t.gettext("no %(award)s to count the years from") % {"award": award("before")}
        return t.ngettext(
            "%(num)s year since the %(award)s, at least %(min)s required",
            "%(num)s years since the %(award)s, at least %(min)s required",
            result["years"],
        ) % {"num": result["years"], "award": award("before"), "min": result["min_years"]}
    if rule == "twin_town":
        if not result.get("count"):
            return t.gettext("names no twin town with an active partnership")
        return t.ngettext(
            "%(num)s twin town with an active partnership",
            "%(num)s twin towns with an active partnership",
            result["count"],
        ) % {"num": number(result["count"], lang)}
    if rule == "activities":
        if not result.get("count"):
            return t.gettext("no activities recorded in %(year)s") % {"year": result["year"]}
        return t.ngettext(
            "%(num)s activity recorded in %(year)s",
            "%(num)s activities recorded in %(year)s",
            result["count"],
        ) % {"num": number(result["count"], lang), "year": result["year"]}
    return str(result.get("message", ""))


# --- refusals --------------------------------------------------------------

# The rules services name, said in the reader's language.
RULES: Final = {
    "required": N_("This field is required."),
    "date": N_("Give a date like 1950, 1987-02 or 1980-05-22."),
    "integer": N_("Give a whole number."),
    "number": N_("Give a number."),
    "end_after_start": N_("The end lies before the start."),
    "not_before_start": N_("The date lies before the start of the link."),
    "range": N_("The value lies outside the allowed range."),
    "choice": N_("Choose one of the options."),
    "max_length": N_("The text is too long."),
    "min_length": N_("The text is too short."),
    "future": N_("The date lies in the past."),
    "not_in_future": N_("A held activity cannot lie in the future."),
    "at_most_participants": N_("More invited from abroad than participants."),
    "size_band": N_("The largest size lies below the smallest."),
    "max_items": N_("Too many entries."),
    "storable": N_("The text holds control characters; remove them."),
    "partnership_needs_charter": N_("A partnership rests on a signed charter: give its date."),
    "friendship_needs_end_or_project": N_("Give an end date or at least one named project."),
    "project_needs_topic": N_("A project partnership needs a topic."),
    "project_needs_period": N_("A project partnership needs a start and an end."),
    "exists": N_("No municipality of that name, id or QID is held."),
    "ambiguous": N_("Several municipalities hold that name: give the QID or the country."),
    "iso": N_("Give an ISO code: a country like DE, a currency like EUR."),
    "country": N_("Give an ISO country code such as DE or FR."),
    "not_self": N_("A municipality cannot be its own partner."),
    "format": N_("The value is not in the expected form."),
    "qid": N_("Give a Wikidata QID such as Q365."),
    "side": N_("Choose one of the two sides of the link."),
    "side_of_link": N_("That municipality is not a side of this link."),
    "after_link_ended": N_("The link had already ended by then."),
    "abroad": N_("The place must lie abroad."),
    "merged": N_("That municipality has been merged into another."),
    "ladder": N_("The Europe Prize's distinctions are earned in order."),
    "search_expired": N_("The search has expired."),
    "direction": N_("Choose a direction."),
    "level": N_("Choose a level."),
    "kind": N_("Choose a kind."),
    "vocabulary": N_("Choose one of the options."),
    "editable": N_("This can no longer be changed."),
    "read_only": N_("This can no longer be changed."),
    "pair": N_("These two municipalities are already linked."),
    "match": N_("The answer does not match the search."),
    "scope": N_("You may act only for your own municipalities."),
    "revertible": N_("This action cannot be undone."),
    "columns": N_("The file lacks columns it needs."),
}

# Refusals without a rule, by their code.
CODES: Final = {
    "not_found": N_("Not found: it may have been removed or never existed."),
    "conflict": N_("This cannot be done in the present state of the record."),
    "forbidden": N_("Your account may not do this."),
    "unauthorized": N_("Sign in first."),
    "precondition_failed": N_(
        "Someone changed this record meanwhile: reload the page and try again."
    ),
    "invalid": N_("Something in the form is not valid."),
    "bad_request": N_("The request could not be understood."),
}


# Rules whose own sentence every language shows; for the others an English page
# keeps the service's message, which names the value refused.
GENERAL: Final = frozenset(
    {
        "required",
        "date",
        "integer",
        "end_after_start",
        "range",
        "choice",
        "max_length",
        "future",
        "at_most_participants",
        "size_band",
        "max_items",
        "partnership_needs_charter",
        "friendship_needs_end_or_project",
        "project_needs_topic",
        "project_needs_period",
    }
)


def refusal(exc: JumelageError, lang: str) -> str:
    """A refused write in the reader's language: by its rule, else by its code."""
    t = translations(lang)
    if lang == "en" and not (isinstance(exc, Invalid) and exc.rule in GENERAL):
        return exc.message
    rule = exc.rule if isinstance(exc, Invalid) else None
    if rule in RULES:
        return t.gettext(RULES[str(rule)])
    return t.gettext(CODES.get(exc.code, CODES["bad_request"]))


STATUSES: Final = {
    400: N_("The request could not be understood."),
    403: N_(
        "This page refused the request: sign in with an account that may do this, and send "
        "the form again from its page."
    ),
    404: N_("Nothing is held at this address: check the link, or search for the place."),
    409: N_("This cannot be done in the present state of the record."),
    422: N_("A value given is not valid: check the address or the form."),
}


def status_text(status: int, lang: str) -> str:
    return translations(lang).gettext(STATUSES.get(status, STATUSES[400]))

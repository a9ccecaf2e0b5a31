"""Funding programmes as data: a small vocabulary of rules and their check.

A programme is a record (name, funder, period, rules); its rules are a list of
dicts such as `{"rule": "min_participants", "value": 50}`. This module checks a
plan (a planned activity or project) against such a list and says of each rule
whether it is met, not met, or cannot be told because the plan lacks the fact.

The vocabulary:

- `min_countries` {value, among?}: distinct participating countries; with
  `among`, only those countries count ("EU" stands for the EU members on the
  plan's date).
- `min_eu_countries` {value}: distinct participating EU member states.
- `countries_include` {values}: every listed country takes part.
- `partner_country_in` {values}: at least one partner lies in a listed country.
- `partner_in_dac_list` {}: at least one partner lies in a country on the OECD
  DAC list of ODA recipients.
- `min_participants` {value}, `min_invited_from_abroad` {value}.
- `duration_months` {min?, max?}: whole months, a begun month counting as one.
- `amount` {min?, max?, higher?: {max, kinds}}: the amount requested; plans of
  the kinds named in `higher` may ask up to its `max`.
- `max_cost_share` {value}: the amount requested is at most this share of the
  total cost.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from jumelage.domain.dates import PartialDate

D = dt.date

# EU member states with the day they joined and, for the United Kingdom, the
# last day of membership. EU-27 since 1 February 2020.
EU_MEMBERSHIP: Final[dict[str, tuple[D, D | None]]] = {
    **{c: (D(1958, 1, 1), None) for c in ("BE", "DE", "FR", "IT", "LU", "NL")},
    **{c: (D(1973, 1, 1), None) for c in ("DK", "IE")},
    "GB": (D(1973, 1, 1), D(2020, 1, 31)),
    "GR": (D(1981, 1, 1), None),
    **{c: (D(1986, 1, 1), None) for c in ("ES", "PT")},
    **{c: (D(1995, 1, 1), None) for c in ("AT", "FI", "SE")},
    **{
        c: (D(2004, 5, 1), None)
        for c in ("CY", "CZ", "EE", "HU", "LT", "LV", "MT", "PL", "SI", "SK")
    },
    **{c: (D(2007, 1, 1), None) for c in ("BG", "RO")},
    "HR": (D(2013, 7, 1), None),
}
EU27_SINCE: Final = D(2020, 2, 1)

RULES: Final = (
    "min_countries",
    "min_eu_countries",
    "countries_include",
    "partner_country_in",
    "partner_in_dac_list",
    "min_participants",
    "min_invited_from_abroad",
    "duration_months",
    "amount",
    "max_cost_share",
)

# Kinds of plan, for rules that treat some kinds differently (`amount.higher`).
PLAN_KINDS: Final = ("encounter", "partnership_project", "event", "other")


def eu_members_on(day: D) -> frozenset[str]:
    """ISO codes of the EU member states on `day`."""
    return frozenset(
        c
        for c, (start, end) in EU_MEMBERSHIP.items()
        if start <= day and (end is None or day <= end)
    )


@dataclass(frozen=True)
class Plan:
    """What a planned activity or project says about itself; None: not stated."""

    on: D
    applicant_country: str | None = None
    partner_countries: tuple[str, ...] = ()
    participants: int | None = None
    invited_from_abroad: int | None = None
    duration_months: int | None = None
    amount: int | None = None
    total_cost: int | None = None
    kind: str | None = None

    @property
    def countries(self) -> tuple[str, ...]:
        seen = [self.applicant_country, *self.partner_countries]
        return tuple(sorted({c for c in seen if c}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "applicant_country": self.applicant_country,
            "partner_countries": list(self.partner_countries),
            "countries": list(self.countries),
            "participants": self.participants,
            "invited_from_abroad": self.invited_from_abroad,
            "duration_months": self.duration_months,
            "amount": self.amount,
            "total_cost": self.total_cost,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class RuleResult:
    rule: str
    met: bool | None  # None: the plan does not state what the rule needs
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "met": self.met, "message": self.message, **self.params}


@dataclass(frozen=True)
class Check:
    results: tuple[RuleResult, ...]

    @property
    def eligible(self) -> bool:
        return all(r.met is True for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "failed": [r.rule for r in self.results if r.met is False],
            "unknown": [r.rule for r in self.results if r.met is None],
            "rules": [r.to_dict() for r in self.results],
        }


def months_between(start: PartialDate, end: PartialDate) -> int:
    """Whole months from the first day of `start` to the last day of `end`; a begun month counts."""
    first, after = start.earliest(), end.latest() + dt.timedelta(days=1)
    months = (after.year - first.year) * 12 + after.month - first.month
    if after.day < first.day:
        months -= 1
    full_months_end = _add_months(first, months)
    return months + (1 if full_months_end < after else 0)


def _add_months(day: D, months: int) -> D:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return D(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _expand(among: Sequence[str], day: D) -> set[str]:
    codes = {c for c in among if c != "EU"}
    return codes | (set(eu_members_on(day)) if "EU" in among else set())


def _no_countries(rule: str) -> RuleResult:
    return RuleResult(rule, None, "the plan names no participating countries")


def _min_countries(rule: Mapping[str, Any], plan: Plan, _dac: Collection[str]) -> RuleResult:
    need = int(rule["value"])
    if not plan.countries:
        return _no_countries("min_countries")
    among = rule.get("among")
    counted = [c for c in plan.countries if among is None or c in _expand(among, plan.on)]
    scope = " eligible" if among else ""
    text = f"{len(counted)}{scope} countries ({', '.join(counted) or 'none'}), at least {need}"
    params = {"required": need, "counted": counted, "eligible_only": bool(among)}
    return RuleResult("min_countries", len(counted) >= need, text, params)


def _min_eu(rule: Mapping[str, Any], plan: Plan, _dac: Collection[str]) -> RuleResult:
    need = int(rule["value"])
    if not plan.countries:
        return _no_countries("min_eu_countries")
    eu = [c for c in plan.countries if c in eu_members_on(plan.on)]
    text = (
        f"{len(eu)} EU member states on {plan.on.isoformat()} ({', '.join(eu) or 'none'}), "
        f"at least {need}"
    )
    params = {"required": need, "counted": eu, "on_day": plan.on.isoformat()}
    return RuleResult("min_eu_countries", len(eu) >= need, text, params)


def _countries_include(rule: Mapping[str, Any], plan: Plan, _dac: Collection[str]) -> RuleResult:
    wanted = list(rule["values"])
    if not plan.countries:
        return _no_countries("countries_include")
    missing = [c for c in wanted if c not in plan.countries]
    text = (
        f"participants from {', '.join(wanted)}"
        if not missing
        else f"no participant from {', '.join(missing)}; needs {', '.join(wanted)}"
    )
    params = {"required": wanted, "missing": missing}
    return RuleResult("countries_include", not missing, text, params)


def _partners(plan: Plan) -> tuple[str, ...]:
    return tuple(sorted(set(plan.partner_countries)))


def _partner_country_in(rule: Mapping[str, Any], plan: Plan, _dac: Collection[str]) -> RuleResult:
    wanted = list(rule["values"])
    if not plan.partner_countries:
        return RuleResult("partner_country_in", None, "the plan names no partner country")
    hits = [c for c in _partners(plan) if c in wanted]
    text = (
        f"partner in {', '.join(hits)}"
        if hits
        else f"no partner in {', '.join(wanted)} (partners: {', '.join(_partners(plan))})"
    )
    params = {"required": wanted, "hits": hits, "partners": list(_partners(plan))}
    return RuleResult("partner_country_in", bool(hits), text, params)


def _partner_in_dac(_rule: Mapping[str, Any], plan: Plan, dac: Collection[str]) -> RuleResult:
    if not plan.partner_countries:
        return RuleResult("partner_in_dac_list", None, "the plan names no partner country")
    hits = [c for c in _partners(plan) if c in dac]
    text = (
        f"partner in {', '.join(hits)}, on the OECD DAC list"
        if hits
        else f"no partner on the OECD DAC list (partners: {', '.join(_partners(plan))})"
    )
    params = {"hits": hits, "partners": list(_partners(plan))}
    return RuleResult("partner_in_dac_list", bool(hits), text, params)


def _at_least(name: str, what: str, value: int | None, need: int) -> RuleResult:
    if value is None:
        return RuleResult(name, None, f"the plan does not state the {what}")
    text = f"{value} {what}, at least {need}"
    return RuleResult(name, value >= need, text, {"required": need, "value": value})


def _min_participants(rule: Mapping[str, Any], plan: Plan, _dac: Collection[str]) -> RuleResult:
    need = int(rule["value"])
    return _at_least("min_participants", "participants", plan.participants, need)


def _min_invited(rule: Mapping[str, Any], plan: Plan, _dac: Collection[str]) -> RuleResult:
    need = int(rule["value"])
    what = "participants invited from abroad"
    return _at_least("min_invited_from_abroad", what, plan.invited_from_abroad, need)


def _between(name: str, value: int | None, low: Any, high: Any, unit: str) -> RuleResult:
    if value is None:
        return RuleResult(name, None, f"the plan does not state the {name.replace('_', ' ')}")
    ok = (low is None or value >= low) and (high is None or value <= high)
    band = f"{low if low is not None else '…'}–{high if high is not None else '…'} {unit}"
    params = {"min": low, "max": high, "value": value, "unit": unit}
    return RuleResult(name, ok, f"{value} {unit}, allowed {band}", params)


def _duration(rule: Mapping[str, Any], plan: Plan, _dac: Collection[str]) -> RuleResult:
    return _between(
        "duration_months", plan.duration_months, rule.get("min"), rule.get("max"), "months"
    )


def _amount(rule: Mapping[str, Any], plan: Plan, _dac: Collection[str]) -> RuleResult:
    high = rule.get("max")
    higher = rule.get("higher")
    if higher and plan.kind in higher["kinds"]:
        high = higher["max"]
    currency = str(rule.get("currency", "EUR"))
    return _between("amount", plan.amount, rule.get("min"), high, currency)


def _cost_share(rule: Mapping[str, Any], plan: Plan, _dac: Collection[str]) -> RuleResult:
    share = float(rule["value"])
    if plan.amount is None or not plan.total_cost:
        return RuleResult("max_cost_share", None, "the plan does not state amount and total cost")
    actual = plan.amount / plan.total_cost
    text = f"{actual:.0%} of the total cost requested, at most {share:.0%}"
    params = {"max": share, "value": actual}
    return RuleResult("max_cost_share", actual <= share + 1e-9, text, params)


_CHECKS: Final[dict[str, Callable[[Mapping[str, Any], Plan, Collection[str]], RuleResult]]] = {
    "min_countries": _min_countries,
    "min_eu_countries": _min_eu,
    "countries_include": _countries_include,
    "partner_country_in": _partner_country_in,
    "partner_in_dac_list": _partner_in_dac,
    "min_participants": _min_participants,
    "min_invited_from_abroad": _min_invited,
    "duration_months": _duration,
    "amount": _amount,
    "max_cost_share": _cost_share,
}


def check_plan(
    rules: Sequence[Mapping[str, Any]], plan: Plan, dac_countries: Collection[str]
) -> Check:
    """Each rule of a programme, met or not, for this plan."""
    return Check(tuple(_CHECKS[r["rule"]](r, plan, dac_countries) for r in rules))


def _number(rule: Mapping[str, Any], key: str, required: bool = True) -> str | None:
    value = rule.get(key)
    if value is None:
        return f"{rule['rule']} needs '{key}'" if required else None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return f"{rule['rule']}: '{key}' must be a number of at least 0"
    return None


def _codes(rule: Mapping[str, Any], key: str, required: bool = True) -> str | None:
    value = rule.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, list) or not value:
        return f"{rule['rule']} needs '{key}', a list of ISO country codes"
    bad = [v for v in value if not (isinstance(v, str) and len(v) == 2 and v.isupper())]
    return f"{rule['rule']}: {bad[0]!r} is not an ISO country code or EU" if bad else None


def _band(rule: Mapping[str, Any]) -> str | None:
    problems = [_number(rule, "min", False), _number(rule, "max", False)]
    if rule.get("min") is None and rule.get("max") is None:
        problems.append(f"{rule['rule']} needs 'min' or 'max'")
    low, high = rule.get("min"), rule.get("max")
    if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
        problems.append(f"{rule['rule']}: 'min' exceeds 'max'")
    higher = rule.get("higher")
    if higher is not None and not (
        isinstance(higher, dict)
        and isinstance(higher.get("max"), int | float)
        and isinstance(higher.get("kinds"), list)
    ):
        problems.append(f"{rule['rule']}: 'higher' needs 'max' and a list of 'kinds'")
    return next((p for p in problems if p), None)


def _share(rule: Mapping[str, Any]) -> str | None:
    problem = _number(rule, "value")
    if problem is None and not 0 < float(rule["value"]) <= 1:
        return "max_cost_share: 'value' is a share between 0 and 1"
    return problem


_SHAPES: Final[dict[str, Callable[[Mapping[str, Any]], str | None]]] = {
    "min_countries": lambda r: _number(r, "value") or _codes(r, "among", False),
    "min_eu_countries": lambda r: _number(r, "value"),
    "countries_include": lambda r: _codes(r, "values"),
    "partner_country_in": lambda r: _codes(r, "values"),
    "partner_in_dac_list": lambda r: None,
    "min_participants": lambda r: _number(r, "value"),
    "min_invited_from_abroad": lambda r: _number(r, "value"),
    "duration_months": _band,
    "amount": _band,
    "max_cost_share": _share,
}


def rule_problems(rules: Any) -> list[str]:
    """What is wrong with a programme's rules; empty when every rule is well-formed."""
    if not isinstance(rules, list):
        return ["rules must be a list"]
    problems: list[str] = []
    for i, rule in enumerate(rules):
        name = rule.get("rule") if isinstance(rule, dict) else None
        if name not in _SHAPES:
            problems.append(f"rule {i + 1}: unknown rule {name!r}; known: {', '.join(RULES)}")
            continue
        problem = _SHAPES[name](rule)
        if problem:
            problems.append(f"rule {i + 1}: {problem}")
    return problems


def _list(codes: Sequence[str]) -> str:
    return ", ".join("EU members" if c == "EU" else c for c in codes)


def _band_text(rule: Mapping[str, Any], unit: str) -> str:
    low, high = rule.get("min"), rule.get("max")
    if low is not None and high is not None:
        return f"{low:,}–{high:,} {unit}"
    return f"at least {low:,} {unit}" if low is not None else f"at most {high:,} {unit}"


def rule_text(rule: Mapping[str, Any]) -> str:
    """A rule in words, for programme pages."""
    name = rule["rule"]
    if name == "min_countries":
        among = rule.get("among")
        return f"at least {rule['value']} countries" + (f" ({_list(among)})" if among else "")
    if name == "min_eu_countries":
        return f"at least {rule['value']} EU member states"
    if name == "countries_include":
        return f"participants from each of {_list(rule['values'])}"
    if name == "partner_country_in":
        return f"at least one partner in {_list(rule['values'])}"
    if name == "partner_in_dac_list":
        return "at least one partner in a country on the OECD DAC list"
    if name == "min_participants":
        return f"at least {rule['value']} participants"
    if name == "min_invited_from_abroad":
        return f"at least {rule['value']} participants invited from abroad"
    if name == "duration_months":
        return "duration " + _band_text(rule, "months")
    if name == "amount":
        text = "amount " + _band_text(rule, str(rule.get("currency", "EUR")))
        higher = rule.get("higher")
        if higher:
            text += f"; up to {higher['max']:,} for {', '.join(higher['kinds'])}"
        return text
    return f"at most {float(rule['value']):.0%} of the total cost"

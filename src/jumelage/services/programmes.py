"""Writes for programmes: the award register, award applications, grants,
development projects and the companies engaged in them, and the loading of
the bundled reference data (programmes, DAC list, networks)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from jumelage.domain import awards as award_rules
from jumelage.domain import funding
from jumelage.domain.dates import checked_date, checked_period
from jumelage.domain.north_south import THEMES, dac_entry, theme_problems
from jumelage.domain.permissions import can
from jumelage.errors import Conflict, Invalid, NotFound
from jumelage.services import Writer, check_version, inserted_id
from jumelage.services.common import REFERENCE
from jumelage.services.registry import require_municipality
from jumelage.store import queries_programmes as q
from jumelage.store.schema import link
from jumelage.store.schema_lifecycle import actor
from jumelage.store.schema_programmes import (
    award,
    dac_country,
    dev_project,
    funding_grant,
    programme,
    project_company,
)

DAC_FILE = "dac_list_2024_2025.csv"
DAC_LIST_YEARS = "2024-2025"

# The Council of Europe has awarded the Europe Prize since 1955.
FIRST_AWARD_YEAR = 1955


def _stamps(w: Writer) -> dict[str, Any]:
    return {"created_at": w.now, "created_by": w.actor, "updated_at": w.now}


def _year(value: int, field: str, first: int = FIRST_AWARD_YEAR) -> int:
    last = dt.date.today().year + 1
    if not first <= value <= last:
        raise Invalid(f"{field} must lie between {first} and {last}", field=field, rule="range")
    return value


def _level(level: str) -> str:
    try:
        return award_rules.check_level(level)
    except ValueError as err:
        raise Invalid(str(err), field="level", rule="choice") from None


# --- Europe Prize -----------------------------------------------------------------


def register_award(
    w: Writer, municipality_id: int, level: str, year: int, source: str | None = None
) -> int:
    """Record a distinction the Council of Europe awarded; the ladder's order is enforced."""
    w.require("award.register")
    require_municipality(w, municipality_id)
    _level(level)
    _year(year, "year")
    held = q.awards_held(w.conn, municipality_id)
    problem = award_rules.ladder_problem(level, year, held)
    if problem and level in held:
        raise Conflict(problem, details={"level": level, "year": held[level]})
    if problem:
        raise Invalid(problem, field="level", rule="ladder")
    values = {"municipality_id": municipality_id, "level": level, "year": year, "source": source}
    award_id = inserted_id(w.conn.execute(insert(award).values(**values, **_stamps(w))))
    w.audit("create", "award", award_id, None, values)
    return award_id


def apply_for_award(
    w: Writer, municipality_id: int, level: str, year: int, min_years: int
) -> dict[str, Any]:
    """Prepare an application: the dossier when eligible, else a refusal with every reason."""
    w.require("programme.apply", municipality_id)
    require_municipality(w, municipality_id)
    _level(level)
    _year(year, "year")
    dossier = q.award_dossier(w.conn, municipality_id, level, year, min_years)
    assert dossier is not None
    check = dossier["eligibility"]
    if not check["eligible"]:
        failed = [r for r in check["reasons"] if not r["met"]]
        err = Invalid(
            f"not eligible for the {award_rules.NAMES[level]} in {year}: "
            + "; ".join(r["message"] for r in failed),
            field="level",
            rule=failed[0]["rule"],
        )
        err.details = {**(err.details or {}), "reasons": check["reasons"]}
        raise err
    w.audit("apply", "award_application", municipality_id, None, {"level": level, "year": year})
    return dossier


# --- grants ----------------------------------------------------------------------


def _amount(value: int, field: str = "amount") -> int:
    if value < 0 or value > 10**12:
        raise Invalid(f"{field} must be a whole amount of at least 0", field=field, rule="range")
    return value


def _currency(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise Invalid(f"{value!r} is not an ISO 4217 currency code", field="currency", rule="iso")
    return code


def _programme_id(w: Writer, key: str) -> int:
    found = q.programme_by_key(w.conn, key)
    if found is None:
        raise Invalid(f"no funding programme {key!r}", field="programme", rule="exists")
    return int(found["id"])


def _project_row(w: Writer, project_id: int) -> Any:
    row = w.conn.execute(
        select(dev_project)
        .where(dev_project.c.id == project_id, dev_project.c.deleted_at.is_(None))
        .with_for_update()
    ).first()
    if row is None:
        raise NotFound(f"no development project with id {project_id}")
    return row


def _link_row(w: Writer, link_id: int) -> Any:
    row = w.conn.execute(select(link).where(link.c.id == link_id)).first()
    if row is None:
        raise NotFound(f"no link with id {link_id}")
    return row


def record_grant(
    w: Writer,
    programme_key: str,
    municipality_id: int,
    amount: int,
    year: int,
    link_id: int | None = None,
    project_id: int | None = None,
    currency: str = "EUR",
    note: str | None = None,
) -> int:
    """Record a grant a municipality received for one of its links or projects."""
    w.require("programme.apply", municipality_id)
    if link_id is None and project_id is None:
        raise Invalid("a grant is for a link or a project", field="link_id", rule="required")
    if project_id is not None:
        project_link = _project_row(w, project_id).link_id
        if link_id is not None and link_id != project_link:
            raise Invalid("the project belongs to another link", field="link_id", rule="match")
        link_id = project_link
    assert link_id is not None
    row = _link_row(w, link_id)
    if municipality_id not in (row.a_id, row.b_id):
        raise Invalid(
            "the grantee must be one of the link's two municipalities",
            field="municipality_id",
            rule="side",
        )
    values = {
        "programme_id": _programme_id(w, programme_key),
        "link_id": link_id,
        "project_id": project_id,
        "municipality_id": municipality_id,
        "amount": _amount(amount),
        "currency": _currency(currency),
        "year": _year(year, "year", 1950),
        "note": note,
    }
    grant_id = inserted_id(w.conn.execute(insert(funding_grant).values(**values, **_stamps(w))))
    w.audit("create", "funding_grant", grant_id, None, values)
    return grant_id


# --- development projects ------------------------------------------------------------


def _require_side(w: Writer, row: Any) -> None:
    """An editor acts for either side of the link; refuse when neither is in scope."""
    sides = (row.a_id, row.b_id)
    if not any(can(w.principal, "programme.apply", {s}) for s in sides):
        w.require("programme.apply", *sides)


# Fields a project always holds: a change may give a new value, never none.
_PROJECT_REQUIRED = ("title", "themes", "currency", "funders", "description")


def _checked_project(values: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for name in _PROJECT_REQUIRED:
        if name in out and out[name] is None:
            raise Invalid(f"{name} cannot be emptied with null", field=name, rule="required")
    if "title" in out:
        out["title"] = str(out["title"]).strip()
        if not out["title"] or len(out["title"]) > 300:
            raise Invalid("a project needs a title of 1-300 characters", field="title")
    if "themes" in out:
        themes = list(dict.fromkeys(out["themes"]))
        unknown = theme_problems(themes)
        if not themes or unknown:
            raise Invalid(
                f"themes must be some of {', '.join(THEMES)}", field="themes", rule="choice"
            )
        out["themes"] = themes
    if out.get("budget") is not None:
        out["budget"] = _amount(out["budget"], "budget")
    if "currency" in out:
        out["currency"] = _currency(out["currency"])
    if "funders" in out:
        out["funders"] = [str(f).strip() for f in out["funders"] if str(f).strip()]
    for field in ("start_date", "end_date"):
        if out.get(field):
            out[field] = checked_date(out[field], field)
    return out


def add_dev_project(
    w: Writer,
    link_id: int,
    title: str,
    themes: Sequence[str],
    budget: int | None = None,
    funders: Sequence[str] = (),
    start_date: str | None = None,
    end_date: str | None = None,
    description: str = "",
    currency: str = "EUR",
) -> int:
    """A development project of a partnership (drinking water, wastewater, climate …)."""
    _require_side(w, _link_row(w, link_id))
    values = _checked_project(
        {
            "title": title,
            "themes": list(themes),
            "budget": budget,
            "currency": currency,
            "funders": list(funders),
            "start_date": start_date or None,
            "end_date": end_date or None,
        }
    )
    checked_period(values["start_date"], values["end_date"])
    values |= {"link_id": link_id, "description": description}
    project_id = inserted_id(w.conn.execute(insert(dev_project).values(**values, **_stamps(w))))
    w.audit("create", "dev_project", project_id, None, values)
    return project_id


PROJECT_FIELDS = (
    "title",
    "themes",
    "budget",
    "currency",
    "funders",
    "start_date",
    "end_date",
    "description",
)


def update_dev_project(
    w: Writer, project_id: int, changes: Mapping[str, Any], expected_version: int | None = None
) -> int:
    """Change a project's fields; returns the new version (412 on a stale version)."""
    row = _project_row(w, project_id)
    _require_side(w, _link_row(w, row.link_id))
    check_version(row.version, expected_version, "the project")
    unknown = sorted(set(changes) - set(PROJECT_FIELDS))
    if unknown:
        raise Invalid(f"{unknown[0]} cannot be changed", field=unknown[0], rule="read_only")
    values = _checked_project(changes)
    checked_period(values.get("start_date", row.start_date), values.get("end_date", row.end_date))
    before = {k: getattr(row, k) for k in values}
    w.conn.execute(
        update(dev_project)
        .where(dev_project.c.id == project_id, dev_project.c.version == row.version)
        .values(**values, updated_at=w.now, version=row.version + 1)
    )
    w.audit("update", "dev_project", project_id, before, values)
    return int(row.version) + 1


def engage_company(
    w: Writer,
    project_id: int,
    role: str,
    actor_id: int | None = None,
    company_name: str | None = None,
    company_municipality_id: int | None = None,
) -> int:
    """Record a company engaged in a project (development partnership with business).

    Name an existing actor of kind company, or give a name and a municipality
    to record the company as a new actor.
    """
    project = _project_row(w, project_id)
    _require_side(w, _link_row(w, project.link_id))
    if not role.strip():
        raise Invalid("say what the company does in the project", field="role", rule="required")
    if actor_id is None:
        actor_id = _new_company(w, company_name, company_municipality_id)
    company = w.conn.execute(select(actor).where(actor.c.id == actor_id)).first()
    if company is None or company.deleted_at is not None:
        raise Invalid(f"no actor with id {actor_id}", field="actor_id", rule="exists")
    if company.kind != "company":
        raise Invalid(f"{company.name} is not a company", field="actor_id", rule="kind")
    taken = w.conn.execute(
        select(project_company.c.id).where(
            project_company.c.project_id == project_id, project_company.c.actor_id == actor_id
        )
    ).first()
    if taken:
        raise Conflict(f"{company.name} is already engaged in this project")
    values = {"project_id": project_id, "actor_id": actor_id, "role": role.strip()[:200]}
    engaged = inserted_id(w.conn.execute(insert(project_company).values(**values, **_stamps(w))))
    w.audit("create", "project_company", engaged, None, values)
    return engaged


def _new_company(w: Writer, name: str | None, municipality_id: int | None) -> int:
    if not name or not name.strip() or municipality_id is None:
        raise Invalid(
            "name an actor, or give the company's name and municipality",
            field="actor_id",
            rule="required",
        )
    w.require("people.write", municipality_id)
    require_municipality(w, municipality_id)
    values = {"municipality_id": municipality_id, "name": name.strip()[:200], "kind": "company"}
    actor_id = inserted_id(w.conn.execute(insert(actor).values(**values, **_stamps(w))))
    w.audit("create", "actor", actor_id, None, values)
    return actor_id


# --- reference data ---------------------------------------------------------------


def read_programmes(path: Path = REFERENCE / "programmes.json") -> list[dict[str, Any]]:
    """Programme records from a JSON file; refuses rules outside the vocabulary."""
    records = json.loads(path.read_text(encoding="utf-8"))["programmes"]
    for record in records:
        problems = funding.rule_problems(record.get("rules"))
        if problems:
            raise Invalid(f"{record.get('key')}: {problems[0]}", field="rules", rule="vocabulary")
    return list(records)


def _programme_values(record: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "key": record["key"],
        "name": record["name"],
        "funder": record["funder"],
        "valid_from": record.get("valid_from"),
        "valid_to": record.get("valid_to"),
        "rules": record["rules"],
        "source": " ; ".join(record.get("sources", [])),
    }


def sync_programmes(w: Writer, records: Sequence[Mapping[str, Any]]) -> int:
    """Insert or update programmes by key; returns how many changed."""
    w.require("import")
    changed = 0
    for record in records:
        values = _programme_values(record)
        row = w.conn.execute(select(programme).where(programme.c.key == values["key"])).first()
        if row is None:
            new_id = inserted_id(w.conn.execute(insert(programme).values(**values, **_stamps(w))))
            w.audit("create", "programme", new_id, None, values)
        elif any(getattr(row, k) != v for k, v in values.items()) or row.deleted_at:
            before = {k: getattr(row, k) for k in values}
            after = dict(values)
            if row.deleted_at:  # a withdrawn programme comes back, and its record says so
                before["deleted_at"], after["deleted_at"] = row.deleted_at, None
            w.conn.execute(
                update(programme)
                .where(programme.c.id == row.id)
                .values(**values, updated_at=w.now, deleted_at=None, version=row.version + 1)
            )
            w.audit("update", "programme", row.id, before, after)
        else:
            continue
        changed += 1
    return changed


def read_dac_list(path: Path = REFERENCE / DAC_FILE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        entries = [dac_entry(row, DAC_LIST_YEARS) for row in csv.DictReader(handle)]
    return [
        {
            "iso2": e.iso2,
            "name": e.name,
            "income_group": e.income_group,
            "list_years": e.list_years,
            "verified": int(e.verified),
            "note": e.note,
        }
        for e in entries
    ]


def sync_dac_list(w: Writer, rows: Sequence[Mapping[str, Any]]) -> bool:
    """Make the rows of each list year equal to `rows`; True when something changed."""
    w.require("import")
    columns = ["iso2", "name", "income_group", "list_years", "verified", "note"]
    years = sorted({r["list_years"] for r in rows})
    have = {
        (r.iso2, r.list_years): r
        for r in w.conn.execute(select(dac_country).where(dac_country.c.list_years.in_(years)))
    }
    changed = False
    for wanted in rows:
        row = have.pop((wanted["iso2"], wanted["list_years"]), None)
        if row is None:
            w.conn.execute(insert(dac_country).values(**{c: wanted[c] for c in columns}))
            changed = True
        elif any(getattr(row, c) != wanted[c] for c in columns):
            w.conn.execute(update(dac_country).where(dac_country.c.id == row.id).values(**wanted))
            changed = True
    for stale in have.values():
        w.conn.execute(dac_country.delete().where(dac_country.c.id == stale.id))
        changed = True
    if changed:
        w.audit("sync", "dac_country", None, None, {"list_years": years, "rows": len(rows)})
    return changed

"""Reference tables the registry keeps in step with the domain (sovereignty periods)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select

from jumelage.domain.states import PERIODS
from jumelage.services import Writer
from jumelage.store.schema import sovereignty_period


def _period_rows() -> list[dict[str, Any]]:
    rows = []
    for period in PERIODS:
        for country in period.countries:
            for admin in period.admin_codes or (None,):
                rows.append(
                    {
                        "state_key": period.state.key,
                        "state_name": period.state.name,
                        "country": country,
                        "admin_code": admin,
                        "valid_from": period.start.isoformat() if period.start else None,
                        "valid_to": period.end.isoformat() if period.end else None,
                        "note": period.note,
                    }
                )
    return rows


def sync_sovereignty_periods(w: Writer) -> bool:
    """Make the table equal to the domain's periods; True when it changed."""
    wanted = _period_rows()
    columns = [c for c in sovereignty_period.c if c.name != "id"]
    have = [
        dict(r._mapping) for r in w.conn.execute(select(*columns).order_by(sovereignty_period.c.id))
    ]
    if have == wanted:
        return False
    w.conn.execute(delete(sovereignty_period))
    w.conn.execute(insert(sovereignty_period), wanted)
    w.audit("sync", "sovereignty_period", None, {"rows": len(have)}, {"rows": len(wanted)})
    return True

"""Reference tables the registry keeps in step with the domain (sovereignty periods)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, delete, insert, select

from jumelage.domain.states import PERIODS
from jumelage.services import Writer, writing
from jumelage.services.networks import read_reference_networks, sync_reference_network
from jumelage.services.programmes import (
    DAC_LIST_YEARS,
    read_dac_list,
    read_programmes,
    sync_dac_list,
    sync_programmes,
)
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


def load_reference_data(engine: Engine, actor_name: str = "jumelage reference") -> dict[str, Any]:
    """Load programmes, the DAC list and networks with their members into the registry.

    Idempotent: a second call changes nothing (and writes no audit record).
    """
    with writing(engine, actor_name) as w:
        report: dict[str, Any] = {
            "programmes_changed": sync_programmes(w, read_programmes()),
            "dac_list_changed": sync_dac_list(w, read_dac_list()),
            "dac_list": DAC_LIST_YEARS,
            "networks": {
                record["key"]: sync_reference_network(w, record, rows)
                for record, rows in read_reference_networks()
            },
        }
        report["changed"] = w.changed
    return report

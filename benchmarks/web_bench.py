"""Server time of the web pages on the bundled registry.

    python benchmarks/web_bench.py [--data-dir DIR] [--database-url URL] [--repeat N]

Without --database-url the bundled dataset (and the reference programmes and
networks) is loaded into a SQLite database in DIR, once. Each page is requested
in process through the ASGI app (no network, no browser): the first request
(cold: caches of statistics and map data empty) and then N more (warm), whose
median and 95th percentile are printed. The figures are written down in
benchmarks/WEB.md; the target is 300 ms per page.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from jumelage.app import create_app
from jumelage.registry import Registry, initialise, open_registry
from jumelage.services.bundle import registry_is_empty
from jumelage.services.programmes import load_reference_data
from jumelage.settings import load_settings
from jumelage.store.schema import link, municipality

warnings.filterwarnings("ignore", category=DeprecationWarning)

PAGES = (
    "/",
    "/search?q=Koln",
    "/search/suggest?q=Kol",
    "/m/Q365",
    "/m/Q365?lang=de",
    "/m/Q656",
    "/links/{link}",
    "/searches",
    "/statistics",
    "/statistics/network",
    "/networks",
    "/networks/hanse",
    "/programmes",
    "/programmes?programme=cerv-town-twinning&applicant=Q365&partners=Q90&participants=50",
    "/m/Q365/europe-prize",
    "/matching/Q365",
    "/matching/Q365?mode=contrast&country=FR",
    "/matching/Q365/top",
    "/map/data.json?lang=en",
    "/about",
)
TARGET_MS = 300


def registry_for(data_dir: Path, url: str | None) -> Registry:
    env = {"JUMELAGE_DATA_DIR": str(data_dir), "JUMELAGE_SECRET_KEY": "bench"}
    if url:
        env["JUMELAGE_DATABASE_URL"] = url
    registry = open_registry(load_settings(env))
    if registry_is_empty(registry.engine) if _migrated(registry) else True:
        started = time.perf_counter()
        initialise(registry, "bundled")
        load_reference_data(registry.engine)
        print(f"loaded the bundled dataset in {time.perf_counter() - started:.1f} s")
    return registry


def _migrated(registry: Registry) -> bool:
    from jumelage.store.db import is_migrated

    return is_migrated(registry.engine)


def a_link_of_koeln(registry: Registry) -> int:
    with registry.engine.connect() as conn:
        koeln = conn.execute(select(municipality.c.id).where(municipality.c.qid == "Q365"))
        mid = koeln.scalar_one()
        found = conn.execute(select(link.c.id).where(link.c.a_id == mid).order_by(link.c.id))
        return int(found.scalars().first() or 1)


def measure(client: TestClient, path: str, repeat: int) -> tuple[float, float, float, int, int]:
    """Cold time, warm median and warm 95th percentile in ms; status; bytes sent."""

    def once() -> tuple[float, int, int]:
        started = time.perf_counter()
        answer = client.get(path, headers={"accept-encoding": "gzip"})
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, answer.status_code, int(answer.headers.get("content-length", 0))

    cold, status, size = once()
    warm = sorted(once()[0] for _ in range(repeat))
    p95 = warm[min(len(warm) - 1, int(len(warm) * 0.95))]
    return cold, statistics.median(warm), p95, status, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/jumelage-web-bench"))
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    registry = registry_for(args.data_dir, args.database_url)
    link_id = a_link_of_koeln(registry)
    print(f"database: {registry.engine.dialect.name}; {args.repeat} warm requests per page")
    print(f"{'page':<64} {'cold ms':>9} {'warm ms':>9} {'p95 ms':>8} {'bytes':>9}")
    with TestClient(create_app(registry)) as client:
        for template in PAGES:
            path = template.format(link=link_id)
            cold, median, p95, status, size = measure(client, path, args.repeat)
            flag = "" if median <= TARGET_MS else "  over target"
            shown = path if len(path) <= 62 else path[:59] + "..."
            print(f"{shown:<64} {cold:9.1f} {median:9.1f} {p95:8.1f} {size:9d} {status}{flag}")


if __name__ == "__main__":
    main()

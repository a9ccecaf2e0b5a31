"""A throw-away PostgreSQL server for the benchmark, started and stopped by the
project's own script (`.ci/postgres.sh`: initdb in a temporary folder, fsync off),
and the bundled data loaded into it by `jumelage init`."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SCRIPT_NAME = ".ci/postgres.sh"


@dataclass
class Postgres:
    script: Path
    port: int
    folder: str
    bin: str
    version: str

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        runner = "PG_AS=(runuser -u postgres --);" if os.getuid() == 0 else "PG_AS=();"
        subprocess.run(
            [
                "bash",
                "-c",
                f'source "{self.script}"; PG_TMP="{self.folder}"; PG_BIN="{self.bin}";'
                f" {runner} stop_postgres",
            ],
            check=False,
        )


def start(repo: Path) -> Postgres:
    script = repo / SCRIPT_NAME
    out = subprocess.run(
        [
            "bash",
            "-c",
            f'source "{script}"; start_postgres >/dev/null;'
            ' echo "$PGPORT $PG_TMP $PG_BIN"; "$PG_BIN/postgres" --version',
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    port, folder, bin_ = out[0].split()
    return Postgres(script, int(port), folder, bin_, out[1].split()[2])


def load(server: Postgres, data_dir: Path) -> None:
    """The bundled data, as `jumelage init` loads it into SQLite for the other runs."""
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "JUMELAGE_DATA_DIR": str(data_dir),
        "JUMELAGE_DATABASE_URL": server.url,
        "JUMELAGE_LOG_LEVEL": "warning",
        "JUMELAGE_SECRET_KEY": "benchmark",
    }
    subprocess.run(
        [sys.executable, "-m", "jumelage", "init"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )

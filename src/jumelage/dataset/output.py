"""Deterministic gzip CSV files: UTF-8, header row, `\\n` line ends, no timestamp, no file name."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

Cell = str | int | float | None


def cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        text = f"{value:.5f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    return str(value)


def write_csv_gz(path: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """Write the rows; return the sha256 of the written bytes."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    data = raw.getvalue()
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def read_csv_gz(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))

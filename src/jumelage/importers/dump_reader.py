"""Reading a large line-oriented dump fast: decompress in blocks, find lines by needle.

Most lines of a Wikidata dump matter to no importer, so the file is not split
into lines at all: blocks of decompressed bytes are searched for a pattern (one
regular expression pass in C) and only the lines where it matches are cut out, with their
line numbers (the newlines before them, counted by `bytes.count`).

Decompression runs in a `gzip -dc` / `bzip2 -dc` process when the program is
installed, so it proceeds on another core while Python searches and parses;
otherwise Python's own gzip and bz2 modules decompress.
"""

from __future__ import annotations

import bz2
import fcntl
import gzip
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

BLOCK = 1 << 20
F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)
_PROGRAMS = {".gz": ("gzip", "-dc"), ".bz2": ("bzip2", "-dc")}


@contextmanager
def _python_reader(path: Path) -> Iterator[IO[bytes]]:
    if path.suffix == ".gz":
        handle: IO[bytes] = gzip.GzipFile(path, "rb")  # type: ignore[assignment]
    elif path.suffix == ".bz2":
        handle = bz2.BZ2File(path, "rb")
    else:
        handle = path.open("rb")
    with handle:
        yield handle


def blocks(path: Path, use_programs: bool = True) -> Iterator[bytes]:
    """The decompressed content of `path` (plain, .gz or .bz2) in blocks.

    Raises OSError when the file cannot be decompressed.
    """
    program = _PROGRAMS.get(path.suffix)
    if use_programs and program and shutil.which(program[0]):
        yield from _program_blocks([*program, str(path)])
        return
    with _python_reader(path) as handle:
        while chunk := handle.read(BLOCK):
            yield chunk


def _program_blocks(command: list[str]) -> Iterator[bytes]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    out = process.stdout.fileno()
    with suppress(OSError):
        # A larger pipe: fewer reads and wake-ups (Linux; the default is 64 KiB).
        fcntl.fcntl(out, F_SETPIPE_SZ, BLOCK)
    try:
        while chunk := process.stdout.read(BLOCK):
            yield chunk
        error = process.stderr.read().decode(errors="replace").strip()
        if process.wait() != 0:
            raise OSError(error or f"{command[0]} failed")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def lines_with(chunks: Iterator[bytes], needle: re.Pattern[bytes]) -> Iterator[tuple[int, bytes]]:
    """(line number from 1, line without its newline) of each line where `needle` matches."""
    pending: list[bytes] = []  # the start of a line that goes on in the next chunk
    cursor = _Cursor()
    for chunk in chunks:
        first = chunk.find(b"\n")
        if first < 0:
            pending.append(chunk)
            continue
        if pending:
            head = b"".join([*pending, chunk[: first + 1]])
            yield from _hits(head, 0, len(head), needle, cursor)
        else:
            yield from _hits(chunk, 0, first + 1, needle, cursor)
        end = chunk.rfind(b"\n") + 1
        yield from _hits(chunk, first + 1, end, needle, cursor)
        pending = [chunk[end:]] if end < len(chunk) else []
    if pending:
        tail = b"".join(pending) + b"\n"
        yield from _hits(tail, 0, len(tail), needle, cursor)


class _Cursor:
    """Lines counted so far (all of them, hits or not)."""

    lines = 0


def _hits(
    block: bytes, begin: int, end: int, needle: re.Pattern[bytes], cursor: _Cursor
) -> Iterator[tuple[int, bytes]]:
    """The lines of block[begin:end] (whole lines) where the needle matches, in order;
    counts every line of the span into `cursor`."""
    counted_to = begin
    while found := needle.search(block, counted_to, end):
        hit = found.start()
        start = max(block.rfind(b"\n", begin, hit) + 1, begin)
        stop = block.find(b"\n", hit, end)
        cursor.lines += block.count(b"\n", counted_to, start) + 1
        counted_to = stop + 1
        yield cursor.lines, block[start:stop]
    cursor.lines += block.count(b"\n", counted_to, end)

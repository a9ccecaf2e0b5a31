"""What read queries need the whole registry for, kept in memory per data version.

"The links between two countries" costs the database a walk through every place
of one of them, and a name search (`LIKE '%…%'`) a scan of every name: no index
serves either. These maps cost one scan each per data version and then answer
from memory; the queries in `queries.py` then read just the rows they name.

Every write bumps `registry_state.data_version` in its own transaction, and the
version is read in the caller's transaction, so an index is always of the
snapshot the caller reads. Indexes are kept for a few databases at a time.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Connection, select

from jumelage.store.cache import PerVersion
from jumelage.store.schema import link, municipality, municipality_name

T = TypeVar("T")


@dataclass(frozen=True)
class Graph:
    pairs: dict[tuple[str, str], list[int]]  # two countries, in order -> link ids, in order

    def between(self, first: str, second: str) -> list[int]:
        """Ids of the links between a place of `first` and one of `second`, in order."""
        return self.pairs.get((first, second) if first <= second else (second, first), [])


def _graph(conn: Connection) -> Graph:
    country = dict(conn.execute(select(municipality.c.id, municipality.c.country)).all())
    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
    for link_id, a_id, b_id in conn.execute(
        select(link.c.id, link.c.a_id, link.c.b_id).order_by(link.c.id)
    ):
        x, y = country.get(a_id), country.get(b_id)
        if x and y:
            pairs[(x, y) if x <= y else (y, x)].append(link_id)
    return Graph(dict(pairs))


@dataclass(frozen=True)
class Names:
    """Every folded name, one line each ("folded TAB folded_alt"), in one string."""

    text: str
    starts: list[int]  # where each line starts
    owners: list[int]  # the municipality of each line

    def containing(self, key: str, most: int) -> set[int] | None:
        """The municipalities with a name containing `key` (in any case): a superset
        of the database's answer; None when more than `most` (not worth narrowing)."""
        key = key.lower()
        if not key or "\t" in key or "\n" in key:
            return None
        found: set[int] = set()
        at = self.text.find(key)
        while at >= 0:
            line = bisect_right(self.starts, at) - 1
            found.add(self.owners[line])
            if len(found) > most:
                return None
            after = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
            at = self.text.find(key, after)
        return found


def _names(conn: Connection) -> Names:
    n = municipality_name.c
    parts, starts, owners = [], [], []
    at = 0
    for owner, folded, folded_alt in conn.execute(
        select(n.municipality_id, n.folded, n.folded_alt)
    ):
        line = f"{folded}\t{folded_alt or ''}\n".lower()
        parts.append(line)
        starts.append(at)
        owners.append(owner)
        at += len(line)
    return Names("".join(parts), starts, owners)


COUNTRY_PAIRS: PerVersion[Graph] = PerVersion(_graph)
NAMES: PerVersion[Names] = PerVersion(_names)

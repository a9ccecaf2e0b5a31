"""Statistics and network analysis of the registry, each figure with its definition.

Pure cores: plain data in (a `Snapshot` of places and links), plain dicts out. No
database, no web. `jumelage.store.queries_stats` reads the snapshot and caches
the results by the registry's data version.
"""

"""Build of the bundled twinning dataset from public sources (build time only)."""

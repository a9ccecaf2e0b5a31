"""jumelage: the open registry and workbench for town twinning."""

__version__ = "0.1.0"

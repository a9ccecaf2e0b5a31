"""The server-rendered web pages (Jinja2), on the same queries as the JSON API."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)

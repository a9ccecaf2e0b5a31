"""Endpoints of /api/v1 for stats."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1")

"""Endpoints of /api/v1 for accounts."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1")

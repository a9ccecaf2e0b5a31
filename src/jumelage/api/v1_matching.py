"""Endpoints of /api/v1 for matching."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1")

"""Shared fixtures: every test that touches a store gets a fresh temporary SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def tmp_db(tmp_path: Path) -> str:
    """The path of a new, not yet created SQLite store, private to this test."""
    return str(tmp_path / "graph.db")

"""A killed ingest loses nothing and duplicates nothing: `alliancegraph ingest` is SIGKILLed twice while it
stores a batch, re-run each time, and the store it ends with equals that of one uninterrupted run.

The articles of a batch are written in one transaction, so a kill leaves whole batches (it loses at most
the one being written); a re-run skips what is stored (same id, same text) and completes the rest.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from store_dump import dump
from synthetic_news import write_batch

pytestmark = pytest.mark.slow

ARTICLES = 240
SUMMARY = re.compile(r"documents (\d+) \(unchanged (\d+)\), skipped (\d+)")


def _command(folder: Path, db: Path) -> list[str]:
    script = Path(sys.executable).with_name("alliancegraph")
    head = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from alliancegraph.cli import app; app()"]
    )
    return [*head, "ingest", str(folder), "--db", str(db)]


def _ingest(folder: Path, db: Path) -> tuple[int, int, int]:
    """Run ingest to the end; (stored, unchanged, skipped) from its summary line."""
    done = subprocess.run(_command(folder, db), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    found = SUMMARY.search(" ".join(done.stdout.split()))
    assert found, done.stdout
    stored, unchanged, skipped = (int(n) for n in found.groups())
    return stored, unchanged, skipped


def _documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet, or busy
        return 0


def _ingest_and_kill(folder: Path, db: Path, at_least: int) -> int:
    """Start ingest, SIGKILL it once `at_least` documents are stored; the documents then stored."""
    proc = subprocess.Popen(
        _command(folder, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 600
        while _documents(db) < at_least:
            assert proc.poll() is None, "ingest ended before it could be killed"
            assert time.monotonic() < deadline, "ingest stored too little in 10 minutes"
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)  # the group this test started: the CLI and any workers
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    return _documents(db)


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("kill") / "news"
    return folder, write_batch(folder, ARTICLES)


@pytest.fixture(scope="module")
def reference(batch, tmp_path_factory) -> dict[str, list[tuple[Any, ...]]]:
    folder, ids = batch
    db = tmp_path_factory.mktemp("reference") / "graph.db"
    assert _ingest(folder, db) == (len(ids), 0, 0)
    return dump(db)


def test_kill_rerun_ends_with_the_store_of_an_uninterrupted_run(batch, reference, tmp_path):
    folder, ids = batch
    db = tmp_path / "graph.db"

    first = _ingest_and_kill(folder, db, at_least=ARTICLES // 4)
    second = _ingest_and_kill(folder, db, at_least=ARTICLES // 2)
    assert 0 < first <= second < ARTICLES, (first, second)

    stored, unchanged, skipped = _ingest(folder, db)
    assert (unchanged, stored, skipped) == (second, ARTICLES - second, 0)

    after = dump(db)
    assert sorted(after) == sorted(reference)
    for table in reference:
        missing = set(reference[table]) - set(after[table])
        extra = set(after[table]) - set(reference[table])
        assert not missing and not extra, f"{table}: {len(missing)} lost, {len(extra)} not in the reference"
        assert len(after[table]) == len(reference[table]), f"{table}: duplicated rows"
    assert [dict(r)["id"] for r in after["documents"]] == ids
    assert reference["facts"] and reference["evidence"]

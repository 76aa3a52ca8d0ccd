"""What a SQLite store holds, as comparable data: every table's rows, sorted, with surrogate ids and the
time of the run left out, so that two stores that say the same thing compare equal."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

RUN_COLUMNS = {("documents", "ingested_at")}
"""Columns that record when a run happened, not what it stored."""

Rows = dict[str, list[tuple[Any, ...]]]


def dump(db: Path) -> Rows:
    """Every table's rows, sorted, as what they say: surrogate integer ids are replaced by the natural
    key of the evidence they stand for, and the time of the run is left out."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        span = {
            row[0]: row[1:] for row in conn.execute('SELECT id, fact_id, doc_id, start, "end" FROM evidence')
        }
        out: Rows = {}
        for table in sorted(tables):
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            rows = []
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                rows.append(_comparable(table, dict(zip(columns, row, strict=True)), span))
            out[table] = sorted(rows, key=repr)
    return out


def dump_store(location: str) -> Rows:
    """`dump` of a store on either database (an SQLite path or a PostgreSQL URL), read through the
    store's own engine and tables."""
    from sqlalchemy import select

    from alliancegraph.store import Store
    from alliancegraph.store.schema import evidence, metadata

    with Store.open(location, create=False) as store, store._engine.connect() as conn:
        span = {
            row[0]: tuple(row[1:])
            for row in conn.execute(
                select(evidence.c.id, evidence.c.fact_id, evidence.c.doc_id, evidence.c.start, evidence.c.end)
            )
        }
        out: Rows = {}
        for name, table in sorted(metadata.tables.items()):
            rows = []
            for row in conn.execute(select(table)):
                rows.append(_comparable(name, dict(row._mapping), span))
            out[name] = sorted(rows, key=repr)
    return out


def _comparable(table: str, values: dict, span: dict) -> tuple:
    """A row as (column, value) pairs without what differs between two runs that store the same: the
    surrogate ids of evidence and history (an evidence id becomes the span it names) and the times of
    the run (`RUN_COLUMNS`)."""
    if table in ("evidence", "fact_history"):
        values.pop("id")
    if "evidence_id" in values:
        values["evidence_id"] = span.get(values["evidence_id"])
    for column in [c for c in values if (table, c) in RUN_COLUMNS]:
        values.pop(column)
    return tuple(sorted(values.items(), key=lambda kv: kv[0]))

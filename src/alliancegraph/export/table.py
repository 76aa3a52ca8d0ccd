"""CSV: one row per consolidated fact, with both clocks, corroboration and where it was read."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from alliancegraph.query.graph import Graph
from alliancegraph.query.views import FactView

COLUMNS: tuple[str, ...] = (
    "id", "relation", "head_id", "head", "head_type", "tail_id", "tail", "tail_type", "status", "future",
    "valid_time", "first_seen", "last_seen", "ended", "corroboration", "evidence_count", "attributes",
    "documents", "first_sentence",
)  # fmt: skip
"""The header row. `documents` lists the evidence documents separated by spaces; `attributes` is JSON."""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def row(fact: FactView) -> dict[str, Any]:
    """The CSV row of a fact; text fields are on one line (line breaks become spaces)."""
    first = fact.evidence[0] if fact.evidence else None
    return {
        "id": fact.id,
        "relation": fact.relation,
        "head_id": fact.head_id,
        "head": _one_line(fact.head),
        "head_type": fact.head_type,
        "tail_id": fact.tail_id or "",
        "tail": _one_line(fact.tail or ""),
        "tail_type": fact.tail_type or "",
        "status": fact.status,
        "future": "true" if fact.future else "false",
        "valid_time": fact.time or "",
        "first_seen": fact.first_seen.isoformat() if fact.first_seen else "",
        "last_seen": fact.last_seen.isoformat() if fact.last_seen else "",
        "ended": fact.ended.isoformat() if fact.ended else "",
        "corroboration": fact.corroboration,
        "evidence_count": len(fact.evidence),
        "attributes": json.dumps(dict(fact.attributes), ensure_ascii=False, sort_keys=True),
        "documents": " ".join(dict.fromkeys(e.doc for e in fact.evidence)),
        "first_sentence": _one_line(first.sentence) if first else "",
    }


def write(graph: Graph, out: Path) -> list[Path]:
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(COLUMNS))
        writer.writeheader()
        for fact in graph.iter_facts():
            writer.writerow(row(fact))
    return [out]

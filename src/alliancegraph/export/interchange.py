"""The fact interchange format: one JSON object per line, one line per distinct fact per document,
as that document states it (see the README of the evaluation)."""

from __future__ import annotations

import json
from pathlib import Path

from alliancegraph.query.graph import Graph


def write(graph: Graph, out: Path) -> list[Path]:
    with out.open("w", encoding="utf-8") as f:
        for row in graph.interchange():
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return [out]

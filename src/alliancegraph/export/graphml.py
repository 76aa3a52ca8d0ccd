"""GraphML (through networkx): entities are nodes, facts are directed edges keyed by fact id.

GraphML has no null, so absent values are left out of a node or edge rather than written empty.
Partner_of edges run from the entity with the smaller id (the fact is symmetric). `launch` facts
without a market have no edge.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from alliancegraph.query.graph import Graph


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != ""}


def build(graph: Graph) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(name="AllianceGraph")
    aliases: dict[str, list[str]] = {}
    for a in graph.store.alias_rows():
        aliases.setdefault(a["entity_id"], []).append(a["alias"])
    for e in graph.store.entity_rows():
        g.add_node(
            e["id"],
            **_clean(
                {
                    "name": e["name"],
                    "type": e["type"],
                    "kind": e["kind"],
                    "parent": e["parent_id"],
                    "wikidata": e["wikidata"],
                    "aliases": "; ".join(a for a in aliases.get(e["id"], []) if a != e["name"]),
                }
            ),
        )
    for fact in graph.iter_facts():
        if fact.tail_id is None:
            continue
        g.add_edge(
            fact.head_id,
            fact.tail_id,
            key=fact.id,
            **_clean(
                {
                    "relation": fact.relation,
                    "status": fact.status,
                    "future": fact.future,
                    "valid_time": fact.time,
                    "first_seen": fact.first_seen.isoformat() if fact.first_seen else None,
                    "last_seen": fact.last_seen.isoformat() if fact.last_seen else None,
                    "ended": fact.ended.isoformat() if fact.ended else None,
                    "corroboration": fact.corroboration,
                    "evidence_count": len(fact.evidence),
                    "attributes": json.dumps(dict(fact.attributes), sort_keys=True)
                    if fact.attributes
                    else None,
                    "documents": " ".join(dict.fromkeys(e.doc for e in fact.evidence)),
                }
            ),
        )
    return g


def write(graph: Graph, out: Path) -> list[Path]:
    nx.write_graphml(build(graph), out, encoding="utf-8")
    return [out]

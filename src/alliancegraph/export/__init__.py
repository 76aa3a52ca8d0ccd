"""Exports of the graph, one module per format, all reading through `alliancegraph.query.Graph`.

`export(graph, format, out)` writes one format and returns the paths written. Formats:

- ``jsonl``: the fact interchange format, one line per fact per document (`interchange`);
- ``csv``: one row per consolidated fact (`table`);
- ``graphml``: entities and facts as a networkx multigraph (`graphml`);
- ``neo4j``: a folder of CSV files with the headers ``neo4j-admin database import`` reads, plus a
  Cypher ``LOAD CSV`` script (`neo4j`);
- ``turtle`` and ``jsonld``: RDF, each fact a reified statement and a PROV-O entity derived from its
  evidence, which is quoted from its article (`rdf`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alliancegraph.errors import InvalidQuery
from alliancegraph.export import graphml, interchange, neo4j, rdf, table
from alliancegraph.query.graph import Graph

Exporter = Callable[[Graph, Path], list[Path]]

FORMATS: dict[str, Exporter] = {
    "jsonl": interchange.write,
    "csv": table.write,
    "graphml": graphml.write,
    "neo4j": neo4j.write,
    "turtle": rdf.write_turtle,
    "jsonld": rdf.write_jsonld,
}


def export(graph: Graph, format: str, out: Path | str) -> list[Path]:
    """Write the graph in `format` to `out` (a file; a folder for ``neo4j``). Returns the paths written.
    Raises `InvalidQuery` for an unknown format."""
    writer = FORMATS.get(format)
    if writer is None:
        raise InvalidQuery(f"Unknown export format {format!r}. Use one of: {', '.join(FORMATS)}.")
    out = Path(out)
    if format != "neo4j":
        out.parent.mkdir(parents=True, exist_ok=True)
    return writer(graph, out)


__all__ = ["FORMATS", "export"]

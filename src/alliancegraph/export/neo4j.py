"""Neo4j: a folder of CSV files in the format of ``neo4j-admin database import full``, and a Cypher
``LOAD CSV`` script (``load.cypher``) for a running server.

Nodes: ``entities.csv`` (label Entity plus the entity type, e.g. ``Entity;ORG``), ``documents.csv``
(Document) and ``evidence.csv`` (Evidence: one sentence of one document stating one fact).
Relationships: ``facts.csv`` (one per fact, typed by its relation in upper case, e.g. PARTNER_OF, with
``evidence`` listing its Evidence ids), ``quoted_from.csv`` (Evidence to Document) and ``parents.csv``
(PARENT: an entity to its parent in the knowledge file). Headers use the import tool's typed fields
(``:ID(Entity)``, ``:date``, ``:int``, ``:boolean``, ``string[]`` with ``;`` between items); an empty
field is no property. Line breaks inside text become spaces, so ``--multiline-fields`` is not needed.
`launch` facts without a market have no relationship.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from alliancegraph.query.graph import Graph

ENTITY_HEADER = ["entityId:ID(Entity)", "name", "type", "kind", "wikidata", "aliases:string[]", ":LABEL"]
DOCUMENT_HEADER = ["docId:ID(Document)", "title", "published:date", "url", "story", ":LABEL"]
EVIDENCE_HEADER = [
    "evidenceId:ID(Evidence)", "factId", "sentence", "start:int", "end:int", "status", "future:boolean",
    "time", "published:date", ":LABEL",
]  # fmt: skip
FACT_HEADER = [
    ":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "factId", "status", "future:boolean", "validTime",
    "firstSeen:date", "lastSeen:date", "ended:date", "corroboration:int", "evidenceCount:int",
    "evidence:string[]", "attributes",
]  # fmt: skip
QUOTED_HEADER = [":START_ID(Evidence)", ":END_ID(Document)", ":TYPE"]
PARENT_HEADER = [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"]

FILES = ("entities.csv", "documents.csv", "evidence.csv", "facts.csv", "quoted_from.csv", "parents.csv")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _array(items: Iterable[str]) -> str:
    return ";".join(_text(i).replace(";", ",") for i in items)


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for r in rows:
            writer.writerow([_text(v) for v in r])


def write(graph: Graph, out: Path) -> list[Path]:
    """Write the CSV files and ``load.cypher`` into the folder `out` (created if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    aliases: dict[str, list[str]] = {}
    for a in graph.store.alias_rows():
        aliases.setdefault(a["entity_id"], []).append(a["alias"])
    entity_rows = graph.store.entity_rows()
    known = {e["id"] for e in entity_rows}
    _write(
        out / "entities.csv",
        ENTITY_HEADER,
        (
            [e["id"], _text(e["name"]), e["type"], e["kind"], e["wikidata"], _array(aliases.get(e["id"], [])),
             f"Entity;{e['type']}"]
            for e in entity_rows
        ),
    )  # fmt: skip
    _write(
        out / "documents.csv",
        DOCUMENT_HEADER,
        (
            [d["id"], _text(d["title"]), d["published"], d["url"], d["story"], "Document"]
            for d in graph.store.document_rows()
        ),
    )
    _write(
        out / "parents.csv",
        PARENT_HEADER,
        ([e["id"], e["parent_id"], "PARENT"] for e in entity_rows if e["parent_id"] in known),
    )
    evidence_rows: list[list[Any]] = []
    quoted: list[list[Any]] = []
    fact_rows: list[list[Any]] = []
    for fact in graph.iter_facts():
        ids = []
        for n, ev in enumerate(fact.evidence):
            eid = f"{fact.id}-{n}"
            ids.append(eid)
            evidence_rows.append(
                [
                    eid,
                    fact.id,
                    _text(ev.sentence),
                    ev.start,
                    ev.end,
                    ev.status,
                    ev.future,
                    ev.time,
                    ev.published,
                    "Evidence",
                ]
            )
            quoted.append([eid, ev.doc, "QUOTED_FROM"])
        if fact.tail_id is None:
            continue
        fact_rows.append(
            [
                fact.head_id, fact.tail_id, fact.relation.upper(), fact.id, fact.status, fact.future,
                fact.time, fact.first_seen, fact.last_seen, fact.ended, fact.corroboration,
                len(fact.evidence), _array(ids),
                json.dumps(dict(fact.attributes), sort_keys=True) if fact.attributes else "",
            ]
        )  # fmt: skip
    _write(out / "evidence.csv", EVIDENCE_HEADER, evidence_rows)
    _write(out / "quoted_from.csv", QUOTED_HEADER, quoted)
    _write(out / "facts.csv", FACT_HEADER, fact_rows)
    types = sorted({r[2] for r in fact_rows})
    (out / "load.cypher").write_text(cypher(types), encoding="utf-8")
    return [out / name for name in FILES] + [out / "load.cypher"]


def admin_command(database: str = "neo4j") -> str:
    """The ``neo4j-admin`` command that imports the CSV files (run from the export folder)."""
    return (
        f"neo4j-admin database import full {database} --overwrite-destination "
        "--nodes=entities.csv --nodes=documents.csv --nodes=evidence.csv "
        "--relationships=facts.csv --relationships=quoted_from.csv --relationships=parents.csv "
        "--array-delimiter=';'"
    )


def cypher(types: Sequence[str]) -> str:
    """A LOAD CSV script for the same files, placed in the server's import folder."""
    lines = [
        "// AllianceGraph export: load with cypher-shell -f load.cypher after copying the CSV files into",
        "// the server's import folder. Offline alternative (empty database):",
        f"//   {admin_command()}",
        "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;",
        "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE;",
        "CREATE CONSTRAINT evidence_id IF NOT EXISTS FOR (v:Evidence) REQUIRE v.id IS UNIQUE;",
        "LOAD CSV WITH HEADERS FROM 'file:///entities.csv' AS row",
        "MERGE (e:Entity {id: row.`entityId:ID(Entity)`})",
        "SET e.name = row.name, e.type = row.type, e.kind = row.kind, e.wikidata = row.wikidata,",
        "    e.aliases = CASE WHEN row.`aliases:string[]` IS NULL THEN []",
        "                ELSE split(row.`aliases:string[]`, ';') END;",
        "LOAD CSV WITH HEADERS FROM 'file:///documents.csv' AS row",
        "MERGE (d:Document {id: row.`docId:ID(Document)`})",
        "SET d.title = row.title, d.published = date(row.`published:date`), d.url = row.url,",
        "    d.story = row.story;",
        "LOAD CSV WITH HEADERS FROM 'file:///evidence.csv' AS row",
        "MERGE (v:Evidence {id: row.`evidenceId:ID(Evidence)`})",
        "SET v.factId = row.factId, v.sentence = row.sentence, v.start = toInteger(row.`start:int`),",
        "    v.end = toInteger(row.`end:int`), v.status = row.status,",
        "    v.future = row.`future:boolean` = 'true',",
        "    v.time = row.time, v.published = date(row.`published:date`);",
        "LOAD CSV WITH HEADERS FROM 'file:///quoted_from.csv' AS row",
        "MATCH (v:Evidence {id: row.`:START_ID(Evidence)`})",
        "MATCH (d:Document {id: row.`:END_ID(Document)`})",
        "MERGE (v)-[:QUOTED_FROM]->(d);",
        "LOAD CSV WITH HEADERS FROM 'file:///parents.csv' AS row",
        "MATCH (c:Entity {id: row.`:START_ID(Entity)`}), (p:Entity {id: row.`:END_ID(Entity)`})",
        "MERGE (c)-[:PARENT]->(p);",
    ]
    for rel_type in types:
        lines += [
            "LOAD CSV WITH HEADERS FROM 'file:///facts.csv' AS row",
            f"WITH row WHERE row.`:TYPE` = '{rel_type}'",
            "MATCH (a:Entity {id: row.`:START_ID(Entity)`}), (b:Entity {id: row.`:END_ID(Entity)`})",
            f"MERGE (a)-[r:{rel_type} {{factId: row.factId}}]->(b)",
            "SET r.status = row.status, r.future = row.`future:boolean` = 'true',",
            "    r.validTime = row.validTime,",
            "    r.firstSeen = date(row.`firstSeen:date`), r.lastSeen = date(row.`lastSeen:date`),",
            "    r.ended = date(row.`ended:date`), r.corroboration = toInteger(row.`corroboration:int`),",
            "    r.evidenceCount = toInteger(row.`evidenceCount:int`),",
            "    r.evidence = split(row.`evidence:string[]`, ';'),",
            "    r.attributes = row.attributes;",
        ]
    return "\n".join(lines) + "\n"

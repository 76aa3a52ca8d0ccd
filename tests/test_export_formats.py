"""Every export read back with the library that reads its format: json, csv, networkx, rdflib."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import graph_world
import networkx as nx
import pytest
import rdflib
from rdflib.namespace import PROV, RDF, RDFS

from alliancegraph.errors import InvalidQuery
from alliancegraph.export import FORMATS, export
from alliancegraph.export.rdf import AG, entity_iri, fact_iri
from alliancegraph.query import open_graph


def _facts(db: str) -> dict[str, object]:
    with open_graph(db) as graph:
        return {f.id: f for f in graph.facts()}


@pytest.mark.parametrize("format", ["jsonl"])
def test_export_interchange_jsonl(world, tmp_path, format):
    [path] = export(open_graph(world), format, tmp_path / "facts.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 13  # one line per fact per document
    talks = [r for r in rows if r["doc"] == "w1-copy"]
    assert talks == [
        {
            "doc": "w1-copy",
            "relation": "partner_of",
            "head": "Acme Motors",
            "tail": "Borealis Auto",
            "status": "reported",
            "future": False,
            "time": None,
            "evidence": {"text": graph_world.TALKS, "start": 0, "end": len(graph_world.TALKS)},
        }
    ]
    assert {"share": "3%"}.items() <= next(
        r for r in rows if r["relation"] == "owns" and r["doc"] == "w2"
    ).items()


@pytest.mark.parametrize("format", ["csv"])
def test_export_csv(world, tmp_path, format):
    [path] = export(open_graph(world), format, tmp_path / "facts.csv")
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    facts = _facts(world)
    assert {r["id"] for r in rows} == set(facts)
    [alliance] = [r for r in rows if r["relation"] == "partner_of" and r["tail"] == "Borealis Auto"]
    assert (alliance["status"], alliance["corroboration"], alliance["evidence_count"]) == (
        "confirmed",
        "2",
        "4",
    )
    assert alliance["documents"].split() == ["w1", "w1-copy", "w1-update", "w2"]
    [dunmore] = [r for r in rows if r["head"] == "Dunmore Holdings" and r["relation"] == "owns"]
    assert (dunmore["valid_time"], dunmore["ended"]) == ("2001/2008", "2008-12-31")


@pytest.mark.parametrize("format", ["graphml"])
def test_export_graphml(world, tmp_path, format):
    [path] = export(open_graph(world), format, tmp_path / "graph.graphml")
    g = nx.read_graphml(path, force_multigraph=True)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.nodes["org:acme"]["name"] == "Acme Motors" and g.nodes["org:acme"]["wikidata"] == "Q4242"
    assert "AMC" in g.nodes["org:acme"]["aliases"]
    facts = _facts(world)
    assert {k for _, _, k in g.edges(keys=True)} == set(facts)
    [(head, tail, data)] = [
        (u, v, d)
        for u, v, k, d in g.edges(keys=True, data=True)
        if d["relation"] == "owns" and v == "org:borealis"
    ]
    assert (head, data["status"], data["future"], json.loads(data["attributes"])) == (
        "org:acme",
        "confirmed",
        True,
        {"share": "3%"},
    )


@pytest.mark.parametrize("format", ["neo4j"])
def test_export_neo4j_import_files(world, tmp_path, format):
    paths = export(open_graph(world), format, tmp_path / "neo4j")
    by_name = {p.name: p for p in paths}
    assert set(by_name) == {
        "entities.csv",
        "documents.csv",
        "evidence.csv",
        "facts.csv",
        "quoted_from.csv",
        "parents.csv",
        "load.cypher",
    }

    def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
        with by_name[name].open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            return list(reader.fieldnames or []), list(reader)

    header, entities = read("entities.csv")
    assert header[0] == "entityId:ID(Entity)" and header[-1] == ":LABEL"
    ids = {e["entityId:ID(Entity)"] for e in entities}
    assert all(e[":LABEL"].startswith("Entity;") for e in entities)
    header, facts = read("facts.csv")
    assert header[:3] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"]
    assert all(f[":START_ID(Entity)"] in ids and f[":END_ID(Entity)"] in ids for f in facts)
    assert {f[":TYPE"] for f in facts} == {"PARTNER_OF", "OWNS", "JOINT_VENTURE_OF"}
    _, evidence = read("evidence.csv")
    evidence_ids = {e["evidenceId:ID(Evidence)"] for e in evidence}
    assert all(set(f["evidence:string[]"].split(";")) <= evidence_ids for f in facts)
    _, quoted = read("quoted_from.csv")
    _, documents = read("documents.csv")
    assert {q[":END_ID(Document)"] for q in quoted} <= {d["docId:ID(Document)"] for d in documents}
    _, parents = read("parents.csv")
    assert {(p[":START_ID(Entity)"], p[":END_ID(Entity)"]) for p in parents} == {
        ("org:acme", "alliance:acme-borealis"),
        ("org:borealis", "alliance:acme-borealis"),
    }
    script = by_name["load.cypher"].read_text(encoding="utf-8")
    assert "neo4j-admin database import full" in script
    for rel_type in ("PARTNER_OF", "OWNS", "JOINT_VENTURE_OF"):
        assert f"MERGE (a)-[r:{rel_type} {{factId: row.factId}}]->(b)" in script
    assert script.count("LOAD CSV WITH HEADERS FROM 'file:///") == 8


def _check_rdf(g: rdflib.Graph, facts: dict[str, object]) -> None:
    statements = set(g.subjects(RDF.type, RDF.Statement))
    assert statements == {fact_iri(fid) for fid in facts}
    assert statements <= set(g.subjects(RDF.type, PROV.Entity))
    alliance = next(
        fid for fid, f in facts.items() if f.relation == "partner_of" and f.tail == "Borealis Auto"
    )
    node = fact_iri(alliance)
    assert g.value(node, RDF.predicate) == AG.partner_of
    assert {g.value(node, RDF.subject), g.value(node, RDF.object)} == {
        entity_iri("org:acme"),
        entity_iri("org:borealis"),
    }
    assert g.value(node, AG.corroboration).toPython() == 2
    evidence = list(g.objects(node, PROV.wasDerivedFrom))
    assert len(evidence) == 4
    articles = {g.value(e, PROV.wasQuotedFrom) for e in evidence}
    assert {str(g.value(a, AG.id)) for a in articles} == {"w1", "w1-copy", "w1-update", "w2"}
    assert all(g.value(e, AG.sentence) is not None for e in evidence)
    assert str(g.value(entity_iri("org:acme"), RDFS.label)) == "Acme Motors"
    # confirmed facts are asserted, reported or denied ones only reified
    assert (entity_iri("org:acme"), AG.partner_of, entity_iri("org:borealis")) in g
    assert (entity_iri("org:acme"), AG.partner_of, entity_iri("org:corvan")) not in g


@pytest.mark.parametrize(
    "format,name,parse_as", [("turtle", "graph.ttl", "turtle"), ("jsonld", "graph.jsonld", "json-ld")]
)
def test_export_rdf_with_prov(world, tmp_path, format, name, parse_as):
    [path] = export(open_graph(world), format, tmp_path / name)
    g = rdflib.Graph().parse(path, format=parse_as)
    _check_rdf(g, _facts(world))


def test_export_turtle_and_jsonld_are_the_same_graph(world, tmp_path):
    graph = open_graph(world)
    turtle = rdflib.Graph().parse(export(graph, "turtle", tmp_path / "g.ttl")[0], format="turtle")
    jsonld = rdflib.Graph().parse(export(graph, "jsonld", tmp_path / "g.jsonld")[0], format="json-ld")
    assert turtle.isomorphic(jsonld)


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_export_empty_store(tmp_db, tmp_path, format):
    from alliancegraph.store import Store

    Store.open(tmp_db).close()
    paths = export(open_graph(tmp_db), format, tmp_path / "out" / f"empty.{format}")
    assert all(Path(p).exists() for p in paths)


def test_export_unknown_format(world, tmp_path):
    with pytest.raises(InvalidQuery, match="Unknown export format 'xml'"):
        export(open_graph(world), "xml", tmp_path / "x.xml")

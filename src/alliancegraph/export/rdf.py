"""RDF (Turtle or JSON-LD, through rdflib) with provenance in PROV-O.

- Each entity is an ``ag:Entity`` (and ``ag:ORG``, ``ag:VEHICLE``...) with ``rdfs:label``, its aliases
  as ``skos:altLabel``, ``ag:parent`` and ``owl:sameAs`` its Wikidata item.
- Each fact is a reified statement: an ``rdf:Statement`` (subject, predicate ``ag:<relation>``,
  object) that is also a ``prov:Entity`` with its consolidated status, valid time (EDTF), first and
  last publication, end and corroboration, and ``prov:wasDerivedFrom`` each of its evidence items.
- Each evidence item is a ``prov:Entity`` holding the sentence and its offsets, with the status the
  article gave; it ``prov:wasQuotedFrom`` its article.
- Each article is a ``prov:Entity`` and ``foaf:Document`` with title, publication date, url and story.
- Confirmed facts that have not ended are also asserted directly (``<head> ag:partner_of <tail>``),
  so simple queries need no reification.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, SKOS, XSD

from alliancegraph.query.graph import Graph as AllianceGraph

BASE = "https://w3id.org/alliancegraph/"
AG = Namespace(BASE + "ns#")
WD = Namespace("http://www.wikidata.org/entity/")
EDTF = URIRef("http://id.loc.gov/datatypes/edtf/EDTF")

CONTEXT: dict[str, object] = {
    "ag": str(AG),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "owl": str(OWL),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "xsd": str(XSD),
    "wd": str(WD),
}
"""The JSON-LD context: prefixes only, so the document reads back into the same triples."""


def _iri(kind: str, id: str) -> URIRef:
    return URIRef(f"{BASE}{kind}/{quote(id, safe=':~@-._')}")


def entity_iri(id: str) -> URIRef:
    return _iri("entity", id)


def fact_iri(id: str) -> URIRef:
    return _iri("fact", id)


def document_iri(id: str) -> URIRef:
    return _iri("document", id)


def build(graph: AllianceGraph) -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, ns in CONTEXT.items():
        g.bind(prefix, Namespace(str(ns)))

    for e in graph.store.entity_rows():
        node = entity_iri(e["id"])
        g.add((node, RDF.type, AG.Entity))
        g.add((node, RDF.type, AG[e["type"]]))
        g.add((node, RDFS.label, Literal(e["name"])))
        g.add((node, AG.id, Literal(e["id"])))
        if e["kind"]:
            g.add((node, AG.kind, Literal(e["kind"])))
        if e["parent_id"]:
            g.add((node, AG.parent, entity_iri(e["parent_id"])))
        if e["wikidata"]:
            g.add((node, OWL.sameAs, WD[e["wikidata"]]))
    for a in graph.store.alias_rows():
        g.add((entity_iri(a["entity_id"]), SKOS.altLabel, Literal(a["alias"])))
    for d in graph.store.document_rows():
        node = document_iri(d["id"])
        g.add((node, RDF.type, PROV.Entity))
        g.add((node, RDF.type, FOAF.Document))
        g.add((node, AG.id, Literal(d["id"])))
        if d["title"]:
            g.add((node, DCTERMS.title, Literal(d["title"])))
        if d["published"]:
            g.add((node, DCTERMS.issued, Literal(d["published"].isoformat(), datatype=XSD.date)))
        if d["url"]:
            g.add((node, FOAF.page, URIRef(d["url"])))
        if d["story"]:
            g.add((node, AG.story, document_iri(d["story"])))
    for fact in graph.iter_facts():
        node = fact_iri(fact.id)
        head, predicate = entity_iri(fact.head_id), AG[fact.relation]
        g.add((node, RDF.type, RDF.Statement))
        g.add((node, RDF.type, PROV.Entity))
        g.add((node, RDF.subject, head))
        g.add((node, RDF.predicate, predicate))
        if fact.tail_id is not None:
            g.add((node, RDF.object, entity_iri(fact.tail_id)))
        g.add((node, AG.status, Literal(fact.status)))
        g.add((node, AG.future, Literal(fact.future)))
        g.add((node, AG.corroboration, Literal(fact.corroboration)))
        if fact.time:
            g.add((node, AG.validTime, Literal(fact.time, datatype=EDTF)))
        if fact.first_seen:
            g.add((node, AG.firstSeen, Literal(fact.first_seen.isoformat(), datatype=XSD.date)))
        if fact.last_seen:
            g.add((node, AG.lastSeen, Literal(fact.last_seen.isoformat(), datatype=XSD.date)))
        if fact.ended:
            g.add((node, AG.ended, Literal(fact.ended.isoformat(), datatype=XSD.date)))
        for name, value in fact.attributes:
            g.add((node, AG[name], Literal(str(value))))
        for n, ev in enumerate(fact.evidence):
            item = URIRef(f"{node}/evidence/{n}")
            g.add((node, PROV.wasDerivedFrom, item))
            g.add((item, RDF.type, PROV.Entity))
            g.add((item, RDF.type, AG.Evidence))
            g.add((item, AG.sentence, Literal(ev.sentence)))
            g.add((item, AG.start, Literal(ev.start)))
            g.add((item, AG.end, Literal(ev.end)))
            g.add((item, AG.status, Literal(ev.status)))
            if ev.time:
                g.add((item, AG.validTime, Literal(ev.time, datatype=EDTF)))
            g.add((item, PROV.wasQuotedFrom, document_iri(ev.doc)))
        if fact.status == "confirmed" and fact.ended is None and fact.tail_id is not None:
            g.add((head, predicate, entity_iri(fact.tail_id)))
    return g


def turtle_lines(g: Graph) -> Iterator[str]:
    """Turtle, one block per subject with its predicates and objects (``;``-separated), subjects and
    predicates sorted. rdflib's own Turtle serializer does the same but takes minutes on a whole
    archive's graph; terms are still written by rdflib (`n3`), so escaping and prefixes are its own."""
    nm = g.namespace_manager
    for prefix, namespace in sorted(g.namespaces()):
        if prefix:
            yield f"@prefix {prefix}: <{namespace}> .\n"
    yield "\n"
    for subject in sorted(set(g.subjects()), key=str):
        pairs = sorted(g.predicate_objects(subject), key=lambda pair: (str(pair[0]), str(pair[1])))
        body = " ;\n    ".join(f"{p.n3(nm)} {o.n3(nm)}" for p, o in pairs)
        yield f"{subject.n3(nm)}\n    {body} .\n\n"


def write_turtle(graph: AllianceGraph, out: Path) -> list[Path]:
    g = build(graph)
    with out.open("w", encoding="utf-8") as f:
        f.writelines(turtle_lines(g))
    return [out]


def write_jsonld(graph: AllianceGraph, out: Path) -> list[Path]:
    build(graph).serialize(destination=out, format="json-ld", context=CONTEXT, encoding="utf-8")
    return [out]


__all__ = [
    "AG",
    "BASE",
    "CONTEXT",
    "build",
    "document_iri",
    "entity_iri",
    "fact_iri",
    "write_jsonld",
    "write_turtle",
]

"""The REST API under `/api`: routes over the query API and the pydantic DTOs that document them.

Every route only reads. Lists are pages (`items`, `total`, `limit`, `offset`) of at most `MAX_PAGE`
items; errors are translated once, in `serve.app`, into `{"ok": false, "error", "status"}`.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path as FilePath
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.responses import FileResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from alliancegraph.errors import AllianceGraphError, InvalidQuery
from alliancegraph.model import RELATIONS, STATUSES
from alliancegraph.query import FactView, Graph
from alliancegraph.serve.highlight import highlights

MAX_PAGE = 500
"""The largest page any list returns; a larger `limit` is a 422."""
DEFAULT_PAGE = 50
MAX_TEXT = 200
"""The longest search text, name or filter value accepted."""

T = TypeVar("T")


# -- DTOs ------------------------------------------------------------------------------------------


class ErrorOut(BaseModel):
    """The one shape of every error the server returns."""

    ok: Literal[False] = False
    error: str = Field(description="What went wrong with which input, and what to do next.")
    status: int = Field(description="The HTTP status code, repeated.")


class Page(BaseModel, Generic[T]):
    """One page of a list: `items[offset : offset + limit]` of `total`."""

    items: list[T]
    total: int
    limit: int
    offset: int


class StatsOut(BaseModel):
    documents: int
    entities: int
    facts: int
    evidence: int


class SearchHitOut(BaseModel):
    id: str
    name: str
    type: str
    matched: str = Field(description="The name or alias that matched the search text.")


class EvidenceOut(BaseModel):
    doc: str
    title: str | None
    published: dt.date | None
    url: str | None
    sentence: str
    start: int = Field(description="Offset of the sentence in the article text.")
    end: int
    status: str = Field(description="How firmly this article states the fact.")
    future: bool
    time: str | None
    story: str | None = Field(None, description="Copies of one story share it.")
    relation: str | None = Field(None, description="The relation as this article states it.")
    head_name: str | None = Field(None, description="The head as this article names it.")
    tail_name: str | None = Field(None, description="The tail as this article names it.")


class StatusChangeOut(BaseModel):
    recorded: dt.date | None
    status: str
    previous: str | None
    doc: str | None
    title: str | None = None
    valid_end: dt.date | None = None


class FactOut(BaseModel):
    id: str
    relation: str
    head: str
    head_id: str
    head_type: str
    tail: str | None
    tail_id: str | None
    tail_type: str | None
    status: str
    future: bool
    time: str | None = Field(description="Valid time as an EDTF string (2012, 2012-03, ../2019).")
    attributes: dict[str, Any]
    first_seen: dt.date | None
    last_seen: dt.date | None
    corroboration: int = Field(0, description="Independent statements (copies of a story count once).")
    ended: dt.date | None = None
    history: list[StatusChangeOut] = []
    evidence: list[EvidenceOut]


class ProfileOut(BaseModel):
    id: str
    name: str
    type: str
    kind: str | None
    aliases: list[str]
    parent_id: str | None
    parent: str | None
    wikidata: str | None
    as_of: dt.date | None = Field(None, description="The date the facts are shown as of, if one was asked.")
    facts: dict[str, list[FactOut]] = Field(description="The entity's facts grouped by relation.")


class TimelineEventOut(BaseModel):
    date: dt.date
    kind: Literal["fact", "ended"] | str = Field(description='"fact": the fact began; "ended": it stopped.')
    dated_by: str = Field(description='"text" (a date the article gives) or "publication".')
    time: str | None
    summary: str
    fact: FactOut


class ChangeOut(BaseModel):
    change: Literal["appeared", "changed", "ended"] | str
    before: str | None = Field(description="The fact's status on `from` (None: not yet stated).")
    after: str | None = Field(description="The fact's status on `to`.")
    date: dt.date | None
    doc: str | None
    title: str | None
    fact: FactOut


class DiffPageOut(Page[ChangeOut]):
    start: dt.date
    end: dt.date
    entity: str | None


class PartnerOut(BaseModel):
    partner: str
    partner_id: str
    partner_type: str
    links: list[str]
    status: str
    since: dt.date | None
    corroboration: int
    via: list[str]
    mentioned_as: str | None
    facts: list[FactOut]


class PathStepOut(BaseModel):
    source: str
    source_id: str
    target: str
    target_id: str
    relation: str
    forward: bool
    fact: FactOut


class HighlightOut(BaseModel):
    start: int = Field(description="Offset in the sentence.")
    end: int
    role: Literal["head", "tail"]
    text: str


class HighlightedEvidenceOut(EvidenceOut):
    highlights: list[HighlightOut] = Field(description="Spans of the sentence that name head and tail.")


class EvidencePageOut(Page[HighlightedEvidenceOut]):
    fact: FactOut


# -- parameters ------------------------------------------------------------------------------------


def get_graph(request: Request) -> Graph:
    graph: Graph = request.app.state.graph
    return graph


GraphDep = Annotated[Graph, Depends(get_graph)]
Limit = Annotated[int, Query(ge=0, le=MAX_PAGE, description=f"Page size, at most {MAX_PAGE}.")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="How many items to skip.")]
AsOf = Annotated[dt.date | None, Query(description="Show the graph as it stood on this day (YYYY-MM-DD).")]
EntityName = Annotated[str, Path(min_length=1, max_length=MAX_TEXT, description="Name, alias or id.")]
EntityFilter = Annotated[
    str | None,
    Query(min_length=1, max_length=MAX_TEXT, description="Only facts of this entity (name, alias or id)."),
]
FactId = Annotated[str, Path(min_length=1, max_length=64)]


def check_parameters(request: Request) -> None:
    """Refuse (422) a query parameter the route does not take, rather than ignore it: a misspelt
    ``limt=5`` would otherwise silently give the default page. Refuse control characters in any
    parameter too: no name or text holds them, and SQLite reads a string only up to a NUL, so that
    ``Renault%00garbage`` would otherwise match Renault."""
    route = request.scope.get("route")
    if isinstance(route, APIRoute):
        known = _query_names(route.dependant)
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            takes = ", ".join(sorted(known)) or "no parameters"
            raise InvalidQuery(f"Unknown parameter {unknown[0]!r} for {request.url.path}. It takes: {takes}.")
    for name, value in [*request.path_params.items(), *request.query_params.multi_items()]:
        bad = _CONTROL.search(str(value))
        if bad is not None:
            raise InvalidQuery(
                f"Parameter {name!r} holds the control character U+{ord(bad[0]):04X}; give plain text."
            )


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


router = APIRouter(
    prefix="/api",
    responses={code: {"model": ErrorOut} for code in (404, 413, 422, 500)},
    dependencies=[Depends(check_parameters)],
)


def page(items: Sequence[Any], limit: int, offset: int) -> dict[str, Any]:
    return {
        "items": list(items[offset : offset + limit]),
        "total": len(items),
        "limit": limit,
        "offset": offset,
    }


# -- routes ----------------------------------------------------------------------------------------


@router.get("/stats", response_model=StatsOut, summary="How much the store holds")
def stats(graph: GraphDep) -> dict[str, Any]:
    return graph.stats().to_dict()


@router.get("/entities", response_model=Page[SearchHitOut], summary="Search entities (suggestions)")
def search_entities(
    graph: GraphDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description="Part of a name or alias.")],
    limit: Limit = 10,
    offset: Offset = 0,
) -> dict[str, Any]:
    hits = [h.to_dict() for h in graph.search(q, limit=MAX_PAGE + offset)]
    return page(hits, limit, offset)


@router.get(
    "/entities/{name:path}/timeline",
    response_model=Page[TimelineEventOut],
    summary="An entity's alliance events (beginnings and ends), oldest first",
)
def entity_timeline(
    graph: GraphDep,
    name: EntityName,
    relation: Annotated[
        list[str] | None,
        Query(max_length=len(RELATIONS), description="Relations to follow (repeatable); default alliances."),
    ] = None,
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
) -> dict[str, Any]:
    events = graph.timeline(name, relations=relation) if relation else graph.timeline(name)
    return page([e.to_dict() for e in events], limit, offset)


@router.get(
    "/entities/{name:path}/partners",
    response_model=Page[PartnerOut],
    summary="The entities tied to one by alliance, ownership or joint venture",
)
def entity_partners(
    graph: GraphDep, name: EntityName, as_of: AsOf = None, limit: Limit = DEFAULT_PAGE, offset: Offset = 0
) -> dict[str, Any]:
    return page([p.to_dict() for p in graph.partners(name, as_of=as_of)], limit, offset)


@router.get("/entities/{name:path}", response_model=ProfileOut, summary="An entity's profile")
def entity_profile(graph: GraphDep, name: EntityName, as_of: AsOf = None) -> dict[str, Any]:
    profile = graph.entity(name).to_dict()
    if as_of is not None:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for fact in graph.facts(entity=profile["id"], as_of=as_of):
            grouped.setdefault(fact.relation, []).append(fact.to_dict())
        profile["facts"] = {rel: grouped[rel] for rel in RELATIONS if rel in grouped}
    return {**profile, "as_of": as_of}


@router.get("/facts", response_model=Page[FactOut], summary="Facts, filtered")
def list_facts(
    graph: GraphDep,
    entity: EntityFilter = None,
    relation: Annotated[
        str | None, Query(max_length=40, description=f"One of: {', '.join(RELATIONS)}.")
    ] = None,
    status: Annotated[
        str | None,
        Query(max_length=40, description=f"One of: {', '.join(STATUSES)} (as of `as_of`, if given)."),
    ] = None,
    as_of: AsOf = None,
    text: Annotated[
        str | None,
        Query(
            min_length=1, max_length=MAX_TEXT, description="Words in an entity name or an evidence sentence."
        ),
    ] = None,
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
) -> dict[str, Any]:
    if not any((entity, relation, status, as_of, text)):
        # Browsing everything: read only the page; the store counts the facts.
        items = graph.facts(limit=limit, offset=offset)
        total = graph.stats().facts
        return {"items": [f.to_dict() for f in items], "total": total, "limit": limit, "offset": offset}
    found = graph.facts(entity=entity, relation=relation, status=status, as_of=as_of, text=text)
    return page([f.to_dict() for f in found], limit, offset)


@router.get("/facts/{fact_id}", response_model=FactOut, summary="One fact with its evidence")
def get_fact(graph: GraphDep, fact_id: FactId, as_of: AsOf = None) -> dict[str, Any]:
    return _known_fact(graph, fact_id, as_of).to_dict()


@router.get(
    "/facts/{fact_id}/evidence",
    response_model=EvidencePageOut,
    summary="The sentences that state a fact, with the head and tail names highlighted",
)
def fact_evidence(
    graph: GraphDep, fact_id: FactId, limit: Limit = DEFAULT_PAGE, offset: Offset = 0
) -> dict[str, Any]:
    fact = _known_fact(graph, fact_id)
    # The stored names and aliases back up the names each article gave (e.g. "the French carmaker").
    heads = [fact.head, *graph.store.entity_aliases(fact.head_id)]
    tails = [fact.tail, *graph.store.entity_aliases(fact.tail_id)] if fact.tail_id else [fact.tail]
    items = []
    for ev in graph.evidence(fact_id):
        stated_head, stated_tail = ev.head_name, ev.tail_name
        if ev.relation == "part_of":  # stored as owns, with head and tail swapped
            stated_head, stated_tail = stated_tail, stated_head
        marks = highlights(ev.sentence, [stated_head, *heads], [stated_tail, *tails])
        items.append({**ev.to_dict(), "highlights": marks})
    return {**page(items, limit, offset), "fact": fact.to_dict()}


@router.get("/diff", response_model=DiffPageOut, summary="What appeared, changed or ended between two dates")
def diff(
    graph: GraphDep,
    start: Annotated[dt.date, Query(alias="from", description="The earlier day (YYYY-MM-DD).")],
    end: Annotated[dt.date, Query(alias="to", description="The later day (YYYY-MM-DD).")],
    entity: EntityFilter = None,
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
) -> dict[str, Any]:
    if start > end:
        raise InvalidQuery(f"from ({start}) is after to ({end}). Swap them.")
    view = graph.diff(start, end, entity=entity)
    changes = [c.to_dict() for c in (*view.appeared, *view.changed, *view.ended)]
    return {**page(changes, limit, offset), "start": view.start, "end": view.end, "entity": view.entity}


@router.get(
    "/path", response_model=Page[PathStepOut], summary="The shortest chain of facts between two entities"
)
def path(
    graph: GraphDep,
    source: Annotated[str, Query(alias="from", min_length=1, max_length=MAX_TEXT)],
    target: Annotated[str, Query(alias="to", min_length=1, max_length=MAX_TEXT)],
    max_hops: Annotated[int, Query(ge=1, le=6)] = 4,
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
) -> dict[str, Any]:
    return page([s.to_dict() for s in graph.path(source, target, max_hops=max_hops)], limit, offset)


EXPORTS = {
    "jsonl": ("jsonl", "application/x-ndjson"),
    "csv": ("csv", "text/csv"),
    "graphml": ("graphml", "application/graphml+xml"),
    "neo4j": ("zip", "application/zip"),
    "turtle": ("ttl", "text/turtle"),
    "jsonld": ("jsonld", "application/ld+json"),
}
"""The export formats (those of `alliancegraph.export`) with the file extension and media type served;
``neo4j`` (a folder of CSV files and a Cypher script) is served zipped."""


@router.get(
    "/export/{format}",
    summary="Download the graph: " + ", ".join(EXPORTS),
    response_class=FileResponse,
    responses={200: {"content": {media: {} for _, media in EXPORTS.values()}}},
)
def export(graph: GraphDep, format: Annotated[str, Path(max_length=20)]) -> FileResponse:
    from alliancegraph.export import export as write_export  # rdflib and networkx load on first use

    if format not in EXPORTS:
        raise UnknownExport(format, tuple(EXPORTS))
    extension, media = EXPORTS[format]
    folder = FilePath(tempfile.mkdtemp(prefix="alliancegraph-export-"))
    try:
        if format == "neo4j":
            write_export(graph, format, folder / "alliancegraph-neo4j")
            file = FilePath(
                shutil.make_archive(
                    str(folder / "alliancegraph-neo4j"), "zip", folder / "alliancegraph-neo4j"
                )
            )
        else:
            file = folder / f"alliancegraph.{extension}"
            write_export(graph, format, file)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        file,
        media_type=media,
        filename=f"alliancegraph.{extension}",
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


class UnknownFact(AllianceGraphError):
    """No fact has the id asked for (a 404)."""

    def __init__(self, fact_id: str):
        super().__init__(f"No fact with id {fact_id!r}. Fact ids come from /api/facts.")
        self.fact_id = fact_id


class UnknownExport(AllianceGraphError):
    """The export format is not one the server offers (a 404)."""

    def __init__(self, format: str, known: tuple[str, ...]):
        super().__init__(f"No export format {format!r}. Use one of: {', '.join(known)}.")
        self.format = format


def _known_fact(graph: Graph, fact_id: str, as_of: dt.date | None = None) -> FactView:
    fact = graph.fact(fact_id, as_of=as_of)
    if fact is None:
        raise UnknownFact(fact_id)
    return fact

"""The REST API under `/api`: routes over the query API and the pydantic DTOs that document them.

Every route only reads. Lists are pages (`items`, `total`, `limit`, `offset`) of at most `MAX_PAGE`
items; errors are translated once, in `serve.app`, into `{"ok": false, "error", "status"}`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
import datetime as dt
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from alliancegraph.errors import AllianceGraphError, InvalidQuery
from alliancegraph.model import RELATIONS, STATUSES
from alliancegraph.query import FactView, Graph
from alliancegraph.serve import interim

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
    date: dt.date | None = Field(description="When an article stated the fact (its publication date).")
    fact_id: str
    relation: str
    head: str
    head_id: str
    tail: str | None
    tail_id: str | None
    status: str
    future: bool
    time: str | None
    doc: str
    title: str | None
    url: str | None
    sentence: str


class ChangeOut(BaseModel):
    change: Literal["added", "removed", "changed"]
    before: str | None = Field(description="The fact's status on `from` (None: not yet stated).")
    after: str | None = Field(description="The fact's status on `to` (None: no longer stated).")
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
AsOf = Annotated[
    dt.date | None, Query(description="Show the graph as it stood on this day (YYYY-MM-DD).")
]
EntityName = Annotated[str, Path(min_length=1, max_length=MAX_TEXT, description="Name, alias or id.")]
EntityFilter = Annotated[
    str | None, Query(min_length=1, max_length=MAX_TEXT, description="Only facts of this entity (name, alias or id).")
]

router = APIRouter(prefix="/api", responses={code: {"model": ErrorOut} for code in (404, 413, 422, 500)})


def page(items: Sequence[Any], limit: int, offset: int) -> dict[str, Any]:
    return {"items": list(items[offset : offset + limit]), "total": len(items), "limit": limit, "offset": offset}


def _fact(fact: FactView) -> dict[str, Any]:
    return fact.to_dict()


def _facts(
    graph: Graph,
    entity: str | None = None,
    relation: str | None = None,
    status: str | None = None,
    as_of: dt.date | None = None,
    text: str | None = None,
) -> list[FactView]:
    """Every fact matching the filters; the status filter applies to the status as of `as_of`."""
    found = graph.facts(entity=entity, relation=relation, status=None if as_of else status)
    found = interim.facts_matching(interim.facts_as_of(found, as_of), text)
    if as_of and status:
        if status not in STATUSES:
            raise InvalidQuery(f"Unknown status {status!r}. Use one of: {', '.join(STATUSES)}.")
        found = [f for f in found if f.status == status]
    return found


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
    summary="An entity's alliance events, oldest first",
)
def entity_timeline(
    graph: GraphDep, name: EntityName, limit: Limit = DEFAULT_PAGE, offset: Offset = 0
) -> dict[str, Any]:
    return page(interim.timeline(graph.facts(entity=name)), limit, offset)


@router.get("/entities/{name:path}", response_model=ProfileOut, summary="An entity's profile")
def entity_profile(graph: GraphDep, name: EntityName, as_of: AsOf = None) -> dict[str, Any]:
    profile = graph.entity(name)
    groups = {rel: interim.facts_as_of(group, as_of) for rel, group in profile.facts.items()}
    facts = {rel: [_fact(f) for f in group] for rel, group in groups.items() if group}
    return {**profile.to_dict(), "facts": facts, "as_of": as_of}


@router.get("/facts", response_model=Page[FactOut], summary="Facts, filtered")
def list_facts(
    graph: GraphDep,
    entity: EntityFilter = None,
    relation: Annotated[str | None, Query(description=f"One of: {', '.join(RELATIONS)}.")] = None,
    status: Annotated[str | None, Query(description=f"One of: {', '.join(STATUSES)}.")] = None,
    as_of: AsOf = None,
    text: Annotated[
        str | None, Query(min_length=1, max_length=MAX_TEXT, description="Words in a name or evidence sentence.")
    ] = None,
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
) -> dict[str, Any]:
    found = _facts(graph, entity=entity, relation=relation, status=status, as_of=as_of, text=text)
    return page([_fact(f) for f in found], limit, offset)


@router.get("/facts/{fact_id}", response_model=FactOut, summary="One fact with its evidence")
def get_fact(graph: GraphDep, fact_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    return _fact(_known_fact(graph, fact_id))


@router.get(
    "/facts/{fact_id}/evidence",
    response_model=EvidencePageOut,
    summary="The sentences that state a fact, with head and tail highlighted",
)
def fact_evidence(
    graph: GraphDep,
    fact_id: Annotated[str, Path(max_length=64)],
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
) -> dict[str, Any]:
    fact = _known_fact(graph, fact_id)
    items = [{**e.to_dict(), "highlights": spans} for e, spans in interim.highlights(graph, fact)]
    return {**page(items, limit, offset), "fact": _fact(fact)}


@router.get("/diff", response_model=Page[ChangeOut], summary="What changed between two dates")
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
    changes = interim.diff(graph.facts(entity=entity), start, end)
    return page([{**c, "fact": _fact(c["fact"])} for c in changes], limit, offset)


EXPORTS = {"jsonl": "application/x-ndjson"}
"""The export formats the server offers, with their media types."""


@router.get(
    "/export/{format}",
    summary="Download the graph",
    response_class=StreamingResponse,
    responses={200: {"content": {t: {} for t in EXPORTS.values()}}},
)
def export(graph: GraphDep, format: Annotated[str, Path(max_length=20)]) -> StreamingResponse:
    if format not in EXPORTS:
        raise UnknownExport(format, tuple(EXPORTS))

    def lines() -> Iterator[bytes]:
        for row in graph.interchange():
            yield (json.dumps(row, ensure_ascii=False, default=str) + "\n").encode("utf-8")

    return StreamingResponse(
        lines(),
        media_type=EXPORTS[format],
        headers={"Content-Disposition": f'attachment; filename="alliancegraph.{format}"'},
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


def _known_fact(graph: Graph, fact_id: str) -> FactView:
    fact = graph.fact(fact_id)
    if fact is None:
        raise UnknownFact(fact_id)
    return fact

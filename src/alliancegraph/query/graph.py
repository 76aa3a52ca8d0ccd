"""The read API of the graph, used alike by the CLI, the REST server and the web explorer.

`open_graph(db)` gives a `Graph`; its methods return the plain dataclasses of `query.views`. All SQL
stays in `alliancegraph.store`: this module picks entities, validates parameters and shapes rows.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from alliancegraph.errors import EntityNotFound, InvalidQuery
from alliancegraph.model import RELATIONS, STATUSES
from alliancegraph.query import network
from alliancegraph.query.temporal import began, evidence_view, fact_view, holds, parse_date
from alliancegraph.query.views import (
    DiffView,
    EntityProfile,
    EvidenceView,
    FactChange,
    FactView,
    PartnerView,
    PathStep,
    SearchHit,
    Stats,
    TimelineEvent,
)
from alliancegraph.resolve.knowledge import normalize_name
from alliancegraph.store.repository import Store

ALLIANCE_RELATIONS: tuple[str, ...] = ("partner_of", "owns", "joint_venture_of")
"""The relations a timeline follows by default: alliances, ownership (part_of included) and ventures."""


def _grouped(rows: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row["fact_id"], []).append(row)
    return out


def _change(
    row: dict[str, Any], history: Sequence[dict[str, Any]], start: date, end: date
) -> FactChange | None:
    """How a fact changed in (start, end], if it did; its `fact` is filled in by the caller."""
    before, ended_before = holds(row, history, start)
    after, ended_after = holds(row, history, end)
    in_span = [h for h in history if h["recorded"] is not None and start < h["recorded"] <= end]
    last = in_span[-1] if in_span else None
    placeholder = FactView(
        id=row["id"], relation=row["relation"], head=row["head_name"], head_id=row["head_id"],
        head_type=row["head_type"], tail=row["tail_name"], tail_id=row["tail_id"], tail_type=row["tail_type"],
        status=row["status"], future=bool(row["future"]), time=row["valid_time"],
    )  # fmt: skip
    # Ended: known to hold (or unknown) at the start, known to have ended by the end; a fact first
    # learned in the span as already over before it began is history, not a change of the span.
    if (
        ended_after is not None
        and ended_before is None
        and after is not None
        and (before or ended_after > start)
    ):
        ending: dict[str, Any] = next((h for h in reversed(history) if h["status"] == "ended"), {})
        return FactChange(
            "ended", before, after, ended_after, ending.get("doc_id"), ending.get("title"), placeholder
        )
    if after is None or ended_after is not None:
        return None
    if before is None or ended_before is not None:
        first: dict[str, Any] = next((h for h in history if h["recorded"] and h["recorded"] > start), {})
        return FactChange(
            "appeared",
            None,
            after,
            first.get("recorded"),
            first.get("doc_id"),
            first.get("title"),
            placeholder,
        )
    if before != after and last is not None:
        return FactChange(
            "changed", before, after, last["recorded"], last["doc_id"], last.get("title"), placeholder
        )
    return None


def _fact_events(fact: FactView) -> list[TimelineEvent]:
    """A fact's timeline events: its beginning, its later status changes, its end."""
    changes = [h for h in fact.history if h.status != "ended"]
    events: list[TimelineEvent] = []
    start = began(fact)
    if start is not None:
        first = changes[0].status if changes else fact.status
        events.append(
            TimelineEvent(
                start[0], "fact", start[1], start[2], first, fact, changes[0].doc if changes else None
            )
        )
    for change in changes[1:]:
        if change.recorded is not None:
            events.append(
                TimelineEvent(change.recorded, "status", "publication", None, change.status, fact, change.doc)
            )
    if fact.ended is not None:
        stated = next((h for h in fact.history if h.status == "ended" and h.valid_end == fact.ended), None)
        events.append(
            TimelineEvent(
                fact.ended,
                "ended",
                "text" if stated else "dissolution",
                None,
                "ended",
                fact,
                stated.doc if stated else None,
            )  # fmt: skip
        )
    return events


class Graph:
    """Read access to one store. Use as a context manager, or call `close()`."""

    def __init__(self, store: Store, *, owns_store: bool = True):
        self.store = store
        self._owns_store = owns_store

    def close(self) -> None:
        if self._owns_store:
            self.store.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- entities ----------------------------------------------------------------------------

    def entity_id(self, name: str) -> str:
        """The id of the entity `name` designates: an id, a stored name or alias (any case), or a name
        with the same normalised form. Raises `EntityNotFound` with close names when none matches."""
        wanted = name.strip()
        if wanted:
            if self.store.entity_row(wanted) is not None:
                return wanted
            matches = self.store.match_entities(alias=wanted) or self.store.match_entities(
                norm=normalize_name(wanted)
            )
            if matches:
                return str(matches[0]["id"])
        raise EntityNotFound(name, self.suggestions(wanted))

    def suggestions(self, name: str, n: int = 5) -> tuple[str, ...]:
        """Stored names close to `name` (spelling first, then names containing it)."""
        if not name:
            return ()
        by_fold: dict[str, str] = {}
        for stored in self.store.names():
            by_fold.setdefault(stored.casefold(), stored)
        close = [
            by_fold[f] for f in difflib.get_close_matches(name.casefold(), list(by_fold), n=n, cutoff=0.6)
        ]
        for hit in self.store.search_names(name, normalize_name(name), n):
            if hit["name"] not in close:
                close.append(hit["name"])
        return tuple(close[:n])

    def entity(self, name: str) -> EntityProfile:
        """The profile of the entity `name` designates (see `entity_id`)."""
        eid = self.entity_id(name)
        row = self.store.entity_row(eid)
        if row is None:  # removed between the two reads
            raise EntityNotFound(name, ())
        parent = self.store.entity_row(row["parent_id"]) if row["parent_id"] else None
        grouped: dict[str, list[FactView]] = {}
        for fact in self._facts(self.store.fact_rows(entity_id=eid)):
            grouped.setdefault(fact.relation, []).append(fact)
        order = {rel: i for i, rel in enumerate(RELATIONS)}
        return EntityProfile(
            id=row["id"],
            name=row["name"],
            type=row["type"],
            kind=row["kind"],
            aliases=tuple(a for a in self.store.entity_aliases(eid) if a != row["name"]),
            parent_id=row["parent_id"],
            parent=parent["name"] if parent else None,
            wikidata=row["wikidata"],
            facts={
                rel: tuple(grouped[rel]) for rel in sorted(grouped, key=lambda r: order.get(r, len(order)))
            },
        )

    def search(self, text: str, limit: int = 10) -> list[SearchHit]:
        """Entities whose name or alias starts with or contains `text`, prefix matches first."""
        if limit < 0:
            raise InvalidQuery(f"limit must be 0 or more, not {limit}.")
        text = text.strip()
        if not text:
            return []
        return [
            SearchHit(id=r["id"], name=r["name"], type=r["type"], matched=r["matched"])
            for r in self.store.search_names(text, normalize_name(text), limit)
        ]

    # -- facts -------------------------------------------------------------------------------

    def facts(
        self,
        entity: str | None = None,
        relation: str | None = None,
        status: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        as_of: date | str | None = None,
        text: str | None = None,
    ) -> list[FactView]:
        """Facts, newest evidence first, optionally only those of one entity (as head or tail), one
        relation, one status, or with `text` in an evidence sentence or an entity name (any case).
        `part_of` selects the same facts as `owns`, which is how the store keeps them.

        With `as_of` (a date or ``YYYY-MM-DD``), the facts known and holding on that day: some evidence
        was published on or before it, and no ending known by then falls before it. Each fact then
        shows only that evidence, and `status` (and the `status` filter) is its status on that day.
        Raises `EntityNotFound` for an unknown entity, `InvalidQuery` for a bad relation, status,
        date, limit or offset."""
        if relation is not None and relation not in RELATIONS:
            raise InvalidQuery(f"Unknown relation {relation!r}. Use one of: {', '.join(RELATIONS)}.")
        if status is not None and status not in STATUSES:
            raise InvalidQuery(f"Unknown status {status!r}. Use one of: {', '.join(STATUSES)}.")
        if limit is not None and limit < 0:
            raise InvalidQuery(f"limit must be 0 or more, not {limit}.")
        if offset < 0:
            raise InvalidQuery(f"offset must be 0 or more, not {offset}.")
        when = parse_date(as_of, "as_of date")
        entity_id = self.entity_id(entity) if entity is not None else None
        relation = "owns" if relation == "part_of" else relation
        if when is None:
            rows = self.store.fact_rows(
                entity_id=entity_id, relation=relation, status=status, text=text, limit=limit, offset=offset
            )
            return self._facts(rows)
        rows = self.store.fact_rows(entity_id=entity_id, relation=relation, text=text, seen_by=when)
        kept = self._holding(rows, when, status)
        page = kept[offset : None if limit is None else offset + limit]
        return self._facts(page, as_of=when)

    def _holding(
        self, rows: Sequence[dict[str, Any]], when: date, status: str | None = None
    ) -> list[dict[str, Any]]:
        """The rows of facts known and not ended on `when` (with that status there, if given), most
        recently confirmed or reported by then first."""
        history = _grouped(self.store.history_rows([r["id"] for r in rows]))
        kept: list[tuple[date, dict[str, Any]]] = []
        for row in rows:
            changes = history.get(row["id"], [])
            state, ended = holds(row, changes, when)
            if state is None or ended is not None or (status is not None and state != status):
                continue
            latest = max(
                (h["recorded"] for h in changes if h["recorded"] and h["recorded"] <= when), default=date.min
            )
            kept.append((latest, row))
        kept.sort(key=lambda pair: pair[0], reverse=True)
        return [row for _, row in kept]

    def iter_facts(self, batch: int = 1000) -> Iterator[FactView]:
        """Every fact with its evidence and history, a batch at a time (for exports)."""
        offset = 0
        while True:
            rows = self.store.fact_rows(limit=batch, offset=offset)
            yield from self._facts(rows)
            if len(rows) < batch:
                return
            offset += batch

    def fact(self, id: str, as_of: date | str | None = None) -> FactView | None:
        """One fact by id (as it stood on `as_of`, if given), or None."""
        found = self._facts(self.store.fact_rows(fact_ids=[id]), as_of=parse_date(as_of, "as_of date"))
        return found[0] if found else None

    def evidence(self, fact_id: str) -> list[EvidenceView]:
        """Every evidence item of a fact, oldest first. Raises `InvalidQuery` for an unknown fact id."""
        if not self.store.fact_rows(fact_ids=[fact_id]):
            raise InvalidQuery(
                f"No fact with id {fact_id!r}. Fact ids are listed by `alliancegraph facts --format json`."
            )
        return [evidence_view(e) for e in self.store.evidence_rows([fact_id])]

    def _facts(self, rows: Sequence[dict[str, Any]], as_of: date | None = None) -> list[FactView]:
        ids = [r["id"] for r in rows]
        evidence = _grouped(self.store.evidence_rows(ids))
        history = _grouped(self.store.history_rows(ids))
        return [fact_view(r, evidence.get(r["id"], []), history.get(r["id"], []), as_of) for r in rows]

    # -- time --------------------------------------------------------------------------------

    def timeline(
        self, name: str, relations: Sequence[str] = ALLIANCE_RELATIONS, min_corroboration: int = 1
    ) -> list[TimelineEvent]:
        """The dated events of an entity's alliances (by default partner_of, owns/part_of and
        joint_venture_of facts), oldest first: each fact's beginning, each later change of its status
        (reported, confirmed, denied) with the article that changed it, and its end when known (see
        `TimelineEvent`). Facts with fewer than `min_corroboration` independent statements are left out."""
        unknown = [r for r in relations if r not in RELATIONS]
        if unknown:
            raise InvalidQuery(f"Unknown relation {unknown[0]!r}. Use one of: {', '.join(RELATIONS)}.")
        wanted = sorted({"owns" if r == "part_of" else r for r in relations})
        rows = self.store.fact_rows(entity_id=self.entity_id(name), relations=wanted)
        events: list[TimelineEvent] = []
        for fact in self._facts(rows):
            if fact.corroboration >= min_corroboration:
                events.extend(_fact_events(fact))
        order = {"fact": 0, "status": 1, "ended": 2}
        events.sort(key=lambda e: (e.date, order[e.kind], e.fact.relation, e.fact.id))
        return events

    def diff(self, start: date | str, end: date | str, entity: str | None = None) -> DiffView:
        """What changed in (start, end]: facts first published then ("appeared"), facts whose status
        changed ("changed": their status on `start` and on `end` differ), and facts that stopped
        holding ("ended"), optionally only those of one entity."""
        first = parse_date(start, "start date")
        last = parse_date(end, "end date")
        if first is None or last is None:
            raise InvalidQuery("diff needs both a start and an end date, as YYYY-MM-DD.")
        if last < first:
            raise InvalidQuery(
                f"The end date {last} is before the start date {first}; give --from before --to."
            )
        entity_id = self.entity_id(entity) if entity is not None else None
        ids = self.store.changed_fact_ids(first, last)
        rows = self.store.fact_rows(entity_id=entity_id, fact_ids=ids) if ids else []
        history = _grouped(self.store.history_rows([r["id"] for r in rows]))
        changes: dict[str, list[tuple[dict[str, Any], FactChange]]] = {
            "appeared": [],
            "changed": [],
            "ended": [],
        }
        for row in rows:
            changed = _change(row, history.get(row["id"], []), first, last)
            if changed is not None:
                changes[changed.change].append((row, changed))
        views = {
            v.id: v for v in self._facts([row for group in changes.values() for row, _ in group], as_of=last)
        }

        def finish(kind: str) -> tuple[FactChange, ...]:
            out = [replace(c, fact=views[row["id"]]) for row, c in changes[kind]]
            return tuple(sorted(out, key=lambda c: (c.date or date.min, c.fact.relation, c.fact.id)))

        return DiffView(
            start=first,
            end=last,
            entity=entity,
            appeared=finish("appeared"),
            changed=finish("changed"),
            ended=finish("ended"),
        )

    # -- network -----------------------------------------------------------------------------

    def partners(
        self, name: str, as_of: date | str | None = None, min_corroboration: int = 1
    ) -> list[PartnerView]:
        """The entities tied to `name` by partner_of, ownership either way or a joint venture (and, for
        a member of an alliance, the alliance's own ties), firmest and best corroborated first. With
        `as_of`, only ties known and holding on that day, with their status then. Partners with fewer
        than `min_corroboration` independent statements behind their ties are left out."""
        when = parse_date(as_of, "as_of date")
        eid = self.entity_id(name)
        alliances = [
            r
            for r in (self.store.entity_row(p) for p in self._parents(eid))
            if r and r.get("kind") == "alliance"
        ]
        links = network.links(self, eid, alliances, when)
        views = network.partner_views(links, self.store.entity_aliases)
        return [v for v in views if v.corroboration >= min_corroboration]

    def _parents(self, entity_id: str) -> list[str]:
        out: list[str] = []
        row = self.store.entity_row(entity_id)
        while row is not None and row["parent_id"] and row["parent_id"] not in out and len(out) < 8:
            out.append(row["parent_id"])
            row = self.store.entity_row(row["parent_id"])
        return out

    def path(self, a: str, b: str, max_hops: int = 4) -> list[PathStep]:
        """How two entities are connected: the shortest chain of facts (not denied) from `a` to `b`,
        at most `max_hops` long, preferring better corroborated facts among equally short chains. Each
        step carries its fact with all its evidence. Empty when no chain is that short."""
        if max_hops < 1:
            raise InvalidQuery(f"max_hops must be 1 or more, not {max_hops}.")
        source, target = self.entity_id(a), self.entity_id(b)
        if source == target:
            return []
        hops = network.shortest_path(self.store.edge_rows(), source, target, max_hops)
        views = {v.id: v for v in self._facts(self.store.fact_rows(fact_ids=[fid for fid, _, _ in hops]))}
        steps = []
        for fid, here, there in hops:
            fact = views[fid]
            forward = fact.head_id == here
            steps.append(
                PathStep(
                    source=fact.head if forward else fact.tail or "",
                    source_id=here,
                    target=fact.tail or "" if forward else fact.head,
                    target_id=there,
                    relation=fact.relation,
                    forward=forward,
                    fact=fact,
                )
            )
        return steps

    def interchange(self, doc: str | None = None) -> Iterator[dict[str, Any]]:
        """The stored facts in the fact interchange format: one dict per fact per document, as that
        document states it (its relation, its names, its status, future and time, its first sentence)."""
        for row in self.store.interchange_rows(doc):
            out: dict[str, Any] = {
                "doc": row["doc_id"],
                "relation": row["relation"],
                "head": row["head_name"],
                "tail": row["tail_name"],
                "status": row["status"],
                "future": bool(row["future"]),
                "time": row["time"],
            }
            out.update(json.loads(row["attributes"] or "{}"))
            out["evidence"] = {"text": row["sentence"], "start": row["start"], "end": row["end"]}
            yield out

    def stats(self) -> Stats:
        counts = self.store.counts()
        return Stats(
            documents=counts["documents"],
            entities=counts["entities"],
            facts=counts["facts"],
            evidence=counts["evidence"],
            stories=self.store.story_count(),
        )


def open_graph(db: str | os.PathLike[str] | Store) -> Graph:
    """Open the graph stored at `db` (a path, an SQLAlchemy URL, or an open `Store`, which then stays
    open after the graph closes). A path with no store is a `StoreError`: this API only reads."""
    if isinstance(db, Store):
        return Graph(db, owns_store=False)
    return Graph(Store.open(db, create=False))

"""The read API of the graph, used alike by the CLI, the REST server and the web explorer.

`open_graph(db)` gives a `Graph`; its methods return the plain dataclasses of `query.views`. All SQL
stays in `alliancegraph.store`: this module picks entities, validates parameters and shapes rows.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Iterator, Sequence
from typing import Any

from alliancegraph.errors import EntityNotFound, InvalidQuery
from alliancegraph.model import RELATIONS, STATUSES
from alliancegraph.query.views import EntityProfile, EvidenceView, FactView, SearchHit, Stats
from alliancegraph.resolve.knowledge import normalize_name
from alliancegraph.store.repository import Store


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
    ) -> list[FactView]:
        """Facts, newest evidence first, optionally only those of one entity (as head or tail), one
        relation or one consolidated status. `part_of` selects the same facts as `owns`, which is how
        the store keeps them. Raises `EntityNotFound` for an unknown entity, `InvalidQuery` for a bad
        relation, status, limit or offset."""
        if relation is not None and relation not in RELATIONS:
            raise InvalidQuery(f"Unknown relation {relation!r}. Use one of: {', '.join(RELATIONS)}.")
        if status is not None and status not in STATUSES:
            raise InvalidQuery(f"Unknown status {status!r}. Use one of: {', '.join(STATUSES)}.")
        if limit is not None and limit < 0:
            raise InvalidQuery(f"limit must be 0 or more, not {limit}.")
        if offset < 0:
            raise InvalidQuery(f"offset must be 0 or more, not {offset}.")
        entity_id = self.entity_id(entity) if entity is not None else None
        rows = self.store.fact_rows(
            entity_id=entity_id,
            relation="owns" if relation == "part_of" else relation,
            status=status,
            limit=limit,
            offset=offset,
        )
        return self._facts(rows)

    def fact(self, id: str) -> FactView | None:
        """One fact by id, or None."""
        found = self._facts(self.store.fact_rows(fact_ids=[id]))
        return found[0] if found else None

    def _facts(self, rows: Sequence[dict[str, Any]]) -> list[FactView]:
        by_fact: dict[str, list[EvidenceView]] = {}
        for ev in self.store.evidence_rows([r["id"] for r in rows]):
            by_fact.setdefault(ev["fact_id"], []).append(
                EvidenceView(
                    doc=ev["doc_id"],
                    title=ev["title"],
                    published=ev["published"],
                    url=ev["url"],
                    sentence=ev["sentence"],
                    start=ev["start"],
                    end=ev["end"],
                    status=ev["status"],
                    future=bool(ev["future"]),
                    time=ev["time"],
                )
            )
        return [
            FactView(
                id=r["id"],
                relation=r["relation"],
                head=r["head_name"],
                head_id=r["head_id"],
                head_type=r["head_type"],
                tail=r["tail_name"],
                tail_id=r["tail_id"],
                tail_type=r["tail_type"],
                status=r["status"],
                future=bool(r["future"]),
                time=r["valid_time"],
                attributes=tuple(sorted(json.loads(r["attributes"] or "{}").items())),
                first_seen=r["first_seen"],
                last_seen=r["last_seen"],
                evidence=tuple(by_fact.get(r["id"], ())),
            )
            for r in rows
        ]

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
        )


def open_graph(db: str | os.PathLike[str] | Store) -> Graph:
    """Open the graph stored at `db` (a path, an SQLAlchemy URL, or an open `Store`, which then stays
    open after the graph closes). A path with no store is a `StoreError`: this API only reads."""
    if isinstance(db, Store):
        return Graph(db, owns_store=False)
    return Graph(Store.open(db, create=False))

"""The read side of the store: plain dicts (column name to value) that `alliancegraph.query` shapes
into views. Mixed into `Store`; like the write side, the only place that builds read SQL.

Answers are the same on SQLite and PostgreSQL: text is ordered by code point (`engine.bytewise`), and
case-insensitive matching lowers both sides (SQLite's ``lower`` is Python's, see `engine`), never relying
on ``LIKE``'s own case rules, which differ between the two."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Engine, and_, case, func, literal, or_, select, union

from alliancegraph.store.engine import bytewise
from alliancegraph.store.schema import aliases, documents, entities, evidence, fact_history, facts

_CHUNK = 500  # bound on the ids of one IN (...) list: SQLite allows few host parameters per statement


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class StoreReader:
    """Read methods of `Store` (see there for opening and writing)."""

    _engine: Engine

    def counts(self) -> dict[str, int]:
        """How many documents, entities, facts and evidence items are stored."""
        with self._engine.connect() as conn:
            return {
                t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in (documents, entities, facts, evidence)
            }

    def fact_rows(
        self,
        *,
        entity_id: str | None = None,
        entity_ids: Sequence[str] | None = None,
        relation: str | None = None,
        relations: Sequence[str] | None = None,
        status: str | None = None,
        fact_ids: Sequence[str] | None = None,
        text: str | None = None,
        seen_by: date | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Facts with their head's and tail's names, types, kinds and dissolution years, newest
        evidence first. `text` keeps facts with an evidence sentence or an entity name containing it
        (any case); `seen_by` keeps facts with some evidence published on or before that day."""
        head = entities.alias("head")
        tail = entities.alias("tail")
        query = (
            select(
                facts,
                head.c.name.label("head_name"),
                head.c.type.label("head_type"),
                head.c.kind.label("head_kind"),
                head.c.dissolved.label("head_dissolved"),
                tail.c.name.label("tail_name"),
                tail.c.type.label("tail_type"),
                tail.c.kind.label("tail_kind"),
                tail.c.dissolved.label("tail_dissolved"),
            )
            .join(head, head.c.id == facts.c.head_id)
            .outerjoin(tail, tail.c.id == facts.c.tail_id)
        )
        if entity_id is not None:
            query = query.where(or_(facts.c.head_id == entity_id, facts.c.tail_id == entity_id))
        if entity_ids is not None:
            ids = list(entity_ids)
            query = query.where(or_(facts.c.head_id.in_(ids), facts.c.tail_id.in_(ids)))
        if relation is not None:
            query = query.where(facts.c.relation == relation)
        if relations is not None:
            query = query.where(facts.c.relation.in_(list(relations)))
        if status is not None:
            query = query.where(facts.c.status == status)
        if fact_ids is not None:
            query = query.where(facts.c.id.in_(list(fact_ids)))
        if text:
            pattern = _like(text)
            query = query.where(
                or_(
                    facts.c.id.in_(
                        select(evidence.c.fact_id).where(
                            func.lower(evidence.c.sentence).like(pattern, escape="\\")
                        )
                    ),
                    func.lower(head.c.name).like(pattern, escape="\\"),
                    func.lower(tail.c.name).like(pattern, escape="\\"),
                )
            )
        if seen_by is not None:
            query = query.where(facts.c.first_seen <= seen_by)
        query = query.order_by(
            facts.c.last_seen.is_(None),
            facts.c.last_seen.desc(),
            bytewise(facts.c.relation),
            bytewise(facts.c.id),
        )
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        with self._engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def evidence_rows(self, fact_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The evidence of these facts with their documents' title, url and story, oldest first."""
        query = select(
            evidence,
            documents.c.title,
            documents.c.url,
            documents.c.story,
        ).join(documents, documents.c.id == evidence.c.doc_id)
        out: list[dict[str, Any]] = []
        with self._engine.connect() as conn:
            for chunk in _chunks(list(fact_ids)):
                out.extend(dict(r._mapping) for r in conn.execute(query.where(evidence.c.fact_id.in_(chunk))))
        out.sort(key=lambda r: (r["fact_id"], r["published"] or date.min, r["doc_id"], r["start"]))
        return out

    def history_rows(self, fact_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The status changes of these facts with the changing document's title, in order per fact."""
        query = select(fact_history, documents.c.title).outerjoin(
            documents, documents.c.id == fact_history.c.doc_id
        )
        out: list[dict[str, Any]] = []
        with self._engine.connect() as conn:
            for chunk in _chunks(list(fact_ids)):
                out.extend(
                    dict(r._mapping) for r in conn.execute(query.where(fact_history.c.fact_id.in_(chunk)))
                )
        out.sort(key=lambda r: (r["fact_id"], r["seq"]))
        return out

    def changed_fact_ids(self, start: date, end: date) -> list[str]:
        """Facts with a status change recorded in (start, end], or whose known end, or the dissolution
        of one of their entities, falls in that span."""
        head = entities.alias("head")
        tail = entities.alias("tail")
        recorded = select(fact_history.c.fact_id).where(
            fact_history.c.recorded > start, fact_history.c.recorded <= end
        )
        ended = select(facts.c.id).where(
            facts.c.valid_end > start, facts.c.valid_end <= end, facts.c.end_recorded <= end
        )
        dissolved = (
            select(facts.c.id)
            .join(head, head.c.id == facts.c.head_id)
            .outerjoin(tail, tail.c.id == facts.c.tail_id)
            .where(
                facts.c.first_seen <= end,
                or_(
                    and_(head.c.dissolved >= start.year, head.c.dissolved < end.year),
                    and_(tail.c.dissolved >= start.year, tail.c.dissolved < end.year),
                ),
            )
        )
        with self._engine.connect() as conn:
            return sorted(set(conn.execute(union(recorded, ended, dissolved)).scalars()))

    def edge_rows(self) -> list[dict[str, Any]]:
        """Every fact with a tail as an edge: id, relation, head_id, tail_id, their types, status,
        corroboration."""
        head = entities.alias("head")
        tail = entities.alias("tail")
        query = (
            select(
                facts.c.id,
                facts.c.relation,
                facts.c.head_id,
                facts.c.tail_id,
                head.c.type.label("head_type"),
                tail.c.type.label("tail_type"),
                facts.c.status,
                facts.c.corroboration,
            )
            .join(head, head.c.id == facts.c.head_id)
            .join(tail, tail.c.id == facts.c.tail_id)
        )
        with self._engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def entity_rows(self) -> list[dict[str, Any]]:
        """Every stored entity, by id."""
        with self._engine.connect() as conn:
            return [
                dict(r._mapping) for r in conn.execute(select(entities).order_by(bytewise(entities.c.id)))
            ]

    def alias_rows(self) -> list[dict[str, Any]]:
        """Every (entity_id, alias) pair, by entity then alias."""
        query = select(aliases.c.entity_id, aliases.c.alias).order_by(
            bytewise(aliases.c.entity_id), bytewise(aliases.c.alias)
        )
        with self._engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def child_rows(self, parent_id: str) -> list[dict[str, Any]]:
        """The entities whose parent is `parent_id`."""
        query = select(entities).where(entities.c.parent_id == parent_id).order_by(bytewise(entities.c.id))
        with self._engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def document_rows(self) -> list[dict[str, Any]]:
        """Every document's metadata (no text), by id."""
        cols = [c for c in documents.c if c.name not in ("text", "signature")]
        with self._engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(*cols).order_by(bytewise(documents.c.id)))]

    def story_count(self) -> int:
        """How many distinct stories the stored documents tell."""
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count(func.distinct(documents.c.story)))).scalar_one())

    def interchange_rows(self, doc: str | None = None) -> Iterator[dict[str, Any]]:
        """The first evidence of each fact in each document (by offset), by document then offset."""
        query = select(evidence).order_by(bytewise(evidence.c.doc_id), evidence.c.start, evidence.c.id)
        if doc is not None:
            query = query.where(evidence.c.doc_id == doc)
        seen: set[tuple[str, str]] = set()
        with self._engine.connect() as conn:
            for row in conn.execute(query.execution_options(yield_per=1000)):
                key = (row.doc_id, row.fact_id)
                if key not in seen:
                    seen.add(key)
                    yield dict(row._mapping)

    def entity_row(self, id: str) -> dict[str, Any] | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(entities).where(entities.c.id == id)).first()
        return dict(row._mapping) if row else None

    def entity_aliases(self, id: str) -> list[str]:
        with self._engine.connect() as conn:
            return list(
                conn.execute(
                    select(aliases.c.alias)
                    .where(aliases.c.entity_id == id)
                    .order_by(bytewise(aliases.c.alias))
                ).scalars()
            )

    def match_entities(self, *, alias: str | None = None, norm: str | None = None) -> list[dict[str, Any]]:
        """Entities with an alias equal to `alias` (case-insensitively) or whose normalised alias is
        `norm`, each with its number of facts, most connected first."""
        conds = []
        if alias:
            conds.append(func.lower(aliases.c.alias) == alias.lower())
        if norm:
            conds.append(aliases.c.norm == norm)
        if not conds:
            return []
        degree = (
            select(func.count())
            .select_from(facts)
            .where(or_(facts.c.head_id == entities.c.id, facts.c.tail_id == entities.c.id))
            .scalar_subquery()
        )
        query = (
            select(entities, degree.label("degree"))
            .where(entities.c.id.in_(select(aliases.c.entity_id).where(or_(*conds))))
            .order_by(degree.desc(), bytewise(entities.c.id))
        )
        with self._engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def names(self) -> list[str]:
        """Every entity name and alias, for suggestions."""
        query = union(select(entities.c.name.label("n")), select(aliases.c.alias.label("n")))
        with self._engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def search_names(self, text: str, norm: str, limit: int) -> list[dict[str, Any]]:
        """Entities whose name or an alias contains `text` (or whose normalised alias contains `norm`):
        prefix matches first, then shorter names. One row per entity, with the alias that matched."""
        escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        escaped_norm = norm.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        lowered = func.lower(aliases.c.alias)
        conds = [lowered.like(f"%{escaped}%", escape="\\")]
        if norm:
            conds.append(aliases.c.norm.like(f"%{escaped_norm}%", escape="\\"))
        prefix = or_(
            lowered.like(f"{escaped}%", escape="\\"),
            aliases.c.norm.like(f"{escaped_norm}%", escape="\\") if norm else literal(False),
        )
        rank = case((prefix, 0), else_=1)
        query = (
            select(
                entities.c.id,
                entities.c.name,
                entities.c.type,
                aliases.c.alias.label("matched"),
                rank.label("rank"),
            )
            .join(aliases, aliases.c.entity_id == entities.c.id)
            .where(or_(*conds))
            .order_by(rank, func.length(aliases.c.alias), bytewise(aliases.c.alias), bytewise(entities.c.id))
            .limit(max(limit, 0) * 8 + 8)
        )
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        with self._engine.connect() as conn:
            for row in conn.execute(query):
                if row.id not in seen and len(out) < limit:
                    seen.add(row.id)
                    out.append(dict(row._mapping))
        return out

    def document_ids(self) -> list[str]:
        with self._engine.connect() as conn:
            return list(conn.execute(select(documents.c.id).order_by(bytewise(documents.c.id))).scalars())

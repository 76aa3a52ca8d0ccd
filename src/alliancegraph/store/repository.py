"""The graph store: the only code that builds SQL (SQLAlchemy Core, on SQLite or PostgreSQL; see `engine`).

Writes are per article and atomic: an article's document, entities, aliases, facts and evidence are
written in one transaction, so a failure never leaves half an article. Re-writing an unchanged article
is a no-op; a changed text replaces that document's evidence. Each write also assigns the document
its story (`alliancegraph.store.stories`) and recomputes the consolidated columns and the status history
of every fact it touches (`alliancegraph.store.history`). The read methods (`StoreReader`) return
plain dicts (column name to value) which `alliancegraph.query` shapes into views.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, Table, Update, bindparam, delete, insert, inspect, select, update
from sqlalchemy.exc import SQLAlchemyError

from alliancegraph.errors import StoreError
from alliancegraph.model import RELATIONS, STATUSES, Article, Entity, KnownEntity, ResolvedFact
from alliancegraph.resolve.entities import canonical_key, is_derived
from alliancegraph.resolve.knowledge import normalize_name
from alliancegraph.store import stories
from alliancegraph.store.engine import connect, describe, lock_writers, make_engine, store_url
from alliancegraph.store.history import consolidated, status_history, time_precision
from alliancegraph.store.reading import StoreReader, _chunks
from alliancegraph.store.schema import (
    MAX_KEY_BYTES,
    SCHEMA_VERSION,
    aliases,
    documents,
    entities,
    evidence,
    fact_history,
    facts,
    meta,
    metadata,
    story_keys,
)

# The statements of the write path, built once. Building a statement and its cache key costs more CPU
# than SQLite takes to run most of them; built once, each is compiled once per connection's dialect and
# found in SQLAlchemy's cache by identity. Lists of ids are expanding parameters (``IN``, one chunk of
# `_chunks` at a time); parameters named ``b_...`` select the rows of an UPDATE or DELETE, the others
# are column values.
_DOCUMENT_HASH = select(documents.c.text_hash).where(documents.c.id == bindparam("b_id"))
_INSERT_DOCUMENT = insert(documents)
_UPDATE_DOCUMENT = update(documents).where(documents.c.id == bindparam("b_id"))
_DOCUMENT_FACTS = select(evidence.c.fact_id).where(evidence.c.doc_id == bindparam("b_id"))
_DELETE_DOCUMENT_EVIDENCE = delete(evidence).where(evidence.c.doc_id == bindparam("b_id"))
_DELETE_STORY_KEYS = delete(story_keys).where(story_keys.c.doc_id == bindparam("b_id"))
_INSERT_STORY_KEYS = insert(story_keys)
_STORY_CANDIDATES = (
    select(story_keys.c.key, documents.c.id, documents.c.story, documents.c.signature, documents.c.published)
    .join(documents, documents.c.id == story_keys.c.doc_id)
    .where(
        story_keys.c.key.in_(bindparam("b_keys", expanding=True)),
        story_keys.c.doc_id != bindparam("b_id"),
    )
)
_DOCUMENT_TEXTS = select(documents.c.id, documents.c.text).where(
    documents.c.id.in_(bindparam("b_ids", expanding=True))
)
_ENTITY_IDS = select(entities.c.id).where(entities.c.id.in_(bindparam("b_ids", expanding=True)))
_ENTITY_RECORDS = select(
    entities.c.id, entities.c.name, entities.c.type, entities.c.parent_id, entities.c.wikidata
).where(entities.c.id.in_(bindparam("b_ids", expanding=True)))
_INSERT_ENTITIES = insert(entities)
_ALIASES_OF = select(aliases.c.entity_id, aliases.c.alias).where(
    aliases.c.entity_id.in_(bindparam("b_ids", expanding=True))
)
_INSERT_ALIASES = insert(aliases)
_FACT_IDS = select(facts.c.id).where(facts.c.id.in_(bindparam("b_ids", expanding=True)))
_INSERT_FACTS = insert(facts)
_INSERT_EVIDENCE = insert(evidence)
_EVIDENCE_OF_FACTS = (
    select(
        evidence.c.id,
        evidence.c.fact_id,
        evidence.c.doc_id,
        evidence.c.sentence,
        evidence.c.status,
        evidence.c.future,
        evidence.c.time,
        evidence.c.attributes,
        evidence.c.published,
        documents.c.story,
    )
    .join(documents, documents.c.id == evidence.c.doc_id)
    .where(evidence.c.fact_id.in_(bindparam("b_ids", expanding=True)))
    .order_by(evidence.c.id)  # the same rows in the same order on every database and every run
)
_DELETE_FACTS = delete(facts).where(facts.c.id.in_(bindparam("b_ids", expanding=True)))
_DELETE_HISTORY = delete(fact_history).where(fact_history.c.fact_id.in_(bindparam("b_ids", expanding=True)))
_INSERT_HISTORY = insert(fact_history)


@lru_cache(maxsize=16)
def _update_by_id(table: Table, columns: tuple[str, ...]) -> Update:
    """The UPDATE of these columns of the row ``b_id`` of a table, built once per table and columns."""
    return update(table).where(table.c.id == bindparam("b_id")).values(**{k: bindparam(k) for k in columns})


_UPDATE_ENTITIES = _update_by_id(entities, ("name", "type", "parent_id", "wikidata"))
"""An entity an article names again: what a later mention may tell better."""
KNOWN_COLUMNS = ("name", "type", "kind", "parent_id", "wikidata", "founded", "dissolved")
"""The columns of an entity that the knowledge file sets."""


def text_hash(text: str) -> str:
    """The digest that tells whether an article's text changed since it was stored."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fact_id(relation: str, head_id: str, tail_id: str | None) -> str:
    """The stable id of a fact: a hash of its canonical key (see `canonical_key`)."""
    key = "\x1f".join(x or "" for x in canonical_key(relation, head_id, tail_id))
    return hashlib.blake2b(key.encode("utf-8"), digest_size=10).hexdigest()


@dataclass(slots=True)
class _Prepared:
    """An article's rows, checked and de-duplicated before any SQL runs."""

    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: dict[str, set[str]] = field(default_factory=dict)
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)


def _check_text(where: str, values: Iterable[object]) -> None:
    """PostgreSQL text cannot hold NUL characters; SQLite would. Both refuse them, so a store's
    contents never depend on its database."""
    for value in values:
        if isinstance(value, str) and "\x00" in value:
            raise StoreError(
                f"Cannot store {where}: {value[:60]!r} contains a NUL character (\\x00). "
                "Remove NUL characters from the article before storing it."
            )


def _check_key(what: str, key: str) -> None:
    if len(key.encode("utf-8")) > MAX_KEY_BYTES:
        raise StoreError(
            f"Cannot store the {what}: its id {key[:60]!r}... is longer than {MAX_KEY_BYTES} bytes, "
            "more than a database index holds. Give it a shorter id."
        )


def _prepare(article: Article, resolved: Sequence[ResolvedFact]) -> _Prepared:
    out = _Prepared()
    _check_text(
        f"article {article.id[:80]!r}", (article.id, article.title, article.url, article.source, article.text)
    )
    _check_key("article", article.id)
    spans: set[tuple[str, int, int]] = set()
    for n, rf in enumerate(resolved):
        fact = rf.fact
        ev = getattr(fact, "evidence", None)
        where = f"fact {n} ({fact.relation} {fact.head!r} -> {fact.tail!r}) of article {article.id!r}"
        if ev is None or not getattr(ev, "text", "").strip():
            raise StoreError(
                f"Cannot store {where}: it has no evidence. Every stored fact needs its sentence."
            )
        if ev.doc != article.id:
            raise StoreError(
                f"Cannot store {where}: its evidence is from document {ev.doc!r}. "
                "Pass each article its own facts."
            )
        if not 0 <= ev.start < ev.end <= len(article.text):
            raise StoreError(
                f"Cannot store {where}: evidence offsets {ev.start}..{ev.end} fall outside the article text "
                f"(length {len(article.text)}). Offsets must index Article.text."
            )
        if fact.relation not in RELATIONS:
            raise StoreError(f"Cannot store {where}: unknown relation. Use one of {', '.join(RELATIONS)}.")
        if fact.status not in STATUSES:
            raise StoreError(
                f"Cannot store {where}: unknown status {fact.status!r}. Use one of {', '.join(STATUSES)}."
            )
        if rf.tail is None and fact.relation != "launch":
            raise StoreError(f"Cannot store {where}: only `launch` may have no tail.")
        _check_text(
            where,
            (
                fact.head,
                fact.tail,
                fact.time,
                *(str(v) for kv in dict(fact.attributes).items() for v in kv),
                *(x for e in (rf.head, rf.tail) if e is not None for x in (e.id, e.name, *e.aliases)),
            ),
        )
        for entity in (rf.head, rf.tail):
            if entity is not None:
                _check_key(f"entity of {where}", entity.id)
        tail_id = rf.tail.id if rf.tail is not None else None
        relation, head_id, canon_tail = canonical_key(fact.relation, rf.head.id, tail_id)
        fid = fact_id(fact.relation, rf.head.id, tail_id)
        if (fid, ev.start, ev.end) in spans:
            continue
        spans.add((fid, ev.start, ev.end))
        for entity, mention in ((rf.head, fact.head), (rf.tail, fact.tail)):
            if entity is None:
                continue
            out.entities.setdefault(entity.id, entity)
            names = out.mentions.setdefault(entity.id, set())
            if mention and mention.strip():
                names.add(mention.strip())
        out.facts.setdefault(
            fid, {"id": fid, "relation": relation, "head_id": head_id, "tail_id": canon_tail}
        )
        out.evidence.append(
            {
                "fact_id": fid,
                "doc_id": article.id,
                "relation": fact.relation,
                "head_name": fact.head,
                "tail_name": fact.tail,
                "sentence": ev.text,
                "start": ev.start,
                "end": ev.end,
                "status": fact.status,
                "future": bool(fact.future),
                "time": fact.time,
                "attributes": json.dumps(dict(fact.attributes), sort_keys=True),
                "published": article.published,
            }
        )
    return out


class Store(StoreReader):
    """A graph store on one database. Open with `Store.open`; close with `close()` or a `with` block."""

    def __init__(self, engine: Engine, location: str):
        self._engine = engine
        self.location = location

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, url_or_path: str | os.PathLike[str], *, create: bool = True) -> Store:
        """Open the store at a path (an SQLite file) or an SQLAlchemy URL (``sqlite:///x.db``,
        ``postgresql://user:password@host/dbname``). With `create`, a missing database and its tables
        are created; without it, a missing store is an error (what a read-only command wants)."""
        url = store_url(url_or_path, create=create)
        location = describe(url)
        engine = make_engine(url)
        try:
            connect(engine, url, create=create)
            store = cls(engine, location)
            store._check_schema(create)
        except StoreError:
            engine.dispose()
            raise
        except (SQLAlchemyError, ImportError, OSError) as e:
            engine.dispose()
            raise StoreError(
                f"Cannot open the store at {location}: {e}. "
                "Check that the file's folder exists and is writable "
                "(or that the database server is up and the URL is right), then retry."
            ) from e
        return store

    def _check_schema(self, create: bool) -> None:
        """Create what is missing (with `create`), then check that this is a store of our schema.
        On PostgreSQL the tables are created inside the writers' lock, so two first writers never
        race to create them."""
        with self._engine.begin() as conn:
            missing = set(metadata.tables) - set(inspect(conn).get_table_names())
            if missing and create:
                lock_writers(conn)
                metadata.create_all(conn)
                missing = set(metadata.tables) - set(inspect(conn).get_table_names())
            if missing:
                raise StoreError(
                    f"{self.location} is not an AllianceGraph store "
                    f"(tables missing: {', '.join(sorted(missing))}). "
                    "Give the location of a store, or a new one to create; ingest articles into it first."
                )
            version = conn.execute(
                select(meta.c.value).where(meta.c.key == "schema_version")
            ).scalar_one_or_none()
            if version is None and create:
                conn.execute(insert(meta).values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif version is not None and version != str(SCHEMA_VERSION):
                raise StoreError(
                    f"The store at {self.location} has schema version {version}; "
                    f"this AllianceGraph reads version {SCHEMA_VERSION}. "
                    "Re-ingest into a new store, or use the matching AllianceGraph release."
                )

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction that holds the store's write lock from its start (see `engine`), so
        concurrent writers wait for each other instead of failing half-way or missing each other's
        evidence."""
        with self._engine.connect() as conn:
            conn.execution_options(alliancegraph_write=True)
            with conn.begin():
                lock_writers(conn)
                yield conn

    # -- writing -----------------------------------------------------------------------------

    def has_document(self, id: str, text_hash: str) -> bool:
        """Whether the document `id` is stored with exactly this text (see `text_hash`)."""
        with self._engine.connect() as conn:
            stored = conn.execute(
                select(documents.c.text_hash).where(documents.c.id == id)
            ).scalar_one_or_none()
        return stored == text_hash

    def write_article(self, article: Article, facts: Sequence[ResolvedFact]) -> bool:
        """Store an article with its resolved facts, atomically. Returns False when the article was
        already stored with the same text (nothing changes), True otherwise. A changed text replaces
        the document's evidence; facts left without evidence are removed. Facts without evidence, or
        with evidence outside the article, are rejected with `StoreError` before anything is written."""
        prepared = _prepare(article, facts)
        digest = text_hash(article.text)
        signature = stories.signature(article.text)
        keys = stories.story_keys(article.title, article.text, signature)
        try:
            with self._write() as conn:
                stored = conn.execute(_DOCUMENT_HASH, {"b_id": article.id}).scalar_one_or_none()
                if stored == digest:
                    return False
                touched: set[str] = set(prepared.facts)
                values = {
                    **_document_values(article, digest),
                    "story": self._find_story(conn, article, signature, keys),
                    "signature": stories.encode(signature),
                }
                if stored is None:
                    # A new document has no story keys yet (they refer to it), so none to delete.
                    conn.execute(_INSERT_DOCUMENT, {"id": article.id, **values})
                else:
                    touched.update(conn.execute(_DOCUMENT_FACTS, {"b_id": article.id}).scalars())
                    conn.execute(_DELETE_DOCUMENT_EVIDENCE, {"b_id": article.id})
                    conn.execute(_DELETE_STORY_KEYS, {"b_id": article.id})
                    conn.execute(_UPDATE_DOCUMENT, {"b_id": article.id, **values})
                self._index_story(conn, article.id, keys)
                self._upsert_entities(conn, prepared.entities.values(), prepared.mentions)
                self._insert_facts(conn, list(prepared.facts.values()))
                self._insert_evidence(conn, prepared.evidence)
                self._consolidate(conn, sorted(touched))
        except SQLAlchemyError as e:
            raise StoreError(
                f"Cannot write article {article.id!r} to {self.location}: {e}. Nothing of this article was "
                "stored; fix the cause and ingest it again."
            ) from e
        return True

    def write_knowledge(self, known: Iterable[KnownEntity]) -> int:
        """Store curated entities (with kind, parent and aliases) so profiles can name parents that no
        article mentions. Updates entities already stored. Returns how many entities were written."""
        batch = {k.id: k for k in known}
        if not batch:
            return 0
        try:
            with self._write() as conn:
                existing = self._existing_ids(conn, list(batch))
                rows = [
                    {
                        "id": k.id,
                        "name": k.name,
                        "type": k.type.upper(),
                        "kind": k.kind,
                        "parent_id": k.parent,
                        "wikidata": k.wikidata,
                        "founded": int(k.founded) if k.founded else None,
                        "dissolved": int(k.dissolved) if k.dissolved else None,
                    }
                    for k in batch.values()
                ]
                new = [r for r in rows if r["id"] not in existing]
                old = [{**r, "b_id": r["id"]} for r in rows if r["id"] in existing]
                if new:
                    conn.execute(_INSERT_ENTITIES, new)
                if old:
                    conn.execute(
                        _update_by_id(entities, KNOWN_COLUMNS),
                        [{k: v for k, v in r.items() if k != "id"} for r in old],
                    )
                self._insert_aliases(conn, {k.id: {k.name, *k.aliases} for k in batch.values()})
        except SQLAlchemyError as e:
            raise StoreError(
                f"Cannot write the knowledge entities to {self.location}: {e}. Nothing was stored."
            ) from e
        return len(batch)

    def rebuild(self) -> int:
        """Recompute every document's story and every fact's consolidated columns and history from what
        is stored, in one transaction (after an upgrade of `stories` or `history`: no re-extraction).
        Returns the number of facts recomputed."""
        try:
            with self._write() as conn:
                conn.execute(delete(story_keys))
                conn.execute(update(documents).values(story=None))
                rows = conn.execute(
                    select(documents.c.id, documents.c.title, documents.c.text, documents.c.published)
                ).all()
                for row in sorted(rows, key=lambda r: (r.published or date.min, r.id)):
                    article = Article(id=row.id, text=row.text, title=row.title, published=row.published)
                    self._assign_story(conn, article, stories.signature(row.text))
                fact_ids = list(conn.execute(select(facts.c.id)).scalars())
                for chunk in _chunks(fact_ids):
                    self._consolidate(conn, list(chunk))
        except SQLAlchemyError as e:
            raise StoreError(f"Cannot rebuild {self.location}: {e}. Nothing was changed.") from e
        return len(fact_ids)

    def _assign_story(self, conn: Connection, article: Article, signature: tuple[int, ...]) -> None:
        """Give the stored document the story of the earliest stored document it is a copy or an update
        of (see `stories`), or a story of its own; index it under its story keys."""
        keys = stories.story_keys(article.title, article.text, signature)
        story = self._find_story(conn, article, signature, keys)
        conn.execute(_DELETE_STORY_KEYS, {"b_id": article.id})
        conn.execute(
            _UPDATE_DOCUMENT, {"b_id": article.id, "story": story, "signature": stories.encode(signature)}
        )
        self._index_story(conn, article.id, keys)

    def _find_story(
        self, conn: Connection, article: Article, signature: tuple[int, ...], keys: Sequence[str]
    ) -> str:
        """The story of the earliest other stored document that the article is a copy or an update of
        (see `stories`), found under its story `keys`; else the article's own id, a new story."""
        found = conn.execute(_STORY_CANDIDATES, {"b_keys": list(keys), "b_id": article.id}).all()
        matches = []
        unsure = []
        for row in found:
            verdict = stories.same_story(
                row.key, signature, article.published, stories.decode(row.signature or ""), row.published
            )
            if verdict is None:
                unsure.append(row)
            elif verdict:
                matches.append(row)
        if unsure:
            ids = sorted({row.id for row in unsure} - {row.id for row in matches})
            texts = {r.id: r.text for r in conn.execute(_DOCUMENT_TEXTS, {"b_ids": ids})}
            matches += [
                row
                for row in unsure
                if row.id in texts and stories.containment(article.text, texts[row.id]) >= stories.CONTAINED
            ]
        if not matches:
            return article.id
        first = min(matches, key=lambda r: (r.published or date.min, r.id))
        return first.story or first.id

    def _index_story(self, conn: Connection, doc_id: str, keys: Sequence[str]) -> None:
        conn.execute(_INSERT_STORY_KEYS, [{"key": k, "doc_id": doc_id} for k in dict.fromkeys(keys)])

    def _existing_ids(self, conn: Connection, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(ids):
            found.update(conn.execute(_ENTITY_IDS, {"b_ids": list(chunk)}).scalars())
        return found

    def _upsert_entities(
        self, conn: Connection, batch: Iterable[Entity], mentions: Mapping[str, set[str]]
    ) -> None:
        by_id = {e.id: e for e in batch}
        if not by_id:
            return
        stored: dict[str, tuple[Any, ...]] = {}
        for chunk in _chunks(list(by_id)):
            for row in conn.execute(_ENTITY_RECORDS, {"b_ids": list(chunk)}):
                stored[row.id] = (row.name, row.type, row.parent_id, row.wikidata)
        new = [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "kind": "derived" if is_derived(e.id) else None,
                "parent_id": e.parent,
                "wikidata": e.wikidata,
            }
            for e in by_id.values()
            if e.id not in stored
        ]
        if new:
            conn.execute(_INSERT_ENTITIES, new)
        # A known entity's canonical record may have changed with the knowledge file; a derived one
        # keeps the name it was first met under.
        changed = [
            {"b_id": e.id, "name": e.name, "type": e.type, "parent_id": e.parent, "wikidata": e.wikidata}
            for e in by_id.values()
            if e.id in stored
            and not is_derived(e.id)
            and stored[e.id] != (e.name, e.type, e.parent, e.wikidata)
        ]
        if changed:
            conn.execute(_UPDATE_ENTITIES, changed)
        self._insert_aliases(
            conn, {e.id: {e.name, *e.aliases, *mentions.get(e.id, ())} for e in by_id.values()}
        )

    def _insert_aliases(self, conn: Connection, names: Mapping[str, set[str]]) -> None:
        have: set[tuple[str, str]] = set()
        for chunk in _chunks(list(names)):
            have.update((r.entity_id, r.alias) for r in conn.execute(_ALIASES_OF, {"b_ids": list(chunk)}))
        rows = [
            {"entity_id": eid, "alias": alias, "norm": normalize_name(alias) or alias.casefold()}
            for eid, group in names.items()
            for alias in sorted(a for a in group if a and a.strip())
            if (eid, alias) not in have
        ]
        # An alias too long for an index is no name anyone looks up: not stored (see schema).
        rows = [r for r in rows if max(len(r["alias"].encode()), len(r["norm"].encode())) <= MAX_KEY_BYTES]
        if rows:
            conn.execute(_INSERT_ALIASES, rows)

    def _insert_facts(self, conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
        have: set[str] = set()
        for chunk in _chunks([r["id"] for r in rows]):
            have.update(conn.execute(_FACT_IDS, {"b_ids": list(chunk)}).scalars())
        new = [
            {
                **r,
                "attributes": "{}",
                "status": "confirmed",
                "future": False,
                "valid_time": None,
                "first_seen": None,
                "last_seen": None,
                "corroboration": 0,
            }
            for r in rows
            if r["id"] not in have
        ]
        if new:
            conn.execute(_INSERT_FACTS, new)

    def _insert_evidence(self, conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            conn.execute(_INSERT_EVIDENCE, list(rows))

    def _consolidate(self, conn: Connection, fact_ids: Sequence[str]) -> None:
        """Recompute the consolidated columns and the status history of these facts from all their
        evidence; delete the facts that have none left."""
        grouped: dict[str, list[Mapping[str, Any]]] = {fid: [] for fid in fact_ids}
        for chunk in _chunks(fact_ids):
            for row in conn.execute(_EVIDENCE_OF_FACTS, {"b_ids": list(chunk)}):
                grouped[row.fact_id].append(dict(row._mapping))
        orphans = [fid for fid, rows in grouped.items() if not rows]
        for chunk in _chunks(orphans):
            conn.execute(_DELETE_FACTS, {"b_ids": list(chunk)})
        for chunk in _chunks(list(grouped)):
            conn.execute(_DELETE_HISTORY, {"b_ids": list(chunk)})
        updates: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        for fid, rows in grouped.items():
            if not rows:
                continue
            history = status_history(rows)
            updates.append({"b_id": fid, **consolidated(rows, history)})
            changes.extend({"fact_id": fid, **h} for h in history)
        if updates:
            conn.execute(_update_by_id(facts, tuple(k for k in updates[0] if k != "b_id")), updates)
        if changes:
            conn.execute(_INSERT_HISTORY, changes)


def _document_values(article: Article, digest: str) -> dict[str, Any]:
    return {
        "title": article.title,
        "published": article.published,
        "url": article.url,
        "source": article.source,
        "text": article.text,
        "text_hash": digest,
        "ingested_at": datetime.now(UTC),
    }


__all__ = ["Store", "fact_id", "text_hash", "time_precision"]

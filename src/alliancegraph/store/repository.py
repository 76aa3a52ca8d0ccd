"""The graph store: the only code that builds SQL (SQLAlchemy Core, on SQLite or PostgreSQL; see `engine`).

Writes are atomic per batch of articles (`Store.write_articles`; `write_article` is a batch of one):
the documents, entities, aliases, facts and evidence of a batch are written in one transaction, so a
failure never leaves half an article, and a batch stores exactly what writing its articles one by one,
in order, would store. An article the store cannot hold is refused alone: its facts are checked before
any SQL runs, and when the database refuses a batch anyway, its articles are written again one per
transaction, so only the one at fault is refused. Re-writing an unchanged article is a no-op (also when
a batch holds the same text twice); a changed text replaces that document's evidence. Each write also
assigns every document its story (`alliancegraph.store.stories`) and recomputes, once per batch, the
consolidated columns and the status history of every fact the batch touches
(`alliancegraph.store.history`). The read methods (`StoreReader`) return plain dicts (column name to
value) which `alliancegraph.query` shapes into views.
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
_DOCUMENT_HASHES = select(documents.c.id, documents.c.text_hash).where(
    documents.c.id.in_(bindparam("b_ids", expanding=True))
)
_INSERT_DOCUMENT = insert(documents)
_UPDATE_DOCUMENT = update(documents).where(documents.c.id == bindparam("b_id"))
_DOCUMENT_FACTS = (
    select(evidence.c.fact_id).where(evidence.c.doc_id.in_(bindparam("b_ids", expanding=True))).distinct()
)
_DELETE_DOCUMENT_EVIDENCE = delete(evidence).where(evidence.c.doc_id.in_(bindparam("b_ids", expanding=True)))
_DELETE_STORY_KEYS = delete(story_keys).where(story_keys.c.doc_id.in_(bindparam("b_ids", expanding=True)))
_INSERT_STORY_KEYS = insert(story_keys)
_STORY_KEYS_OF = (
    select(story_keys.c.key, documents.c.id, documents.c.story, documents.c.signature, documents.c.published)
    .join(documents, documents.c.id == story_keys.c.doc_id)
    .where(story_keys.c.key.in_(bindparam("b_keys", expanding=True)))
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
    contents never depend on its database. Neither database driver takes an unpaired surrogate (no
    UTF-8 encodes it): refused here too, so that one article holding one is refused alone instead of
    failing its whole batch."""
    for value in values:
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            raise StoreError(
                f"Cannot store {where}: {value[:60]!r} contains a NUL character (\\x00). "
                "Remove NUL characters from the article before storing it."
            )
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as e:
                raise StoreError(
                    f"Cannot store {where}: {value[:60]!r} holds an unpaired surrogate "
                    f"(U+{ord(value[e.start]):04X}) at position {e.start}, which no stored text may hold. "
                    "Remove it from the article before storing it."
                ) from e


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


@dataclass(slots=True)
class _Pending:
    """An article on its way into the store: its checked rows, the digest of its text, and what finds
    its story (MinHash signature, story keys). `story` and `replaces` (a stored document of its id is
    rewritten) are set when its batch is written."""

    article: Article
    rows: _Prepared
    digest: str
    signature: tuple[int, ...]
    keys: list[str]
    story: str = ""
    replaces: bool = False


_Finder = tuple[tuple[int, ...], list[str]]
"""What finds an article's story: its MinHash signature and its story keys."""


def _finder(article: Article) -> _Finder:
    signature = stories.signature(article.text)
    return signature, list(dict.fromkeys(stories.story_keys(article.title, article.text, signature)))


def _pending(article: Article, rows: _Prepared, digest: str, finder: _Finder | None = None) -> _Pending:
    signature, keys = finder or _finder(article)
    return _Pending(article, rows, digest, signature, keys)


AHEAD = 2048
"""Articles whose story finders `Store.prepare_stories` keeps for their write (about 5 KB each)."""


class Store(StoreReader):
    """A graph store on one database. Open with `Store.open`; close with `close()` or a `with` block."""

    def __init__(self, engine: Engine, location: str):
        self._engine = engine
        self.location = location
        self._finders: dict[tuple[str | None, str], _Finder] = {}  # by (title, text): see prepare_stories

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
        return self.has_documents([(id, text_hash)])[0]

    def has_documents(self, documents: Sequence[tuple[str, str]]) -> list[bool]:
        """For each (id, text hash) pair, whether that document is stored with exactly this text (see
        `text_hash`): one query for a batch of articles."""
        with self._engine.connect() as conn:
            stored = self._stored_hashes(conn, [id for id, _ in documents])
        return [stored.get(id) == digest for id, digest in documents]

    def _stored_hashes(self, conn: Connection, ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            found.update(
                (row.id, row.text_hash) for row in conn.execute(_DOCUMENT_HASHES, {"b_ids": list(chunk)})
            )
        return found

    def prepare_stories(self, articles: Iterable[Article]) -> None:
        """Compute now what finds each article's story (its MinHash signature and story keys, which
        depend on its title and text only), so that `write_articles` finds it ready: an ingest does
        this while it waits for its extraction workers to start. At most `AHEAD` articles are kept
        waiting for their write; others are computed when written, as without this call."""
        for article in articles:
            if len(self._finders) >= AHEAD:
                return
            key = (article.title, article.text)
            if key not in self._finders:
                try:
                    self._finders[key] = _finder(article)
                except UnicodeError:  # a text the store refuses anyway (`write_articles` says why)
                    continue

    def write_article(self, article: Article, facts: Sequence[ResolvedFact]) -> bool:
        """Store an article with its resolved facts, atomically: a batch of one (see `write_articles`).
        Returns False when the article was already stored with the same text (nothing changes), True
        otherwise; raises the `StoreError` that refused it, when nothing of it was written."""
        [result] = self.write_articles([(article, facts)])
        if isinstance(result, StoreError):
            raise result
        return result

    def write_articles(
        self, batch: Iterable[tuple[Article, Sequence[ResolvedFact]]]
    ) -> list[bool | StoreError]:
        """Store a batch of articles with their resolved facts in one transaction, with the result of
        writing them one by one in this order, and say for each what became of it: False when it was
        already stored with the same text, or came earlier in the batch with it (nothing changes); True
        when it was stored; or the `StoreError` that refused it, when nothing of it was written.

        A changed text replaces the document's evidence; facts left without evidence are removed. An
        article is refused alone: facts without evidence, with evidence outside the article, or with
        text no database holds are found before anything is written; if the database refuses the batch
        all the same, nothing of it is kept and its articles are written again one per transaction, so
        only the article at fault (or every one, when the database itself fails) is refused. Any other
        error propagates, and nothing of the batch is stored."""
        results: list[bool | StoreError] = []
        pending: list[tuple[int, _Pending]] = []
        for article, resolved in batch:
            try:
                rows = _prepare(article, resolved)
            except StoreError as e:
                results.append(e)
                continue
            finder = self._finders.pop((article.title, article.text), None)
            pending.append((len(results), _pending(article, rows, text_hash(article.text), finder)))
            results.append(True)
        written = self._write_pending([p for _, p in pending])
        for (n, _), result in zip(pending, written, strict=True):
            results[n] = result
        return results

    def _write_pending(self, batch: Sequence[_Pending]) -> list[bool | StoreError]:
        if not batch:
            return []
        try:
            with self._write() as conn:
                return [*self._write_batch(conn, batch)]
        except SQLAlchemyError as e:
            if len(batch) > 1:
                # Nothing of the batch is kept. One article's rows, or the database, failed: one
                # transaction per article tells which, and stores the others.
                return [result for p in batch for result in self._write_pending([p])]
            error = StoreError(
                f"Cannot write article {batch[0].article.id!r} to {self.location}: {e}. Nothing of this "
                "article was stored; fix the cause and ingest it again."
            )
            error.__cause__ = e
            return [error]

    def _write_batch(self, conn: Connection, batch: Sequence[_Pending]) -> list[bool]:
        """Write the articles in the transaction `conn`; for each, whether it was stored (False: its
        text is stored already). An id met again with another text closes a part of the batch: the
        parts are written in turn, so each part writes a document once. The facts the whole batch
        touched are consolidated once, at the end: their columns and history depend only on the
        evidence they end with (and its documents' stories), not on the order it came in."""
        stored = self._stored_hashes(conn, [p.article.id for p in batch])
        results: list[bool] = []
        part: dict[str, _Pending] = {}
        touched: set[str] = set()
        for p in batch:
            if stored.get(p.article.id) == p.digest:
                results.append(False)
                continue
            if p.article.id in part:
                touched |= self._write_part(conn, list(part.values()))
                part = {}
            p.replaces = p.article.id in stored
            stored[p.article.id] = p.digest
            part[p.article.id] = p
            results.append(True)
        if part:
            touched |= self._write_part(conn, list(part.values()))
        self._consolidate(conn, sorted(touched))
        return results

    def _write_part(self, conn: Connection, part: Sequence[_Pending]) -> set[str]:
        """Write articles of distinct ids, each statement once for all of them: their documents (a
        changed text first loses its evidence and story keys), story keys, entities, aliases, facts
        and evidence, in the order of the articles. Returns the ids of the facts whose evidence
        changed, to consolidate."""
        self._assign_stories(conn, part)
        touched = {fid for p in part for fid in p.rows.facts}
        replaced = [p.article.id for p in part if p.replaces]
        for chunk in _chunks(replaced):
            ids = list(chunk)
            touched.update(conn.execute(_DOCUMENT_FACTS, {"b_ids": ids}).scalars())
            conn.execute(_DELETE_DOCUMENT_EVIDENCE, {"b_ids": ids})
            conn.execute(_DELETE_STORY_KEYS, {"b_ids": ids})
        values = [
            {
                **_document_values(p.article, p.digest),
                "story": p.story,
                "signature": stories.encode(p.signature),
            }
            for p in part
        ]
        new = [{"id": p.article.id, **v} for p, v in zip(part, values, strict=True) if not p.replaces]
        if new:
            conn.execute(_INSERT_DOCUMENT, new)
        changed = [{"b_id": p.article.id, **v} for p, v in zip(part, values, strict=True) if p.replaces]
        if changed:
            conn.execute(_UPDATE_DOCUMENT, changed)
        self._index_stories(conn, part)
        self._upsert_entities(conn, [p.rows for p in part])
        self._insert_facts(conn, list({fid: f for p in part for fid, f in p.rows.facts.items()}.values()))
        self._insert_evidence(conn, [row for p in part for row in p.rows.evidence])
        return touched

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
                part = [
                    _pending(
                        Article(id=r.id, text=r.text, title=r.title, published=r.published), _Prepared(), ""
                    )
                    for r in sorted(rows, key=lambda r: (r.published or date.min, r.id))
                ]
                self._assign_stories(conn, part)
                if part:
                    conn.execute(
                        _UPDATE_DOCUMENT,
                        [
                            {"b_id": p.article.id, "story": p.story, "signature": stories.encode(p.signature)}
                            for p in part
                        ],
                    )
                self._index_stories(conn, part)
                fact_ids = list(conn.execute(select(facts.c.id)).scalars())
                for chunk in _chunks(fact_ids):
                    self._consolidate(conn, list(chunk))
        except SQLAlchemyError as e:
            raise StoreError(f"Cannot rebuild {self.location}: {e}. Nothing was changed.") from e
        return len(fact_ids)

    def _assign_stories(self, conn: Connection, part: Sequence[_Pending]) -> None:
        """Set the story of each article of a part (distinct ids), in turn, to what writing them one by
        one would give (`stories.story_of`): an article meets the stored documents under its story
        keys, less itself and those the part rewrote before it, and the part's articles before it. One
        query reads the stored documents under all the part's keys."""
        found: dict[str, list[stories.Candidate]] = {}
        signatures: dict[str, tuple[int, ...]] = {}
        for chunk in _chunks(sorted({k for p in part for k in p.keys})):
            for row in conn.execute(_STORY_KEYS_OF, {"b_keys": list(chunk)}):
                signature = signatures.get(row.id)
                if signature is None:
                    signature = signatures[row.id] = stories.decode(row.signature or "")
                found.setdefault(row.key, []).append(
                    stories.Candidate(row.key, row.id, row.story, signature, row.published)
                )
        placed: dict[str, list[stories.Candidate]] = {}  # the part's articles so far, under their keys
        written: dict[str, str] = {}  # their texts
        # The stored texts read so far: of documents as they were before the part, read only while
        # the part has not rewritten them.
        stored_texts: dict[str, str] = {}

        def texts_of(ids: list[str]) -> dict[str, str]:
            missing = [i for i in ids if i not in written and i not in stored_texts]
            for chunk in _chunks(missing):
                stored_texts.update(
                    (r.id, r.text) for r in conn.execute(_DOCUMENT_TEXTS, {"b_ids": list(chunk)})
                )
            return {
                i: written[i] if i in written else stored_texts[i]
                for i in ids
                if i in written or i in stored_texts
            }

        for p in part:
            id = p.article.id
            candidates = [c for k in p.keys for c in found.get(k, ()) if c.id != id and c.id not in written]
            candidates += [c for k in p.keys for c in placed.get(k, ())]
            a = p.article
            p.story = stories.story_of(a.id, a.text, a.published, p.signature, candidates, texts_of)
            written[id] = a.text
            for k in p.keys:
                placed.setdefault(k, []).append(stories.Candidate(k, id, p.story, p.signature, a.published))

    def _index_stories(self, conn: Connection, part: Sequence[_Pending]) -> None:
        rows = [{"key": k, "doc_id": p.article.id} for p in part for k in p.keys]
        if rows:
            conn.execute(_INSERT_STORY_KEYS, rows)

    def _existing_ids(self, conn: Connection, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(ids):
            found.update(conn.execute(_ENTITY_IDS, {"b_ids": list(chunk)}).scalars())
        return found

    def _upsert_entities(self, conn: Connection, batch: Sequence[_Prepared]) -> None:
        """Store the entities the articles name, as writing the articles in turn would: a new entity is
        inserted; a derived one keeps the record it was first met with, a known one takes the last
        (the knowledge file's record may have changed); every name an article gives it is an alias."""
        first: dict[str, Entity] = {}
        last: dict[str, Entity] = {}
        names: dict[str, set[str]] = {}
        for rows in batch:
            for e in rows.entities.values():
                first.setdefault(e.id, e)
                last[e.id] = e
                names.setdefault(e.id, set()).update((e.name, *e.aliases, *rows.mentions.get(e.id, ())))
        if not first:
            return
        kept = {id: first[id] if is_derived(id) else last[id] for id in first}
        stored: dict[str, tuple[Any, ...]] = {}
        for chunk in _chunks(list(kept)):
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
            for e in kept.values()
            if e.id not in stored
        ]
        if new:
            conn.execute(_INSERT_ENTITIES, new)
        # A known entity's canonical record may have changed with the knowledge file; a derived one
        # keeps the name it was first met under.
        changed = [
            {"b_id": e.id, "name": e.name, "type": e.type, "parent_id": e.parent, "wikidata": e.wikidata}
            for e in kept.values()
            if e.id in stored
            and not is_derived(e.id)
            and stored[e.id] != (e.name, e.type, e.parent, e.wikidata)
        ]
        if changed:
            conn.execute(_UPDATE_ENTITIES, changed)
        self._insert_aliases(conn, names)

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

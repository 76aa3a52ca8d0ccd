"""The tables of the graph store, declared once with SQLAlchemy Core for SQLite and PostgreSQL alike.

Fact identity: a fact row is one relation between two entities, whatever article states it. Its id is
a stable hash of the canonical key (`alliancegraph.resolve.entities.canonical_key`): symmetric relations
are order-free and ``part_of(A, B)`` is stored as ``owns(B, A)``, so the graph has one direction for
ownership and `owns`/`part_of` evidence meets on one row. Each evidence row keeps the relation and the
names *as the article gave them*, so the per-document interchange output is unchanged.

The consolidated columns of `facts` are recomputed from all of a fact's evidence on every write
(`alliancegraph.store.history`): `status` is the end state of the fact's status history, `future`
follows the latest evidence, `valid_time` is the most specific time seen, `first_seen`/`last_seen` span
the publication dates, `valid_end` is when the fact stopped holding if a text says so (recorded on
`end_recorded`), and `corroboration` counts independent statements (`alliancegraph.store.stories`).

Two clocks: *valid time* is when a fact holds in the world (`evidence.time`, EDTF, from the text);
*recorded time* is when it was learned (`evidence.published`). `fact_history` is the fact's status
over recorded time: one row per change (reported, confirmed, denied, ended) with the evidence and
document that changed it.

Each document has a `story` (the id of the first stored document of its story, see
`alliancegraph.store.stories`) and the MinHash `signature` of its body; `story_keys` indexes documents
by the keys under which near-copies meet.

The tables are the same on SQLite and PostgreSQL. Text that comes from outside (ids, names, times) is
`Text`, so PostgreSQL enforces no length that SQLite would ignore; a `String(n)` column holds only values
the store makes itself or checks against a closed vocabulary. The one limit left is PostgreSQL's on an
index entry (about 2.7 kB): on both databases alike, document and entity ids longer than
`MAX_KEY_BYTES` (UTF-8) are refused and such aliases are not stored. No text holds a NUL character
(PostgreSQL cannot).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 2
MAX_KEY_BYTES = 1000
"""The longest indexed text (document and entity ids, aliases), in UTF-8 bytes."""

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Text, primary_key=True),
    Column("title", Text),
    Column("published", Date),
    Column("url", Text),
    Column("source", Text),
    Column("text", Text, nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("story", Text),
    Column("signature", Text),
    Index("ix_documents_published", "published"),
    Index("ix_documents_story", "story"),
)

story_keys = Table(
    "story_keys",
    metadata,
    Column("key", String(64), nullable=False),
    Column("doc_id", Text, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("key", "doc_id", name="uq_story_keys"),
    Index("ix_story_keys_doc", "doc_id"),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("kind", String(64)),
    # No foreign key: a parent may be named by the knowledge file without being stored yet.
    Column("parent_id", Text),
    Column("wikidata", Text),
    Column("founded", Integer),
    Column("dissolved", Integer),
    Index("ix_entities_type", "type"),
    Index("ix_entities_parent", "parent_id"),
)

aliases = Table(
    "aliases",
    metadata,
    Column("entity_id", Text, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False),
    Column("alias", Text, nullable=False),
    Column("norm", Text, nullable=False),
    UniqueConstraint("entity_id", "alias", name="uq_aliases_entity_alias"),
    Index("ix_aliases_norm", "norm"),
)

facts = Table(
    "facts",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("relation", String(32), nullable=False),
    Column("head_id", Text, ForeignKey("entities.id"), nullable=False),
    Column("tail_id", Text, ForeignKey("entities.id")),
    Column("attributes", Text, nullable=False, default="{}"),
    Column("status", String(16), nullable=False),
    Column("future", Boolean, nullable=False, default=False),
    Column("valid_time", Text),
    Column("first_seen", Date),
    Column("last_seen", Date),
    Column("valid_end", Date),
    Column("end_recorded", Date),
    Column("corroboration", Integer, nullable=False, default=0),
    Index("ix_facts_relation", "relation"),
    Index("ix_facts_head", "head_id", "relation"),
    Index("ix_facts_tail", "tail_id", "relation"),
    Index("ix_facts_status", "status"),
    Index("ix_facts_last_seen", "last_seen"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("fact_id", String(32), ForeignKey("facts.id", ondelete="CASCADE"), nullable=False),
    Column("doc_id", Text, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("relation", String(32), nullable=False),
    Column("head_name", Text, nullable=False),
    Column("tail_name", Text),
    Column("sentence", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("future", Boolean, nullable=False, default=False),
    Column("time", Text),
    Column("attributes", Text, nullable=False, default="{}"),
    Column("published", Date),
    UniqueConstraint("fact_id", "doc_id", "start", "end", name="uq_evidence_span"),
    Index("ix_evidence_fact", "fact_id"),
    Index("ix_evidence_doc", "doc_id", "start"),
)

fact_history = Table(
    "fact_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("fact_id", String(32), ForeignKey("facts.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("recorded", Date),
    Column("status", String(16), nullable=False),
    Column("previous", String(16)),
    Column("valid_end", Date),
    Column("doc_id", Text, ForeignKey("documents.id", ondelete="CASCADE")),
    Column("evidence_id", Integer),
    UniqueConstraint("fact_id", "seq", name="uq_fact_history_seq"),
    Index("ix_fact_history_recorded", "recorded"),
)

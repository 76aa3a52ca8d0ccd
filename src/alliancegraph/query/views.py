"""What the read API returns: plain frozen dataclasses, each with `to_dict()` for JSON output."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class EvidenceView:
    """One article's statement of a fact: the sentence, its offsets in the article text, and how
    firmly (`status`), whether as a plan (`future`) and for when (`time`) that article states it."""

    doc: str
    title: str | None
    published: date | None
    url: str | None
    sentence: str
    start: int
    end: int
    status: str
    future: bool = False
    time: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "title": self.title,
            "published": _iso(self.published),
            "url": self.url,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "status": self.status,
            "future": self.future,
            "time": self.time,
        }


@dataclass(frozen=True, slots=True)
class FactView:
    """A fact of the graph with every evidence item, oldest first.

    Heads and tails carry the entities' canonical names. `status` and `future` are those of the latest
    evidence, `time` the most specific valid time any evidence gave; `first_seen`/`last_seen` span the
    publication dates of the evidence. `part_of` facts are shown as `owns` with head and tail swapped.
    """

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
    time: str | None
    attributes: tuple[tuple[str, Any], ...] = ()
    first_seen: date | None = None
    last_seen: date | None = None
    evidence: tuple[EvidenceView, ...] = ()

    def attribute(self, name: str) -> Any:
        return dict(self.attributes).get(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "relation": self.relation,
            "head": self.head,
            "head_id": self.head_id,
            "head_type": self.head_type,
            "tail": self.tail,
            "tail_id": self.tail_id,
            "tail_type": self.tail_type,
            "status": self.status,
            "future": self.future,
            "time": self.time,
            "attributes": dict(self.attributes),
            "first_seen": _iso(self.first_seen),
            "last_seen": _iso(self.last_seen),
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class EntityProfile:
    """An entity with its aliases, its parent and its facts (as head or tail) grouped by relation."""

    id: str
    name: str
    type: str
    kind: str | None
    aliases: tuple[str, ...]
    parent_id: str | None
    parent: str | None
    wikidata: str | None
    facts: dict[str, tuple[FactView, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "parent_id": self.parent_id,
            "parent": self.parent,
            "wikidata": self.wikidata,
            "facts": {rel: [f.to_dict() for f in group] for rel, group in self.facts.items()},
        }


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An entity whose name or alias matched a search; `matched` is the name that did."""

    id: str
    name: str
    type: str
    matched: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type, "matched": self.matched}


@dataclass(frozen=True, slots=True)
class Stats:
    """How much the store holds."""

    documents: int
    entities: int
    facts: int
    evidence: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "entities": self.entities,
            "facts": self.facts,
            "evidence": self.evidence,
        }

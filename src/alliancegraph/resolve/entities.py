"""Map mention names to graph entities, and the facts of one document to resolved, de-duplicated facts.

A mention resolves to a known entity of the curated knowledge file when `Knowledge.lookup` finds its
(normalised) name or alias *and* the types agree; otherwise to a derived entity whose id is made from
the normalised mention (``org:~acme-motors``), so "Acme Motors Corp." and "Acme Motors" still meet.
Two different types are never merged: a VEHICLE "Mercedes-Benz" is not the ORG Mercedes-Benz.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from alliancegraph.model import SYMMETRIC, Entity, Fact, ResolvedFact
from alliancegraph.resolve.knowledge import Knowledge, normalize_name

ROLE_TYPES: dict[str, tuple[str, str]] = {
    "partner_of": ("ORG", "ORG"),
    "owns": ("ORG", "ORG"),
    "part_of": ("ORG", "ORG"),
    "joint_venture_of": ("ORG", "ORG"),
    "develops": ("ORG", "VEHICLE"),
    "manufactures": ("ORG", "VEHICLE"),
    "produced_at": ("VEHICLE", "PLANT"),
    "operates": ("ORG", "PLANT"),
    "located_in": ("PLANT", "PLACE"),
    "based_on": ("VEHICLE", "VEHICLE"),
    "supplies": ("ORG", "ORG"),
    "market": ("VEHICLE", "PLACE"),
    "role_at": ("PERSON", "ORG"),
    "launch": ("VEHICLE", "PLACE"),
}
"""The type a head or tail most likely has, used only when the extractor gave none and the name is unknown."""

_NOT_WORD = re.compile(r"[\W_]+")


def slug(text: str) -> str:
    """A lowercase, hyphen-separated id fragment; a short hash when nothing word-like is left."""
    out = _NOT_WORD.sub("-", text.casefold()).strip("-")
    return out or "h" + hashlib.blake2b(text.encode("utf-8"), digest_size=5).hexdigest()


def derived_id(name: str, type: str) -> str:
    """The id of an entity first met in text: ``{type}:~{slug}`` of the normalised name."""
    norm = normalize_name(name)
    return f"{type.lower()}:~{slug(norm or name)}"


def is_derived(entity_id: str) -> bool:
    return ":~" in entity_id


def canonical_key(relation: str, head_id: str, tail_id: str | None) -> tuple[str, str, str | None]:
    """The identity of a fact between entities: symmetric relations are order-free, and
    ``part_of(A, B)`` is the same fact as ``owns(B, A)`` (the canonical form is `owns`)."""
    if relation == "part_of" and tail_id is not None:
        return ("owns", tail_id, head_id)
    if relation in SYMMETRIC and tail_id is not None and tail_id < head_id:
        return (relation, tail_id, head_id)
    return (relation, head_id, tail_id)


class Resolver:
    """Resolves mention names against one `Knowledge`; results are cached per (name, type)."""

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self._cache: dict[tuple[str, str | None, str], Entity] = {}

    def resolve(self, name: str, type: str | None = None, *, fallback_type: str = "ORG") -> Entity:
        """The entity `name` stands for.

        `type` is the mention's entity type when the extractor knows it; a known entity of another
        type is then not a match. `fallback_type` types the derived entity of an unknown name whose
        type was not given.
        """
        name = name.strip()
        if not name:
            raise ValueError(
                "Cannot resolve an empty entity name; the extractor produced a fact without a name."
            )
        wanted = type.upper() if type else None
        key = (name, wanted, fallback_type)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        known = self.knowledge.lookup(name)
        if known is not None and (wanted is None or known.type.upper() == wanted):
            entity = Entity(
                id=known.id,
                name=known.name,
                type=known.type.upper(),
                aliases=tuple(known.aliases),
                parent=known.parent,
                wikidata=known.wikidata,
            )
        else:
            etype = wanted or fallback_type.upper()
            entity = Entity(id=derived_id(name, etype), name=name, type=etype)
        self._cache[key] = entity
        return entity


def resolve_facts(facts: Sequence[Fact], resolver: Resolver) -> list[ResolvedFact]:
    """Resolve heads and tails, and keep one fact per document and identity (`canonical_key`).

    The first occurrence wins, with its evidence. A fact whose head and tail resolve to the same entity
    ("GM owns General Motors") states nothing about the graph and is dropped.
    """
    seen: set[tuple[str, str, str, str | None]] = set()
    out: list[ResolvedFact] = []
    for fact in facts:
        head_role, tail_role = ROLE_TYPES.get(fact.relation, ("ORG", "ORG"))
        head = resolver.resolve(fact.head, fact.head_type, fallback_type=head_role)
        tail = (
            resolver.resolve(fact.tail, fact.tail_type, fallback_type=tail_role)
            if fact.tail is not None and fact.tail.strip()
            else None
        )
        if tail is not None and tail.id == head.id:
            continue
        key = (fact.evidence.doc, *canonical_key(fact.relation, head.id, tail.id if tail else None))
        if key in seen:
            continue
        seen.add(key)
        out.append(ResolvedFact(fact=fact, head=head, tail=tail))
    return out

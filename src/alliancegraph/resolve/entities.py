"""Map mention names to graph entities, and the facts of one document to resolved, de-duplicated facts.

A mention resolves to a known entity of the curated knowledge file when `Knowledge.lookup` finds its
(normalised) name or alias *and* the types agree; otherwise to a derived entity whose id is made from
the normalised mention (``org:~acme``), so "Acme Motors Corp.", "Acme Motor Co" and "Acme" still meet
(`derived_key`). Two different types are never merged: a VEHICLE "Mercedes-Benz" is not the ORG
Mercedes-Benz.

People are the exception to "one name, one entity": a name says little about who is meant, so a PERSON
is keyed by name *and* the company of their `role_at` fact in the same document
(``person:~jo-quill@org-acme``). Two people of one name at two companies stay two people; a person no
role ties to a company is keyed by name alone.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
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


_MOTOR_WORDS = frozenset({"motor", "motors"})


def derived_key(name: str, type: str) -> str:
    """The comparison key of a name not in the knowledge file: `normalize_name`, and for an ORG also
    without a trailing "Motor"/"Motors" ("Acme Motor Co" and "Acme Motors" are Acme), as
    `Knowledge.lookup` does for known names."""
    norm = normalize_name(name)
    if type.upper() == "ORG":
        words = norm.split()
        if len(words) > 1 and words[-1] in _MOTOR_WORDS:
            norm = " ".join(words[:-1])
    return norm


def derived_id(name: str, type: str) -> str:
    """The id of an entity first met in text: ``{type}:~{slug}`` of its `derived_key`."""
    return f"{type.lower()}:~{slug(derived_key(name, type) or name)}"


def person_id(name: str, company_id: str | None) -> str:
    """The id of a person: the name's derived id, qualified by the company they hold a role at."""
    base = derived_id(name, "PERSON")
    return f"{base}@{slug(company_id)}" if company_id else base


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
    """Resolves mention names against one `Knowledge`; results are cached per (name, type).

    `rejected` counts the mentions `resolve_facts` refused, by (name, type asked, known id): a PERSON
    whose name is a known company, brand or product name ("GM" read as a person) is a misreading,
    neither merged into the known entity (another type) nor kept as a person of that name.
    """

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self._cache: dict[tuple[str, str | None, str], Entity] = {}
        self.rejected: Counter[tuple[str, str, str]] = Counter()

    def misread(self, name: str | None, type: str | None) -> bool:
        """Whether a mention typed `type` is a misreading of a known entity's name (see `rejected`)."""
        if not name or (type or "").upper() != "PERSON":
            return False
        known = self.knowledge.lookup(name) or self.knowledge.lookup(name.upper())
        if known is None:
            return False
        self.rejected[(name, "PERSON", known.id)] += 1
        return True

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


def _employers(facts: Sequence[Fact], resolver: Resolver) -> dict[str, str]:
    """Each person of one document (by derived key) mapped to the company of their first `role_at`
    fact in document order: the company that tells this person apart from namesakes."""
    out: dict[str, str] = {}
    roles = sorted(
        (f for f in facts if f.relation == "role_at" and f.tail and f.tail.strip()),
        key=lambda f: f.evidence.start,
    )
    for fact in roles:
        head_type = (fact.head_type or "PERSON").upper()
        if head_type != "PERSON" or not fact.tail:
            continue
        company = resolver.resolve(fact.tail, fact.tail_type, fallback_type="ORG")
        out.setdefault(derived_key(fact.head, "PERSON"), company.id)
    return out


def _as_person(entity: Entity, employers: dict[str, str]) -> Entity:
    if entity.type != "PERSON" or not is_derived(entity.id):
        return entity
    company = employers.get(derived_key(entity.name, "PERSON"))
    return Entity(id=person_id(entity.name, company), name=entity.name, type="PERSON")


def resolve_facts(facts: Sequence[Fact], resolver: Resolver) -> list[ResolvedFact]:
    """Resolve the heads and tails of one document's facts, and keep one fact per identity
    (`canonical_key`).

    The first occurrence wins, with its evidence. A fact whose head and tail resolve to the same entity
    ("GM owns General Motors") states nothing about the graph and is dropped, and so is one with a
    misread person (`Resolver.misread`). People are keyed by the company of their `role_at` fact in
    this document (`person_id`).
    """
    employers = _employers(facts, resolver)
    seen: set[tuple[str, str, str, str | None]] = set()
    out: list[ResolvedFact] = []
    for fact in facts:
        head_role, tail_role = ROLE_TYPES.get(fact.relation, ("ORG", "ORG"))
        head_type = fact.head_type or (head_role if head_role == "PERSON" else None)
        if resolver.misread(fact.head, head_type) or resolver.misread(fact.tail, fact.tail_type):
            continue
        head = _as_person(resolver.resolve(fact.head, fact.head_type, fallback_type=head_role), employers)
        tail = (
            _as_person(resolver.resolve(fact.tail, fact.tail_type, fallback_type=tail_role), employers)
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

"""The core records that flow between the pipeline stages.

They are frozen dataclasses with no I/O: ingest makes `Article`s, extract makes `Fact`s (each with
its `Evidence`), the store keeps them and the query layer reads them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

RELATIONS: tuple[str, ...] = (
    "partner_of",
    "owns",
    "part_of",
    "joint_venture_of",
    "develops",
    "manufactures",
    "produced_at",
    "operates",
    "located_in",
    "based_on",
    "supplies",
    "market",
    "role_at",
    "launch",
)
"""The closed vocabulary of relations (see the fact interchange format in the README)."""

SYMMETRIC: frozenset[str] = frozenset({"partner_of"})
"""Relations whose head and tail may be swapped without changing the fact."""

STATUSES: tuple[str, ...] = ("confirmed", "reported", "denied")
"""How firmly an article states a fact: as fact, as hearsay or hedge, or as not so."""

ENTITY_TYPES: tuple[str, ...] = ("ORG", "PERSON", "VEHICLE", "PLATFORM", "PLANT", "PLACE")


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, cleaned of boilerplate.

    `text` is the article body (headline excluded) with hard line breaks unwrapped; every evidence
    offset refers to it. `published` is None when neither the record nor the text tells the date.
    """

    id: str
    text: str
    title: str | None = None
    published: date | None = None
    url: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence of an article that states a fact; `start`/`end` are offsets into `Article.text`."""

    doc: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Fact:
    """One relation between two entities as one article states it.

    `head` and `tail` are names as the article gives them, or the canonical name when the mention
    was resolved (a pronoun or "the French carmaker" becomes the company it stands for). `tail` is
    None only for a `launch` without a market. `time` is an EDTF string (``2010-04``, ``../2019``)
    resolved against the publication date; `future` marks plans and expectations.
    `attributes` holds relation-specific details: ``share`` for `owns`, ``title`` for `role_at`.
    """

    relation: str
    head: str
    tail: str | None
    evidence: Evidence
    status: str = "confirmed"
    future: bool = False
    time: str | None = None
    head_type: str | None = None
    tail_type: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> tuple[str, str, str | None]:
        """Identity of the fact within one document: relation and the two names, order-free when symmetric."""
        head, tail = self.head, self.tail
        if self.relation in SYMMETRIC and tail is not None and tail < head:
            head, tail = tail, head
        return (self.relation, head, tail)

    def attribute(self, name: str) -> str | None:
        return dict(self.attributes).get(name)

    def to_interchange(self) -> dict[str, object]:
        """The fact in the fact interchange format (one JSON object per line)."""
        out: dict[str, object] = {
            "doc": self.evidence.doc,
            "relation": self.relation,
            "head": self.head,
            "tail": self.tail,
            "status": self.status,
            "future": self.future,
            "time": self.time,
        }
        out.update(dict(self.attributes))
        out["evidence"] = {"text": self.evidence.text, "start": self.evidence.start, "end": self.evidence.end}
        return out


@dataclass(frozen=True, slots=True)
class KnownEntity:
    """An entry of the curated knowledge file: a company, brand, alliance, venture, vehicle or plant.

    `id` is stable across releases (``org:general-motors``); `parent` is the id of the owning
    group, maker or alliance; `wikidata` is the Wikidata item where one exists.
    """

    id: str
    name: str
    type: str
    kind: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    country: str | None = None
    wikidata: str | None = None
    founded: str | None = None
    dissolved: str | None = None


@dataclass(frozen=True, slots=True)
class SkippedInput:
    """An input that could not be read: where it was and why, for the run report."""

    source: str
    reason: str


@dataclass(slots=True)
class RunReport:
    """What one ingest run did: counts, skipped inputs with their reasons, and the time taken."""

    documents: int = 0
    unchanged: int = 0
    facts: int = 0
    entities: int = 0
    skipped: list[SkippedInput] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Entity:
    """A resolved entity of the graph: one id for every name an article may give it.

    `id` is the knowledge file's stable id for known entities (``org:general-motors``) and a
    derived id (``org:~acme-motors``) for entities first met in text. `parent` is the parent's id.
    """

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    wikidata: str | None = None


@dataclass(frozen=True, slots=True)
class ResolvedFact:
    """A fact whose head and tail have been mapped to graph entities."""

    fact: Fact
    head: Entity
    tail: Entity | None

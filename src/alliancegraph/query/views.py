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
    firmly (`status`), whether as a plan (`future`) and for when (`time`) that article states it.
    `relation`, `head_name` and `tail_name` are as the article states them (``part_of`` stays
    ``part_of``); `story` is the story the document belongs to (copies of one story share it)."""

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
    story: str | None = None
    relation: str | None = None
    head_name: str | None = None
    tail_name: str | None = None

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
            "story": self.story,
            "relation": self.relation,
            "head_name": self.head_name,
            "tail_name": self.tail_name,
        }


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One change of a fact's status over recorded time: on `recorded` (a publication date), the
    document `doc` made it `status` (reported, confirmed, denied, or ended on `valid_end`)."""

    recorded: date | None
    status: str
    previous: str | None
    doc: str | None
    title: str | None = None
    valid_end: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "recorded": _iso(self.recorded),
            "status": self.status,
            "previous": self.previous,
            "doc": self.doc,
            "title": self.title,
            "valid_end": _iso(self.valid_end),
        }


@dataclass(frozen=True, slots=True)
class FactView:
    """A fact of the graph with every evidence item, oldest first.

    Heads and tails carry the entities' canonical names. `status` is the end state of the fact's
    status `history` (see `alliancegraph.store.history`), `future` that of the latest evidence, `time`
    the most specific valid time any evidence gave; `first_seen`/`last_seen` span the publication
    dates of the evidence, `ended` is the day the fact stopped holding when that is known.
    `corroboration` counts independent statements: copies and updates of one story count once.
    `part_of` facts are shown as `owns` with head and tail swapped. A view taken `as_of` a date shows
    only what was published by then.
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
    corroboration: int = 0
    ended: date | None = None
    history: tuple[StatusChange, ...] = ()

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
            "corroboration": self.corroboration,
            "ended": _iso(self.ended),
            "history": [h.to_dict() for h in self.history],
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
    """How much the store holds; `stories` counts documents with copies and updates counted once."""

    documents: int
    entities: int
    facts: int
    evidence: int
    stories: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "entities": self.entities,
            "facts": self.facts,
            "evidence": self.evidence,
            "stories": self.stories,
        }


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """A dated event of an entity's alliances: a fact beginning (`kind` "fact"), changing status
    ("status": `status` is the new one, from the article `doc`), or ending ("ended").

    A fact begins on the earliest valid time its evidence gives when the text places it before its
    first publication (`dated_by` "text"; `time` is that EDTF value), else on its first publication
    (`dated_by` "publication"); `status` is then the status it was first reported with. A fact ends on
    the last day of a closed valid time (`dated_by` "text") or at the end of the year one of its
    entities was dissolved, per the knowledge file ("dissolution").
    """

    date: date
    kind: str
    dated_by: str
    time: str | None
    status: str
    fact: FactView
    doc: str | None = None

    @property
    def summary(self) -> str:
        f = self.fact
        return f"{f.head} {f.relation} {f.tail or '-'}: {self.status}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "dated_by": self.dated_by,
            "time": self.time,
            "status": self.status,
            "doc": self.doc,
            "summary": self.summary,
            "fact": self.fact.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class PartnerView:
    """An entity linked to another by alliance, ownership or a joint venture.

    `links` names each tie from the asking entity's side: ``partner_of``, ``owns`` (it owns the
    partner), ``owned_by``, ``venture`` (the partner is its joint venture), ``venture_parent`` (it is a
    joint venture of the partner), ``joint_venture`` (both are parents of the venture named in `via`),
    or ``member`` (the partner is tied to an alliance the entity belongs to, named in `via`). `status`
    is the firmest status among the ties (confirmed, then reported, then denied), as of the date
    asked; `corroboration` counts the independent statements behind all the ties together.
    `mentioned_as` is the name the articles most often give the partner (e.g. "Daimler" for the
    entity now called Mercedes-Benz Group).
    """

    partner: str
    partner_id: str
    partner_type: str
    links: tuple[str, ...]
    status: str
    since: date | None
    corroboration: int
    via: tuple[str, ...] = ()
    facts: tuple[FactView, ...] = ()
    mentioned_as: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "partner_id": self.partner_id,
            "partner_type": self.partner_type,
            "links": list(self.links),
            "status": self.status,
            "since": _iso(self.since),
            "corroboration": self.corroboration,
            "via": list(self.via),
            "mentioned_as": self.mentioned_as,
            "facts": [f.to_dict() for f in self.facts],
        }


@dataclass(frozen=True, slots=True)
class FactChange:
    """What happened to one fact between two dates: `change` is "appeared", "changed" or "ended";
    `before`/`after` are its statuses on the two dates; `date` and `doc` tell when and where."""

    change: str
    before: str | None
    after: str | None
    date: date | None
    doc: str | None
    title: str | None
    fact: FactView

    def to_dict(self) -> dict[str, Any]:
        return {
            "change": self.change,
            "before": self.before,
            "after": self.after,
            "date": _iso(self.date),
            "doc": self.doc,
            "title": self.title,
            "fact": self.fact.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class DiffView:
    """The facts that appeared, changed status or ended in (start, end], optionally of one entity."""

    start: date
    end: date
    entity: str | None
    appeared: tuple[FactChange, ...] = ()
    changed: tuple[FactChange, ...] = ()
    ended: tuple[FactChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "entity": self.entity,
            "appeared": [c.to_dict() for c in self.appeared],
            "changed": [c.to_dict() for c in self.changed],
            "ended": [c.to_dict() for c in self.ended],
        }


@dataclass(frozen=True, slots=True)
class PathStep:
    """One hop of a path between two entities: the fact that links `source` to `target`, with its
    evidence; `forward` is False when the fact runs from target to source (owns, role_at...)."""

    source: str
    source_id: str
    target: str
    target_id: str
    relation: str
    forward: bool
    fact: FactView

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "source_id": self.source_id,
            "target": self.target,
            "target_id": self.target_id,
            "relation": self.relation,
            "forward": self.forward,
            "fact": self.fact.to_dict(),
        }

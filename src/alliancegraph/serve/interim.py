"""Stop-gaps for reads the query API does not offer yet: as-of, text filter, timeline, diff, highlights.

Each function works on `FactView`s only (never on SQL) and goes away when `Graph` grows the method
it stands in for (`facts(as_of=, text=)`, `timeline`, `diff`, `evidence`). Until then the serve layer
uses this rule for "as of a date": a fact stood on day D when an article published on or before D
stated it, with the status of the latest such article. Undated evidence counts on every day.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from alliancegraph.query import EvidenceView, FactView, Graph


def fact_as_of(fact: FactView, day: date) -> FactView | None:
    """The fact as it stood on `day`, or None when no article had stated it by then."""
    known = tuple(e for e in fact.evidence if e.published is None or e.published <= day)
    if not known:
        return None
    latest = known[-1]
    dated = [e.published for e in known if e.published is not None]
    return dataclasses.replace(
        fact,
        evidence=known,
        status=latest.status,
        future=latest.future,
        first_seen=min(dated) if dated else None,
        last_seen=max(dated) if dated else None,
    )


def facts_as_of(facts: Iterable[FactView], day: date | None) -> list[FactView]:
    if day is None:
        return list(facts)
    return [f for f in (fact_as_of(f, day) for f in facts) if f is not None]


def facts_matching(facts: Iterable[FactView], text: str | None) -> list[FactView]:
    """Facts whose names, relation or any evidence sentence or title contain `text` (any case)."""
    if not text:
        return list(facts)
    needle = text.casefold()

    def hit(f: FactView) -> bool:
        fields = [f.relation, f.head, f.tail or ""]
        fields += [e.sentence for e in f.evidence] + [e.title or "" for e in f.evidence]
        return any(needle in x.casefold() for x in fields)

    return [f for f in facts if hit(f)]


def timeline(facts: Sequence[FactView]) -> list[dict[str, Any]]:
    """One event per evidence item of the facts: the day an article stated the fact, oldest first."""
    events = [
        {
            "date": e.published,
            "fact_id": f.id,
            "relation": f.relation,
            "head": f.head,
            "head_id": f.head_id,
            "tail": f.tail,
            "tail_id": f.tail_id,
            "status": e.status,
            "future": e.future,
            "time": e.time or f.time,
            "doc": e.doc,
            "title": e.title,
            "url": e.url,
            "sentence": e.sentence,
        }
        for f in facts
        for e in f.evidence
    ]
    events.sort(key=lambda ev: (ev["date"] is None, ev["date"] or date.min, ev["relation"], ev["head"]))
    return events


def diff(facts: Sequence[FactView], start: date, end: date) -> list[dict[str, Any]]:
    """How the facts changed from `start` to `end`: added, removed, or a changed status."""
    before = {f.id: f for f in facts_as_of(facts, start)}
    after = {f.id: f for f in facts_as_of(facts, end)}
    changes: list[dict[str, Any]] = []
    for fid, fact in after.items():
        old = before.get(fid)
        if old is None:
            changes.append({"change": "added", "before": None, "after": fact.status, "fact": fact})
        elif old.status != fact.status:
            changes.append({"change": "changed", "before": old.status, "after": fact.status, "fact": fact})
    for fid, fact in before.items():
        if fid not in after:
            changes.append({"change": "removed", "before": fact.status, "after": None, "fact": fact})
    return changes


def highlights(graph: Graph, fact: FactView) -> list[tuple[EvidenceView, list[dict[str, Any]]]]:
    """Each evidence item of `fact` with the spans of its sentence that name the head and the tail:
    the names that article gave them first, then the stored names and aliases."""
    head_names = _names(graph, fact.head_id, fact.head)
    tail_names = _names(graph, fact.tail_id, fact.tail) if fact.tail_id else []
    stated = _stated_names(graph, fact, head_names, tail_names)
    out = []
    for e in fact.evidence:
        head_said, tail_said = stated.get((e.doc, e.start, e.end), (None, None))
        spans = _find(e.sentence, [head_said, *head_names], "head")
        spans += _find(e.sentence, [tail_said, *tail_names], "tail", taken=spans)
        out.append((e, sorted(spans, key=lambda s: s["start"])))
    return out


def _stated_names(
    graph: Graph, fact: FactView, head_names: Sequence[str], tail_names: Sequence[str]
) -> dict[tuple[str, int, int], tuple[str, str | None]]:
    """For each evidence span, the head and tail names its article gave this fact. One sentence may
    state several facts, so the row must have this relation (`part_of` is `owns` reversed) and name
    at least one of the two entities as stored."""
    heads = {n.casefold() for n in head_names}
    tails = {n.casefold() for n in tail_names}
    found: dict[tuple[str, int, int], tuple[str, str | None]] = {}
    for doc in {e.doc for e in fact.evidence}:
        for row in graph.interchange(doc):
            head, tail = row["head"], row["tail"]
            if row["relation"] == "part_of" and fact.relation == "owns":
                head, tail = tail, head
            elif row["relation"] != fact.relation:
                continue
            if (head or "").casefold() not in heads and (tail or "").casefold() not in tails:
                continue
            ev = row["evidence"]
            found.setdefault((doc, ev["start"], ev["end"]), (head, tail))
    return found


def _names(graph: Graph, entity_id: str, name: str | None) -> list[str]:
    return [n for n in (name, *graph.store.entity_aliases(entity_id)) if n]


def _find(
    sentence: str, names: Sequence[str | None], role: str, taken: Sequence[dict[str, Any]] = ()
) -> list[dict[str, Any]]:
    """Spans of `sentence` naming one entity: every occurrence of the first name found in it,
    longest names tried first among the rest so "Renault SA" wins over "Renault"."""
    first, rest = names[0], sorted({n for n in names[1:] if n}, key=len, reverse=True)
    spans: list[dict[str, Any]] = []
    for name in ([first] if first else []) + rest:
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", sentence, flags=re.IGNORECASE):
            s, t = m.start(), m.end()
            if any(s < x["end"] and x["start"] < t for x in [*taken, *spans]):
                continue
            spans.append({"start": s, "end": t, "role": role, "text": m.group(0)})
        if spans:
            break
    return spans

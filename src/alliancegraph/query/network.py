"""The graph as a network: an entity's partners, and the shortest chain of facts between two entities.

Helpers of `Graph.partners` and `Graph.path`; they read through the graph's store and shape views.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from alliancegraph.query.views import FactView, PartnerView
from alliancegraph.store.stories import corroboration

if TYPE_CHECKING:
    from alliancegraph.query.graph import Graph

TIE_RELATIONS: tuple[str, ...] = ("partner_of", "owns", "joint_venture_of")
THROUGH_NEVER = frozenset({"PLACE"})
"""Entity types a path may end at but not pass through."""
_FIRMNESS = {"confirmed": 0, "reported": 1, "denied": 2}


@dataclass(frozen=True, slots=True)
class Link:
    """One tie of the asked entity to a partner, through one fact."""

    partner_id: str
    partner: str
    partner_type: str
    link: str
    via: str | None
    fact: FactView


def _other(fact: FactView, side: str) -> tuple[str, str, str]:
    if fact.head_id == side:
        return fact.tail_id or "", fact.tail or "", fact.tail_type or ""
    return fact.head_id, fact.head, fact.head_type


def links(
    graph: Graph, entity_id: str, alliances: Sequence[Mapping[str, Any]], when: date | None
) -> list[Link]:
    """Every tie of `entity_id`: its own partner_of, owns and joint_venture_of facts, the other parents
    of its joint ventures, and the ties of the alliances it belongs to."""
    alliance_names = {str(a["id"]): str(a["name"]) for a in alliances}
    sides = [entity_id, *alliance_names]
    rows = graph.store.fact_rows(entity_ids=sides, relations=TIE_RELATIONS)
    ventures = [
        r["head_id"] for r in rows if r["relation"] == "joint_venture_of" and r["tail_id"] == entity_id
    ]
    if ventures:
        rows += [
            r
            for r in graph.store.fact_rows(entity_ids=ventures, relation="joint_venture_of")
            if r["head_id"] in ventures and r["tail_id"] != entity_id
        ]
    if when is not None:
        rows = graph._holding(rows, when)
    out: list[Link] = []
    seen: set[str] = set()
    for fact in graph._facts(rows, as_of=when):
        if fact.id in seen or fact.tail_id is None:
            continue
        seen.add(fact.id)
        out.extend(_ties(fact, entity_id, alliance_names, set(ventures)))
    return [link for link in out if link.partner_id != entity_id and link.partner_id not in alliance_names]


def _ties(fact: FactView, entity_id: str, alliances: Mapping[str, str], ventures: set[str]) -> Iterable[Link]:
    ends = (fact.head_id, fact.tail_id)
    if fact.relation == "joint_venture_of" and fact.head_id in ventures and entity_id not in ends:
        # another parent of one of the entity's joint ventures
        yield Link(
            fact.tail_id or "", fact.tail or "", fact.tail_type or "", "joint_venture", fact.head, fact
        )
        return
    via: str | None = None
    side: str | None = entity_id if entity_id in ends else None
    if side is None:
        side = next((a for a in alliances if a in ends), None)
        if side is None:
            return
        via = alliances[side]
    pid, name, ptype = _other(fact, side)
    if via is not None:
        link = "member"
    elif fact.relation == "partner_of":
        link = "partner_of"
    elif fact.relation == "owns":
        link = "owns" if fact.head_id == side else "owned_by"
    else:
        link = "venture_parent" if fact.head_id == side else "venture"
    yield Link(pid, name, ptype, link, via, fact)


def partner_views(found: Sequence[Link], aliases: Callable[[str], list[str]]) -> list[PartnerView]:
    """One view per partner, firmest status first, then best corroborated, then by name."""
    grouped: dict[str, list[Link]] = {}
    for link in found:
        grouped.setdefault(link.partner_id, []).append(link)
    views = []
    for pid, group in grouped.items():
        facts = list({link.fact.id: link.fact for link in group}.values())
        statements = [(e.story or e.doc, e.sentence) for f in facts for e in f.evidence]
        seen = [f.first_seen for f in facts if f.first_seen is not None]
        views.append(
            PartnerView(
                partner=group[0].partner,
                partner_id=pid,
                partner_type=group[0].partner_type,
                links=tuple(dict.fromkeys(link.link for link in group)),
                status=min((f.status for f in facts), key=lambda s: _FIRMNESS.get(s, 3)),
                since=min(seen) if seen else None,
                corroboration=corroboration(statements)
                if statements
                else max(f.corroboration for f in facts),
                via=tuple(dict.fromkeys(link.via for link in group if link.via)),
                facts=tuple(facts),
                mentioned_as=_mentioned_as(set(aliases(pid)), facts),
            )
        )
    views.sort(
        key=lambda v: (_FIRMNESS.get(v.status, 3), -v.corroboration, v.partner.casefold(), v.partner_id)
    )
    return views


def _mentioned_as(aliases: set[str], facts: Sequence[FactView]) -> str | None:
    """The name the evidence most often gives an entity with these aliases (ties: the first met)."""
    names: Counter[str] = Counter()
    for fact in facts:
        for ev in fact.evidence:
            for name in (ev.head_name, ev.tail_name):
                if name and name in aliases:
                    names[name] += 1
    return names.most_common(1)[0][0] if names else None


def shortest_path(
    edges: Sequence[Mapping[str, Any]], source: str, target: str, max_hops: int
) -> list[tuple[str, str, str]]:
    """The hops (fact id, from, to) of a shortest chain of facts, not denied, from source to target;
    among equally short chains the one with the most corroboration in total. Empty when none is at
    most `max_hops` long. Places are never passed through: two cars sold in Europe are not connected
    by that."""
    adjacency: dict[str, list[tuple[str, str, int]]] = {}
    for e in edges:
        if e["status"] == "denied" or e["tail_id"] is None or e["head_id"] == e["tail_id"]:
            continue
        weight = int(e["corroboration"] or 0)
        for here, there, there_type in ((e["head_id"], e["tail_id"], e.get("tail_type")),
                                        (e["tail_id"], e["head_id"], e.get("head_type"))):  # fmt: skip
            if there_type not in THROUGH_NEVER or there == target:
                adjacency.setdefault(here, []).append((there, e["id"], weight))
    best: dict[str, tuple[int, str, str | None, str | None]] = {source: (0, "", None, None)}
    layer = [source]
    for _ in range(max_hops):
        found: dict[str, tuple[int, str, str | None, str | None]] = {}
        for node in layer:
            score = best[node][0]
            for nxt, fid, weight in adjacency.get(node, ()):
                if nxt in best:
                    continue
                candidate = (score + weight, fid, node, fid)
                current = found.get(nxt)
                if current is None or (candidate[0], _neg(fid)) > (current[0], _neg(current[1])):
                    found[nxt] = candidate
        if not found:
            return []
        best.update(found)
        if target in found:
            break
        layer = sorted(found)
    if target not in best:
        return []
    hops: list[tuple[str, str, str]] = []
    node = target
    while node != source:
        _, fid, previous, _ = best[node]
        assert previous is not None  # every node but the source was reached from a previous one
        hops.append((fid, previous, node))
        node = previous
    return list(reversed(hops))


def _neg(text: str) -> tuple[int, ...]:
    """An order key that prefers the smaller string when compared with `>` (deterministic ties)."""
    return tuple(-ord(c) for c in text)

"""Dates in queries, and a fact seen as of a date (what was published by then, and whether it held).

Pure helpers of `Graph`: they shape store rows, never touch the database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from alliancegraph.errors import InvalidQuery
from alliancegraph.query.views import EvidenceView, FactView, StatusChange
from alliancegraph.store.history import consolidated, edtf_bounds, status_at

DATE_FORMAT = "YYYY-MM-DD"


def parse_date(value: date | str | None, name: str = "date") -> date | None:
    """A query date from a `date`, a `datetime` or an ISO string ``YYYY-MM-DD``; None stays None.
    Raises `InvalidQuery` naming the parameter, the value and the expected format."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError as e:
        raise InvalidQuery(
            f"Invalid {name} {value!r}: expected a date as {DATE_FORMAT}, e.g. 2010-12-31."
        ) from e


def dissolution_end(row: Mapping[str, Any]) -> date | None:
    """The last day a fact can hold because one of its entities was dissolved (knowledge file)."""
    years = [y for y in (row.get("head_dissolved"), row.get("tail_dissolved")) if y]
    return date(min(years), 12, 31) if years else None


def holds(
    row: Mapping[str, Any], history: Sequence[Mapping[str, Any]], when: date
) -> tuple[str | None, date | None]:
    """The fact's status on `when` (None when nothing about it was published by then) and the day it
    ended, if it had ended before `when` as far as was known then."""
    status, ended = status_at(history, when)
    dissolved = dissolution_end(row)
    if ended is None and dissolved is not None and dissolved < when:
        ended = dissolved
    return status, ended


def evidence_view(ev: Mapping[str, Any]) -> EvidenceView:
    return EvidenceView(
        doc=ev["doc_id"],
        title=ev["title"],
        published=ev["published"],
        url=ev["url"],
        sentence=ev["sentence"],
        start=ev["start"],
        end=ev["end"],
        status=ev["status"],
        future=bool(ev["future"]),
        time=ev["time"],
        story=ev.get("story"),
        relation=ev.get("relation"),
        head_name=ev.get("head_name"),
        tail_name=ev.get("tail_name"),
    )


def change_view(h: Mapping[str, Any]) -> StatusChange:
    return StatusChange(
        recorded=h["recorded"],
        status=h["status"],
        previous=h["previous"],
        doc=h["doc_id"],
        title=h.get("title"),
        valid_end=h["valid_end"],
    )


def fact_view(
    row: Mapping[str, Any],
    evidence: Sequence[Mapping[str, Any]],
    history: Sequence[Mapping[str, Any]],
    as_of: date | None = None,
) -> FactView:
    """The view of a fact row with its evidence and history; with `as_of`, as it stood that day:
    only evidence published by then, the status the history gave it then, and its end if known."""
    values: dict[str, Any] = dict(row)
    ended = row.get("valid_end") or None
    if as_of is not None:
        evidence = [e for e in evidence if e["published"] is not None and e["published"] <= as_of]
        history = [h for h in history if h["recorded"] is not None and h["recorded"] <= as_of]
        status, ended = holds(row, history, as_of)
        if evidence:
            values.update(consolidated(evidence))
        values["status"] = status or values["status"]
    elif ended is None:
        dissolved = dissolution_end(row)
        ended = dissolved if dissolved is not None and dissolved < date.today() else None
    return FactView(
        id=values["id"],
        relation=values["relation"],
        head=values["head_name"],
        head_id=values["head_id"],
        head_type=values["head_type"],
        tail=values["tail_name"],
        tail_id=values["tail_id"],
        tail_type=values["tail_type"],
        status=values["status"],
        future=bool(values["future"]),
        time=values["valid_time"],
        attributes=tuple(sorted(json.loads(values["attributes"] or "{}").items())),
        first_seen=values["first_seen"],
        last_seen=values["last_seen"],
        evidence=tuple(evidence_view(e) for e in evidence),
        corroboration=int(values.get("corroboration") or 0),
        ended=ended,
        history=tuple(change_view(h) for h in history),
    )


def began(fact: FactView) -> tuple[date, str, str | None] | None:
    """When a fact began, for a timeline, as (day, "text" or "publication", EDTF time or None).

    The text dates it when its evidence places the fact, stated as past, wholly before its first
    publication ("Daimler, which bought Chrysler in 1998"): the earliest such year that at least two
    stories give (one, when the fact is told by one story only), as a guard against a stray date in one
    sentence. Otherwise the first publication dates it. None when neither is known.
    """
    first = fact.first_seen
    early: list[tuple[date, str | None, str]] = []
    for ev in fact.evidence:
        if not ev.time or ev.future:
            continue
        # the start's own granule must precede the first publication: "2007" or "2007/.." says little
        # about a fact first published in May 2007, "1998" a lot
        start, start_granule_end = edtf_bounds(ev.time.split("/")[0])
        if start is None or start_granule_end is None:
            continue
        if first is None or start_granule_end < first:
            early.append((start, ev.time, ev.story or ev.doc))
    if early:
        by_year: dict[int, set[str]] = {}
        for start, _, story in early:
            by_year.setdefault(start.year, set()).add(story)
        need = 2 if len({ev.story or ev.doc for ev in fact.evidence}) >= 2 else 1
        years = sorted(y for y, stories in by_year.items() if len(stories) >= need)
        if years:
            start, time, _ = min(e for e in early if e[0].year == years[0])
            return start, "text", time
    if first is not None:
        return first, "publication", None
    return None

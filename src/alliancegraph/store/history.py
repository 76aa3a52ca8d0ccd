"""A fact's two clocks: its status over recorded time, and its consolidated columns.

Pure functions over a fact's evidence rows (dicts with ``id``, ``doc_id``, ``status``, ``future``,
``time``, ``attributes``, ``published``, and for corroboration ``story`` and ``sentence``); the
repository stores what they return, and the query layer reuses them to look at a fact as of a date.

**Status over recorded time.** Evidence is read in publication order; within one day the firmer
statement is read last (reported, then denied, then confirmed), so the history does not depend on the
order in which articles were ingested. Then:

- ``confirmed`` and ``denied`` evidence set the status (a denial after a confirmation, or a
  confirmation after a denial, is a change);
- ``reported`` evidence sets it only when nothing firmer is known: a hedge about a confirmed fact
  ("could widen their alliance") does not make it a rumour again, but new reports after a denial do;
- evidence whose valid time is a closed interval (``2005/2008``), stated as past, *ends* the fact on
  the interval's last day; later evidence reopens it only when its own valid time starts after that end;
- several changes on one day are one change, to what that day's articles left the status at.

Undated evidence counts, but has no place on the recorded clock (``recorded`` is None, read first).
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from alliancegraph.store.stories import corroboration

_RANK = {"reported": 0, "denied": 1, "confirmed": 2}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def time_precision(time: str) -> tuple[int, int]:
    """How specific an EDTF string is: its finest endpoint's number of parts, then a date over an interval."""
    ends = time.split("/")
    return (max(len(re.findall(r"\d+", end)) for end in ends), 1 if len(ends) == 1 else 0)


def _point(text: str, last: bool) -> date | None:
    """The first (or last) day an EDTF date names: ``2010`` is 2010-01-01 .. 2010-12-31."""
    m = _DATE.match(text.strip().lstrip("[{").rstrip("?~%"))
    if m is None:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) and 1 <= int(m.group(2)) <= 12 else None
    day = int(m.group(3)) if m.group(3) else None
    try:
        if month is None:
            return date(year, 12, 31) if last else date(year, 1, 1)
        if day is None:
            return date(year, month, calendar.monthrange(year, month)[1] if last else 1)
        return date(year, month, day)
    except ValueError:
        return None


def edtf_bounds(time: str | None) -> tuple[date | None, date | None]:
    """The first and last day of an EDTF date or interval; None for an open or unreadable end.

    ``2010-04`` gives (2010-04-01, 2010-04-30), ``2005/2008`` (2005-01-01, 2008-12-31),
    ``../2019`` (None, 2019-12-31) and ``2010/..`` (2010-01-01, None).
    """
    if not time:
        return None, None
    if "/" in time:
        start, _, end = time.partition("/")
        return (
            _point(start, False) if start not in ("", "..") else None,
            _point(end, True) if end not in ("", "..") else None,
        )
    return _point(time, False), _point(time, True)


def valid_end(time: str | None, future: bool) -> date | None:
    """When a fact stopped holding, if this valid time says so: the end of a closed interval stated
    as past. ``../2019`` is a deadline ("by 2019"), not an end, so an open start never ends a fact."""
    if future or not time or "/" not in time:
        return None
    start, end = edtf_bounds(time)
    return end if start is not None and end is not None else None


def _order(row: Mapping[str, Any]) -> tuple[date, int, str, int]:
    return (row["published"] or date.min, _RANK.get(row["status"], 0), str(row["doc_id"]), int(row["id"]))


def status_history(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The changes of a fact's status, oldest first: dicts with ``seq``, ``recorded``, ``status``
    (reported, confirmed, denied or ended), ``previous``, ``valid_end``, ``doc_id``, ``evidence_id``."""
    out: list[dict[str, Any]] = []
    state: str | None = None
    ended: date | None = None

    def change(row: Mapping[str, Any], status: str, end: date | None = None) -> None:
        # Several changes on one day are one change: what the day's articles left it at.
        if (
            out
            and status != "ended"
            and out[-1]["status"] != "ended"
            and out[-1]["recorded"] == row["published"]
        ):
            replaced = out.pop()
            if replaced["previous"] == status:
                return
        previous = out[-1]["status"] if out else None
        out.append(
            {
                "seq": len(out),
                "recorded": row["published"],
                "status": status,
                "previous": previous,
                "valid_end": end,
                "doc_id": row["doc_id"],
                "evidence_id": row["id"],
            }
        )

    for row in sorted(rows, key=_order):
        status = row["status"]
        end = valid_end(row["time"], bool(row["future"]))
        if ended is not None and end is None:
            start, _ = edtf_bounds(row["time"])
            if start is None or start <= ended or status == "denied":
                continue  # talks about the fact's past, or a denial of something already over
            ended = None
            state = status
            change(row, status)
            continue
        firm = status in ("confirmed", "denied") or state in (None, "denied")
        if firm and status != state:
            state = status
            change(row, status)
        if end is not None and status != "denied" and end != ended:
            ended = end
            change(row, "ended", end)
    return out


def status_at(history: Sequence[Mapping[str, Any]], when: date) -> tuple[str | None, date | None]:
    """The status a fact had on `when` (None when nothing was published by then) and the day it had
    ended, if an ending was known by then and falls before `when`."""
    status: str | None = None
    ended: date | None = None
    for row in history:
        if row["recorded"] is not None and row["recorded"] > when:
            break
        if row["status"] == "ended":
            ended = row["valid_end"]
        else:
            status, ended = row["status"], None
    if ended is not None and ended >= when:
        ended = None
    return status, ended


def consolidated(
    rows: Sequence[Mapping[str, Any]], history: Sequence[Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """A fact's columns from its evidence: status from its history, future and each attribute from
    the latest evidence (by publication date, then ingestion order), the most specific valid time,
    the span of publication dates, when it ended, and its corroboration (when rows carry ``story``)."""
    ordered = sorted(rows, key=lambda r: (r["published"] or date.min, r["id"]))
    latest = ordered[-1]
    history = status_history(rows) if history is None else history
    attributes: dict[str, Any] = {}
    valid_time: str | None = None
    for row in ordered:
        attributes.update(json.loads(row["attributes"] or "{}"))
        if row["time"] and (valid_time is None or time_precision(row["time"]) >= time_precision(valid_time)):
            valid_time = row["time"]
    dates = [r["published"] for r in ordered if r["published"] is not None]
    statuses = [h for h in history if h["status"] != "ended"]
    final_end = history[-1] if history and history[-1]["status"] == "ended" else None
    out: dict[str, Any] = {
        "status": statuses[-1]["status"] if statuses else latest["status"],
        "future": bool(latest["future"]),
        "attributes": json.dumps(attributes, sort_keys=True),
        "valid_time": valid_time,
        "first_seen": min(dates) if dates else None,
        "last_seen": max(dates) if dates else None,
        "valid_end": final_end["valid_end"] if final_end else None,
        "end_recorded": final_end["recorded"] if final_end else None,
    }
    if all("story" in r for r in rows):
        out["corroboration"] = corroboration(
            (str(r["story"] or r["doc_id"]), str(r["sentence"])) for r in rows
        )
    return out

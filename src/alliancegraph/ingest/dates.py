"""The publication date of an article: from what the source declares, else from what the page shows.

Pure functions. A date is only ever read, never guessed: a value without a year, day or month tells
nothing, and `find_published` returns None when no source of the date is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from email.utils import parsedate_to_datetime

_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # Nov 5, 2013 / November 5 2013 / Mon Oct 23, 2006 3:51am EDT
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    # 5 November 2013 / 5 Nov. 2013 / 5th of November, 2013
    re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    # 2013-11-05 (optionally with a time after it)
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
)

_TOP_LINES = 6
"""How many non-blank lines at the top of a text may hold its dateline."""
_DATELINE_MAX = 100
"""A line this short that holds a date is a dateline ("By Jane Doe | Nov 5, 2013")."""
_LEAD_MAX = 40
"""In a longer first line, a date starting this near its beginning may lead it ("Nov 5, 2013 - ...")."""
_AFTER_LEAD = re.compile(
    r"\s*(?:\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}\b)?\s*)?(?:\(|[-|:\u2013\u2014]\s)", re.I
)
_DATELINE_WORDS = frozenset(
    {"by", "on", "at", "in", "published", "posted", "updated", "last", "modified", "date"}
    | {"am", "pm", "a.m.", "p.m.", "and", "of", "the"}
)
_COMMENT_LINE_MAX = 80
_COMMENT_HEADER_WORDS = 6
"""Comment header lines ("jdoe 5 November 2013 10:32") are short, a name and a date; a comment's own text
is not read for dates."""


def parse_date(value: str | date | None) -> date | None:
    """The calendar date `value` states: ISO 8601, RFC 2822, or a written date with year, month and day.

    The date is taken as written (a time zone is not applied); None when `value` is missing or does not
    state a complete date.
    """
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    text = value.strip()
    if not text:
        return None
    iso = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])", text)
    if iso:
        return _make_date(int(iso[1]), int(iso[2]), int(iso[3]))
    if re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text):
        try:
            return parsedate_to_datetime(text).date()
        except (TypeError, ValueError):
            pass
    found = next(dates_in(text), None)
    return found if found is not None else _parse_with_dateutil(text)


def dates_in(text: str) -> Iterator[date]:
    """Every complete, valid calendar date written in `text`, in order of appearance."""
    for _, found in _date_matches(text):
        yield found


def _date_matches(text: str) -> Iterator[tuple[re.Match[str], date]]:
    matches = sorted(
        (m for pattern in _DATE_PATTERNS for m in pattern.finditer(text)), key=lambda m: m.start()
    )
    for m in matches:
        month = m["month"]
        number = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
        found = _make_date(int(m["year"]), number, int(m["day"]))
        if found is not None:
            yield m, found


def find_published(*declared: str | date | None, text: str = "", comments: str = "") -> date | None:
    """The publication date of an article, from the best source that tells it.

    In order: the first of `declared` that parses (a record's ``date``, a page's metadata); a dateline
    near the top of `text` (a short line holding a date, or a date leading the first lines before a
    dash or parenthesis); the earliest date heading a reader comment in `comments` (the comment
    section cut from the page: a page published on a day is commented on that day or later).
    None when nothing tells.
    """
    for value in declared:
        found = parse_date(value)
        if found is not None:
            return found
    found = dateline_date(text)
    if found is not None:
        return found
    return earliest_comment_date(comments)


def dateline_date(text: str) -> date | None:
    """The date of a dateline among the first lines of `text`, or None."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:_TOP_LINES]
    for line in lines:
        for m, found in _date_matches(line):
            if len(line) <= _DATELINE_MAX and _is_dateline(line[: m.start()] + " " + line[m.end() :]):
                return found
            if m.start() <= _LEAD_MAX and _AFTER_LEAD.match(line, m.end()):
                return found
    return None


def _is_dateline(rest: str) -> bool:
    """Whether the rest of a short line around a date is a dateline's: names, times, labels; not prose."""
    words = re.findall(r"[^\W\d_][\w.'’-]*", rest)
    return len(words) <= 8 and all(not w.islower() or w.lower() in _DATELINE_WORDS for w in words)


def earliest_comment_date(comments: str) -> date | None:
    """The earliest date on the short header lines of a comment section, or None."""
    found = [
        d
        for line in comments.splitlines()
        if len(line.strip()) <= _COMMENT_LINE_MAX
        for m, d in _date_matches(line)
        if len(re.findall(r"[^\W\d_]+", line[: m.start()] + " " + line[m.end() :])) <= _COMMENT_HEADER_WORDS
    ]
    return min(found, default=None)


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _parse_with_dateutil(text: str) -> date | None:
    """Other written forms, accepted only when they state year, month and day themselves."""
    try:
        from dateutil import parser  # type: ignore[import-untyped]  # installed with trafilatura
    except ImportError:  # pragma: no cover - dateutil comes with trafilatura
        return None
    ambiguous = re.search(r"\b(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b", text)
    if ambiguous and int(ambiguous[1]) <= 12 and int(ambiguous[2]) <= 12 and ambiguous[1] != ambiguous[2]:
        return None  # 05/11/2013: day-first or month-first cannot be told
    results = []
    # Parsing against two different defaults exposes any part the text left out.
    for default in (datetime(1901, 1, 1), datetime(1902, 2, 2)):
        try:
            results.append(parser.parse(text, default=default, ignoretz=True).date())
        except (ValueError, OverflowError, TypeError):
            return None
    return results[0] if results[0] == results[1] else None

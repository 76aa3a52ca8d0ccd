"""Temporal expressions of news English, resolved to EDTF against the publication date.

``normalize("earlier this year", date(2013, 11, 5))`` gives ``"2013"``; ``"before the end of the
decade"`` gives ``"../2019"``; ``"a little more than five months ago"`` in an article of
2012-08-03 gives ``"2012-02"``. Expressions that need a reference date and have none give None:
the time is left unknown rather than invented.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1, "several": 3, "a few": 3, "few": 3,
}  # fmt: skip
MONTH_RE = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
YEAR_RE = r"((?:18|19|20)\d\d)"
NUM_RE = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an|several|a few)"


def _add_months(d: date, months: int) -> tuple[int, int]:
    total = d.year * 12 + (d.month - 1) + months
    return total // 12, total % 12 + 1


def _num(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS.get(word, 1)


def _ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def normalize(text: str, published: date | None, future: bool = False) -> str | None:
    """The EDTF value of one temporal expression, or None when it names no resolvable time.

    `future` tells which way an expression without a year points ("in April", "on Monday"):
    forward from the publication date for plans, backward for reports of what happened.
    The value is always a valid calendar date, month, year or ordered interval of years 1-9999;
    what would fall outside ("February 30, 2013", "10000000000 days ago") gives None.
    """
    try:
        value = _resolve(text, published, future)
    except (OverflowError, ValueError):  # date arithmetic pushed out of the calendar
        return None
    return value if value is None or is_edtf(value) else None


_EDTF_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


def _edtf_bounds(value: str) -> tuple[date, date] | None:
    """The first and last day of an EDTF year, month or day, or None when it is not a valid one."""
    m = _EDTF_DAY.fullmatch(value)
    if m is None:
        return None
    year = int(m[1])
    try:
        if m[3] is not None:
            day = date(year, int(m[2]), int(m[3]))
            return day, day
        first, last = (int(m[2]), int(m[2])) if m[2] is not None else (1, 12)
        return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
    except ValueError:
        return None


def is_edtf(value: str) -> bool:
    """Whether `value` is an EDTF value `normalize` may give: a day, month or year, open (``../2019``,
    ``2012/..``) or a closed interval whose start is not after its end."""
    start, _, end = value.removeprefix("../").partition("/")
    first = _edtf_bounds(start)
    if first is None or (value.startswith("../") and end):
        return False
    if not end or end == "..":
        return True
    last = _edtf_bounds(end)
    return last is not None and first[0] <= last[1]


def _resolve(text: str, published: date | None, future: bool) -> str | None:
    t = " ".join(text.lower().replace("\u2019", "'").split())
    t = re.sub(r"^(?:in|on|at|by|from|during|of|for|since|until|till|through)\s+", "", t)
    before = bool(re.search(r"\b(?:before|by|until|till|no later than|up to)\b", t))

    m = re.search(rf"\b{MONTH_RE}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{YEAR_RE}", t)
    if m:
        value = f"{int(m.group(3)):04d}-{MONTHS[m.group(1)[:3]]:02d}-{int(m.group(2)):02d}"
        return f"../{value}" if before else value
    m = re.search(rf"\b(\d{{1,2}})\s+{MONTH_RE}\s+{YEAR_RE}", t)
    if m:
        return f"{int(m.group(3)):04d}-{MONTHS[m.group(2)[:3]]:02d}-{int(m.group(1)):02d}"
    m = re.search(rf"\b{MONTH_RE},?\s+{YEAR_RE}", t)
    if m:
        value = _ym(int(m.group(2)), MONTHS[m.group(1)[:3]])
        return f"../{value}" if before else value
    m = re.search(rf"\bbetween\s+{YEAR_RE}\s+and\s+{YEAR_RE}", t)
    if m:
        return f"{m.group(1)}/{m.group(2)}"
    m = re.search(rf"\b(?:the\s+)?end\s+of\s+{YEAR_RE}", t)
    if m:
        return f"../{m.group(1)}"
    m = re.search(rf"\bsince\s+{YEAR_RE}|{YEAR_RE}\s+onwards", text.lower())
    if m:
        return f"{m.group(1) or m.group(2)}/.."
    m = re.search(rf"(?<![\d.,$])\b{YEAR_RE}s?\b(?![\d.%])", t)
    if m:
        return f"../{m.group(1)}" if before else m.group(1)

    if published is None:
        return None
    year = published.year
    if re.search(r"\b(?:the\s+)?end\s+of\s+(?:the|this)\s+decade\b", t):
        return f"../{year - year % 10 + 9}"
    if re.search(r"\b(?:the\s+)?end\s+of\s+(?:the|this)\s+year\b", t):
        return f"../{year}"
    if re.search(r"\b(?:this|the current)\s+(?:year|fiscal year)\b", t):
        return str(year)
    if re.search(r"\blast\s+year\b|\ba\s+year\s+ago\b|\bprevious\s+year\b", t):
        return str(year - 1)
    if re.search(r"\bnext\s+year\b|\bcoming\s+year\b", t):
        return str(year + 1)
    if re.search(r"\bthis\s+month\b", t):
        return _ym(year, published.month)
    if re.search(r"\blast\s+month\b", t):
        return _ym(*_add_months(published, -1))
    if re.search(r"\bnext\s+month\b", t):
        return _ym(*_add_months(published, 1))
    if re.search(r"\b(?:this|last|next)?\s*week\b|\btoday\b|\byesterday\b|\btomorrow\b", t):
        shift = {"last": -7, "next": 7, "yesterday": -1, "tomorrow": 1}
        for word, days in shift.items():
            if word in t:
                return (published + timedelta(days=days)).isoformat() if "week" not in t else _ym(*_add_months(published + timedelta(days=days), 0))
        return published.isoformat() if "today" in t else _ym(year, published.month)
    m = re.search(rf"\b{NUM_RE}\s+(year|month|week|day)s?\s+ago\b", t)
    if m:
        n, unit = _num(m.group(1)), m.group(2)
        if unit == "year":
            return str(year - n)
        if unit == "month":
            return _ym(*_add_months(published, -n))
        return (published - timedelta(days=n * (7 if unit == "week" else 1))).isoformat()
    m = re.search(rf"\b(?:in|within)?\s*(?:about|around|some|roughly|nearly|almost)?\s*{NUM_RE}\s+(year|month)s?(?:'|\s+time)?\b", t)
    if m and not re.search(r"\bfor\b|\bago\b|\bafter\b|\bover\b|\bolder\b|\bold\b", t):
        n = _num(m.group(1))
        return str(year + n) if m.group(2) == "year" else _ym(*_add_months(published, n))
    m = re.search(rf"\b(?:another|for|next)\s+{NUM_RE}\s+(year|month)s?\b", t)
    if m:
        n = _num(m.group(1))
        return f"../{year + n}" if m.group(2) == "year" else f"../{_ym(*_add_months(published, n))}"
    m = re.search(rf"\b{MONTH_RE}\s+(\d{{1,2}})\b", t)
    if m:
        month, day = MONTHS[m.group(1)[:3]], int(m.group(2))
        y = year
        if future and month < published.month:
            y += 1
        elif not future and month > published.month:
            y -= 1
        try:
            value = date(y, month, day).isoformat()
        except ValueError:
            return None
        return f"../{value}" if before else value
    m = re.search(rf"\b{MONTH_RE}(?=\s|$)", t)
    if m and m.group(1) not in {"may", "mar"}:
        month = MONTHS[m.group(1)[:3]]
        y = year + (1 if future and month < published.month else 0) - (1 if not future and month > published.month else 0)
        return _ym(y, month)
    if m and m.group(1) == "may" and re.search(r"\b(?:in|early|late|mid|end of)\s+may\b", text.lower()):
        return _ym(year + (1 if future and 5 < published.month else 0), 5)
    for name, wd in WEEKDAYS.items():
        if re.search(rf"\b{name}\b", t):
            delta = (published.weekday() - wd) % 7
            if future and delta:
                return (published + timedelta(days=7 - delta)).isoformat()
            return (published - timedelta(days=delta)).isoformat()
    if re.search(r"\b(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\b|\b(?:first|second)\s+half\b", t):
        return str(year)
    if re.search(r"\b(?:earlier|later)\s+(?:this|in the)\s+(?:year|month)\b", t):
        return str(year)
    return None

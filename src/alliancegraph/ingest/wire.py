"""News-wire conventions that are not article content, removed from a text's paragraphs.

Wire copy (Reuters and its peers) opens with editorial notes ("(Adds details)"), a byline and a dateline
("FRANKFURT, Oct 23 (Reuters) - "), marks each listed company with its exchange ticker
("( 7203.T )", "GM.UL"), refers to other stories ("<ID:nN123>", "(For more, see ...)"), puts
subheadings in capitals into the running text (split off here as paragraphs of their own), and ends
with reporting and editing credits. The rules below match those forms, not particular articles.
"""

from __future__ import annotations

import re

from alliancegraph.ingest.unwrap import collapse_spaces

_NOTE_VERBS = (
    "adds|corrects|recasts|repeats|updates|changes|fixes|refiles|re-files|rewrites|removes|inserts|deletes|"
    "clarifies|writes through|amends|expands|replaces|restores|resends|retransmits|reissues|combines|"
    "moves|tops|edits|wraps|company corrects|official"
)
_EDITORIAL_NOTE = re.compile(
    rf"^(?:\(?\s*(?:{_NOTE_VERBS})\b"  # (Adds details) / Corrects 7th paragraph ...
    r"|\((?:[^()]|\([^()]*\))*\)$"  # a paragraph wholly in parentheses, before the story starts
    r"|\(\s*(?:for|to read|to view|click)\b[^()]*$)",  # (For other stories, see ... [left open by the wrap]
    re.IGNORECASE,
)
_NOTE_MAX = 400
_LEAD_PARAGRAPHS = 3
"""Editorial notes, byline and dateline are among the first few paragraphs."""

_AGENCIES = r"Reuters|Reuters Breakingviews|AP|AFP|Bloomberg|Dow Jones|dpa|Kyodo|Xinhua|Yonhap|PTI|IANS|UPI"
_MONTH_DAY = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
_LEAD = r"""
    (?:\((?:[^()]|\([^()]*\)){0,300}\)\s*)*   # editorial notes: (Adds details, stock movement)
    (?:By\s+[^()]{1,150}?\s+)?                # byline: By Jane Doe and John Roe
"""
_AGENCY_DATELINE = re.compile(
    rf"""^{_LEAD}
    (?:[A-Z][^()]{{0,80}}?\s*)?                 # place and day: FRANKFURT, Oct 23
    \(\s*(?:{_AGENCIES})\s*\)\s*[-\u2013\u2014]*\s*   # (Reuters) -
    """,
    re.VERBOSE,
)
_PLACE = r"[A-Z][A-Za-z.'\u2019]*(?:\s+[A-Z][A-Za-z.'\u2019]*){0,3}"
_PLAIN_DATELINE = re.compile(
    rf"""^{_LEAD}
    # DETROIT - / AYUTTHAYA, Thailand, March 31 -
    (?:[A-Z][A-Z.'\u2019/ ]{{3,60}}(?:,\s*{_PLACE})?(?:,\s*{_MONTH_DAY})?
      |{_PLACE}(?:,\s*{_PLACE})?,\s*{_MONTH_DAY})                         # Tokyo, July 7
    [;,]?\s+[-\u2013\u2014]{{1,2}}\s+
    """,
    re.VERBOSE,
)
"""A dateline without the agency: "WASHINGTON, Sept 12 - ". The place is in capitals or dated."""
_BYLINE = re.compile(r"^By\s+(?:[A-Z][\w.'\u2019-]*\s*(?:,|and)?\s*){1,8}$")

_CREDIT_WORDS = (
    r"(?:(?:add\w*|further|editorial)\s+)?"  # misspelt "Additonal" too
    r"(?:reporting|writing|editing|edited|compiled|compiling|written|reported|research|produced|graphics?)"
)
_CREDIT = rf"{_CREDIT_WORDS}\s+by\b"
_CREDIT_AT = re.compile(_CREDIT, re.IGNORECASE)
_CREDIT_TAIL = re.compile(
    rf"(?:^|\s)(?:\(+\s*(?:with\s+)?{_CREDIT_WORDS}\b|(?<=[.!?\"\u201d'\u2019)\]]\s)--+\s*(?:with\s+)?{_CREDIT}|--+\s*{_CREDIT})",
    re.IGNORECASE,
)
"""Where a credit that ends a paragraph starts: "... said. (Reporting by ...; Editing by ...)"."""
_CREDIT_PARAGRAPH = re.compile(
    rf"^(?:(?:--+\s*)?\(+\s*(?:with\s+)?{_CREDIT_WORDS}\b|(?:--+\s*)?{_CREDIT}|\([^()]*\bdesk\)$)",
    re.IGNORECASE,
)
_CREDIT_MAX = 400
_CREDIT_MAX_WORDS_BARE = 12
_INLINE_CREDIT = re.compile(
    r"\s*\(\s*(?:with\s+)?(?:additional|further)\s+reporting\s+by\b[^()]*\)", re.IGNORECASE
)

_STORY_REF = re.compile(r"\s*(?:<ID:[^<>]*>|\[ID:[^\]\)]*[\])]|\^<[^<>]*>)")
_SEE_ALSO = re.compile(
    r"\s*\((?:for|to read|to view|click)\b[^()]*"
    r"\b(?:see|go to|click|double-click|here|blog|http|www\.|\.com|nN[A-Z0-9]+)\b[^()]*\)",
    re.IGNORECASE,
)

_EXCHANGES = (
    "N|O|OQ|A|P|PK|OB|DE|F|BE|MU|SG|D|H|HA|PA|L|MI|AS|BR|LS|MC|SW|VX|S|ST|CO|HE|OL|VI|IR|I|AT|WA|PR|BU|IS|"
    "MM|RTS|T|OS|NG|KS|KQ|HK|SS|SZ|TW|TWO|BO|NS|SI|KL|BK|JK|AX|NZ|TO|V|SA|MX|BA|SN|J|JO|TA|UL|QA|DU|AD|KW|"
    "CA|CN|VN|HM|Z"
)
_TICKER = r"(?:\.?[A-Z0-9][A-Za-z0-9_^=]{0,11}\.[A-Z]{1,3}|\.[A-Z0-9]{2,10})"
_PAREN_TICKERS = re.compile(rf"\s*\(\s*{_TICKER}(?:\s*[,;/]?\s*{_TICKER})*\s*\)")
_BARE_TICKER = re.compile(
    rf"\s+(?=[A-Za-z0-9_]*[A-Z])(?=[A-Za-z0-9_]*[A-Z0-9][A-Za-z0-9_]*[A-Z0-9])[A-Z0-9][A-Za-z0-9_]{{1,11}}\.(?:{_EXCHANGES})(?=[\s,;:)]|\.(?:\s|$)|$)"
)

_TICKER_HINT = re.compile(rf"\.(?:{_EXCHANGES})(?=[\s,;:)]|\.(?:\s|$)|$)")
"""What every bare ticker ends with: an exchange code after a dot."""
_INDEX_HINT = re.compile(r"\s\.[A-Z0-9]")
"""What every bare index code starts with: a dot after a space."""
_BARE_INDEX = re.compile(r"\s+\.(?=[A-Z0-9]*[A-Z])[A-Z0-9]{2,10}(?:\.[A-Z]{1,3})?(?=[\s,;:)]|\.(?:\s|$)|$)")
"""A market index code standing alone: "the Nikkei average .N225 rose"."""

_SUBHEAD_WORD = r"[A-Z0-9][A-Z0-9&'\u2019.,!?:$%/-]*"
_SUBHEAD = re.compile(
    rf"(?:(?<=[.!?\"\u201d])\s+|^)((?:{_SUBHEAD_WORD}\s+){{2,9}}{_SUBHEAD_WORD})\s+(?=[\"\u201c]?[A-Z][a-z])"
)
_SUBHEAD_MIN_LONG_WORDS = 2


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """`paragraphs` without the wire's notes, byline, dateline, credits, story references and tickers,
    and with run-in subheadings split off."""
    out = _drop_editorial_notes(_rejoin_split_parentheses(paragraphs))
    out = _drop_dateline(out)
    out = [p for i, p in enumerate(out) if not (i < _LEAD_PARAGRAPHS and _BYLINE.match(p))]
    out = [_drop_references(p) for p in out]
    out = _drop_credits([p for p in out if p])
    cleaned: list[str] = []
    for paragraph in out:
        text = remove_tickers(_INLINE_CREDIT.sub("", paragraph) if "(" in paragraph else paragraph)
        cleaned.extend(split_subheads(collapse_spaces(text)))
    return [p for p in cleaned if p]


def is_editorial_note(paragraph: str) -> bool:
    """Whether `paragraph` is an editor's note on the story ("(Corrects paragraph 6)"), not story text."""
    return (
        len(paragraph) <= _NOTE_MAX
        and bool(_EDITORIAL_NOTE.match(paragraph))
        and not _AGENCY_DATELINE.match(paragraph)
    )


def _drop_references(paragraph: str) -> str:
    """`paragraph` without story references and "see also" notes (each tried only where it can be)."""
    if "ID:" in paragraph or "^<" in paragraph:
        paragraph = _STORY_REF.sub("", paragraph)
    if "(" in paragraph:
        paragraph = _SEE_ALSO.sub("", paragraph)
    return paragraph.strip()


def remove_tickers(text: str) -> str:
    """`text` without exchange tickers: "Toyota ( 7203.T ) said" -> "Toyota said"."""
    # Each expression is tried only where its cheap hint is found: starting with whitespace, they
    # would otherwise be tried at every space of every paragraph.
    if "(" in text:
        text = _PAREN_TICKERS.sub("", text)
    if _TICKER_HINT.search(text):
        text = _BARE_TICKER.sub("", text)
    if _INDEX_HINT.search(text):
        text = _BARE_INDEX.sub("", text)
    return text


def split_subheads(paragraph: str) -> list[str]:
    """`paragraph` cut where a subheading in capitals runs into it ("... fell. REVENUE DOWN Revenue was ..."),
    the subheading becoming a paragraph of its own (it may name a speaker, so it is kept)."""
    parts: list[str] = []
    start = 0
    for m in _SUBHEAD.finditer(paragraph):
        words = m[1].split()
        long_words = [
            w for w in words if len(w.strip("&'\u2019.,!?:$%/-")) >= 4 and "." not in w.strip(".,!?:")
        ]
        if len(long_words) < _SUBHEAD_MIN_LONG_WORDS:
            continue
        parts.extend((paragraph[start : m.start()], m[1]))
        start = m.end()
    parts.append(paragraph[start:])
    return [p.strip() for p in parts if p.strip()]


def _rejoin_split_parentheses(paragraphs: list[str]) -> list[str]:
    """Paragraphs rejoined where a wrap put a paragraph break inside parentheses: "(Reporting by A and" +
    "B)"."""
    out: list[str] = []
    for paragraph in paragraphs:
        if out and _depth(out[-1]) > 0 and _closes_early(paragraph):
            out[-1] = f"{out[-1]} {paragraph}"
        else:
            out.append(paragraph)
    return out


def _depth(text: str) -> int:
    return text.count("(") - text.count(")")


def _closes_early(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return True
    return False


def _drop_editorial_notes(paragraphs: list[str]) -> list[str]:
    out = list(paragraphs)
    for _ in range(_LEAD_PARAGRAPHS):
        if out and is_editorial_note(out[0]):
            out.pop(0)
        else:
            break
    return out


def _drop_dateline(paragraphs: list[str]) -> list[str]:
    """The first paragraphs without the dateline that opens the story (and notes and byline before it)."""
    out = list(paragraphs)
    found = False
    for i, paragraph in enumerate(out[:_LEAD_PARAGRAPHS]):
        m = _AGENCY_DATELINE.match(paragraph)
        if m:  # every one: a story may repeat its dateline after a byline
            out[i] = paragraph[m.end() :]
            found = True
    if out and not found:
        out[0] = _PLAIN_DATELINE.sub("", out[0], count=1)
    return [p for p in out if p.strip()]


def _drop_credits(paragraphs: list[str]) -> list[str]:
    """The last paragraphs without the reporting and editing credits that close a wire story."""
    out = list(paragraphs)
    while out:
        last = out[-1]
        if len(last) <= _CREDIT_MAX and _is_credit_paragraph(last):
            out.pop()
            continue
        tail = next((m for m in _CREDIT_TAIL.finditer(last) if len(last) - m.start() <= _CREDIT_MAX), None)
        if tail is None or tail.start() == 0:
            break
        out[-1] = last[: tail.start()].rstrip()
    return out


def _is_credit_paragraph(paragraph: str) -> bool:
    """A closing credit: in parentheses or after "--", or bare but short or with several credits."""
    if not _CREDIT_PARAGRAPH.match(paragraph):
        return False
    bare = not paragraph.startswith(("(", "-"))  # "Reporting by ..." without parentheses or dashes
    return (
        not bare or len(paragraph.split()) <= _CREDIT_MAX_WORDS_BARE or len(_CREDIT_AT.findall(paragraph)) > 1
    )

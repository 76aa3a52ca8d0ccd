"""From an `Article` to its `Fact`s: parse, find mentions, resolve references, apply the relation
rules, then decide status, future and time of each fact and attach its evidence sentence."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date
from itertools import takewhile

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from alliancegraph.extract import rules_corporate, rules_products
from alliancegraph.extract.coref import resolve_coreference
from alliancegraph.extract.mentions import Mention, MentionIndex, find_mentions
from alliancegraph.extract.modality import Modality, classify
from alliancegraph.extract.nlp import build_nlp
from alliancegraph.extract.syntax import Candidate
from alliancegraph.extract.temporal import normalize
from alliancegraph.extract.triage import parse
from alliancegraph.model import Article, Evidence, Fact

Finder = Callable[[Span, MentionIndex], Iterable[Candidate]]
FINDERS: tuple[Finder, ...] = (
    rules_corporate.partners,
    rules_corporate.ownership,
    rules_corporate.units,
    rules_corporate.joint_ventures,
    rules_corporate.roles,
    rules_products.production,
    rules_products.plants,
    rules_products.products,
)

SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str | None]]] = {
    "partner_of": (frozenset({"ORG"}), frozenset({"ORG"})),
    "owns": (frozenset({"ORG", "PERSON"}), frozenset({"ORG", "PLANT"})),
    "part_of": (frozenset({"ORG"}), frozenset({"ORG"})),
    "joint_venture_of": (frozenset({"ORG"}), frozenset({"ORG"})),
    "develops": (frozenset({"ORG"}), frozenset({"VEHICLE", "PLATFORM"})),
    "manufactures": (frozenset({"ORG"}), frozenset({"VEHICLE"})),
    "produced_at": (frozenset({"VEHICLE"}), frozenset({"PLANT"})),
    "operates": (frozenset({"ORG"}), frozenset({"PLANT"})),
    "located_in": (frozenset({"PLANT"}), frozenset({"PLACE"})),
    "based_on": (frozenset({"VEHICLE"}), frozenset({"VEHICLE", "PLATFORM"})),
    "supplies": (frozenset({"ORG"}), frozenset({"VEHICLE", "ORG"})),
    "market": (frozenset({"VEHICLE", "PLANT"}), frozenset({"PLACE"})),
    "role_at": (frozenset({"PERSON"}), frozenset({"ORG"})),
    "launch": (frozenset({"VEHICLE"}), frozenset({"PLACE", None})),
}
"""Which entity types each relation joins; candidates of other types are dropped."""

ALL_CAPS_LINE = re.compile(r"^[^a-z\n]*[A-Z]{2,}[^a-z\n]*$", re.M)
ALL_CAPS_RUN = re.compile(r"\b[A-Z][A-Z'.-]+(?:,? [A-Z][A-Z'.-]+){3,}\b")
"""Four or more all-caps words in a row: a heading run into the text ("JANE DOE, ANALYST AT KBW")."""


def parse_text(text: str) -> str:
    """The text the parser sees: all-caps lines and runs title-cased, same length so offsets hold."""
    text = ALL_CAPS_LINE.sub(lambda m: m.group(0).title() if len(m.group(0).split()) >= 2 else m.group(0), text)
    return ALL_CAPS_RUN.sub(lambda m: m.group(0).title(), text)


def reference_date(article: Article, doc: Doc) -> date | None:
    """The date relative expressions are resolved against: the publication date when known.

    Without one, the latest year the article itself names anchors expressions such as "the end of
    the decade"; without any year, relative expressions stay unresolved.
    """
    if article.published is not None:
        return article.published
    years = [int(y) for y in re.findall(r"(?<![\d.$])((?:19|20)\d\d)(?![\d%])", doc.text)]
    return date(max(years), 1, 1) if years else None


def _clause_of(tok: Token) -> Token:
    """The verb of the clause a word belongs to (the word itself if it is one, else the root)."""
    while tok.pos_ not in {"VERB", "AUX"} and tok.head != tok:
        tok = tok.head
    return tok


def _dates_fact(ent: Span, trigger: Token) -> bool:
    """Whether a date phrase can date the fact a trigger states: it sits under the trigger, or it
    modifies a clause that holds the trigger; a date of a side clause ("planned to build it in 2012,
    but dropped the plan after selling its stake") does not date the stake."""
    root = ent.root
    if trigger in root.ancestors:
        # under the trigger, unless through a coordinated clause ("will be built ... and will go on
        # sale next year": the year dates the sale)
        path = takewhile(lambda tok: tok != trigger, root.ancestors)
        return not any(t.dep_ == "conj" and t.pos_ in {"VERB", "AUX"} for t in path)
    clause = _clause_of(root.head if root.head != root else root)
    return clause == trigger or clause in trigger.ancestors


def _time_for(sent: Span, trigger: Token, ref: date | None, future: bool, dates: list[Span]) -> str | None:
    best: tuple[int, str] | None = None
    for ent in dates:
        if not (sent.start <= ent.start < sent.end) or not _dates_fact(ent, trigger):
            continue
        value = normalize(_with_preposition(ent), ref, future)
        if value is None:
            continue
        distance = abs(ent.root.i - trigger.i)
        if trigger in ent.root.ancestors or any(a in trigger.ancestors for a in [ent.root.head]):
            distance -= 30
        if best is None or distance < best[0]:
            best = (distance, value)
    return best[1] if best else None


def _with_preposition(ent: Span) -> str:
    """The date phrase with the preposition that governs it ("before the end of the decade")."""
    doc = ent.doc
    start = ent.start
    if start > 0 and doc[start - 1].lower_ in {"before", "by", "until", "since", "in", "on", "from", "till"}:
        start -= 1
    return doc[start : ent.end].text


class Extractor:
    """Reads facts out of articles with one spaCy pipeline (loaded once and reused).

    With `triage` (the default) only the sentences that can state a fact get the statistical
    components (see `alliancegraph.extract.triage`); without it every sentence is parsed. Both give
    the rules a Doc over the whole article text.
    """

    def __init__(self, nlp: Language | None = None, finders: tuple[Finder, ...] = FINDERS, triage: bool = True):
        self.nlp = nlp or build_nlp()
        self.finders = finders
        self.triage = triage

    def extract(self, article: Article) -> list[Fact]:
        [(_, facts)] = self.extract_many([article], batch_size=1)
        return facts

    def extract_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[tuple[Article, list[Fact]]]:
        items = ((parse_text(a.text), a) for a in articles)
        for doc, article in parse(self.nlp, items, batch_size=batch_size, triage=self.triage):
            # a doc without a parse had no sentence worth parsing: it states no fact
            yield article, self.facts_from_doc(article, doc) if doc.has_annotation("DEP") else []

    def facts_from_doc(self, article: Article, doc: Doc) -> list[Fact]:
        index = find_mentions(doc)
        resolve_coreference(doc, index)
        ref = reference_date(article, doc)
        dates = [e for e in doc.ents if e.label_ == "DATE"]
        statements: dict[tuple[str, str, str | None], list[tuple[Fact, bool]]] = {}
        for sent in doc.sents:
            if index.words.bare(sent):
                continue  # a sentence triage did not parse: every finder starts from the parse
            for finder in self.finders:
                for cand in (c for found in finder(sent, index) for c in _per_member(found)):
                    stated = self._fact(article, sent, cand, ref, dates)
                    if stated is not None:
                        statements.setdefault(_identity(cand), []).append(stated)
        return [_merge(found) for found in statements.values()]

    def _fact(
        self, article: Article, sent: Span, cand: Candidate, ref: date | None, dates: list[Span]
    ) -> tuple[Fact, bool] | None:
        """The fact a candidate states, and whether its sentence dates it (else the time is the report's)."""
        heads, tails = SIGNATURES[cand.relation]
        tail: Mention | None = cand.tail
        if cand.head.type not in heads or (tail.type if tail else None) not in tails:
            return None
        if tail is not None and (tail.key == cand.head.key or tail.name.lower() == cand.head.name.lower()):
            return None
        modality = classify(sent, cand.trigger, cand.presupposed, cand.relation)
        time = _time_for(sent, cand.trigger, ref, modality.future, dates)
        dated = time is not None
        if cand.ends and (time is not None or article.published is not None):
            ending = classify(sent, cand.trigger, False, cand.relation)
            if ending == Modality("confirmed", False):  # it held until the event that ended it
                end = time or article.published.isoformat()  # type: ignore[union-attr]
                time, dated = f"../{end}", True
        if time is None and article.published is not None and not cand.presupposed:
            # an event the text does not date happened around its report; a plan holds from then on
            day = article.published.isoformat()
            time = f"{day}/.." if modality.future else day
        text = article.text[sent.start_char : sent.end_char]
        evidence = Evidence(article.id, text.strip(), sent.start_char, sent.start_char + len(text.rstrip()))
        fact = Fact(
            relation=cand.relation,
            head=cand.head.name,
            tail=tail.name if tail else None,
            evidence=evidence,
            status=modality.status,
            future=modality.future,
            time=time,
            head_type=cand.head.type,
            tail_type=tail.type if tail else None,
            attributes=tuple(sorted((k, v) for k, v in cand.attrs.items() if v)),
        )
        return fact, dated


STATUS_WEIGHT = {"confirmed": 2, "denied": 1, "reported": 0}


def _merge(statements: list[tuple[Fact, bool]]) -> Fact:
    """One fact from the article's several statements of it.

    The first statement gives the evidence. A fact the article states as holding stays confirmed
    when another sentence denies a plan about it ("no plans to expand the partnership"); a denial
    outweighs a report; a fact stated once as holding is not a plan, even if another sentence speaks of its
    future; the time is the first one a sentence gives, else the report's date; and a later
    statement may add the share or title the first one lacks.
    """
    first, _ = statements[0]
    if len(statements) == 1:
        return first
    facts = [fact for fact, _ in statements]
    status = max((f.status for f in facts), key=STATUS_WEIGHT.__getitem__)
    future = all(f.future for f in facts)
    dated = [f for f, explicit in statements if explicit and f.future == future]
    time = dated[0].time if dated else next(f.time for f in facts if f.future == future)
    attributes = next((f.attributes for f in facts if f.attributes), first.attributes)
    return replace(first, status=status, future=future, time=time, attributes=attributes)


def _per_member(cand: Candidate) -> Iterator[Candidate]:
    """A fact about "the two companies" is a fact about each of them."""
    heads = cand.head.members or (cand.head,)
    tails = (cand.tail.members or (cand.tail,)) if cand.tail is not None else (None,)
    for head in heads:
        for tail in tails:
            yield replace(cand, head=head, tail=tail) if (head, tail) != (cand.head, cand.tail) else cand


def _identity(cand: Candidate) -> tuple[str, str, str | None]:
    """One key for the forms of one fact: by entity (knowledge id, else type and name), symmetric
    pairs sorted, part_of(a, b) read as owns(b, a), so "Cordoba" and "Cordoba plant" count once."""
    head, tail = cand.head.key.lower(), cand.tail.key.lower() if cand.tail else None
    if cand.relation == "part_of" and tail is not None:
        return ("owns", tail, head)
    if cand.relation == "partner_of" and tail is not None and tail < head:
        head, tail = tail, head
    return (cand.relation, head, tail)

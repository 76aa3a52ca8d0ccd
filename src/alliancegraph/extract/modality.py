"""Status (confirmed / reported / denied) and future of a fact, from the words of its sentence.

- reported: attributed to unnamed sources, newspapers or reports ("the Nikkei said", "people
  familiar with the matter", "reportedly", "according to a report"), or hedged ("could",
  "may", "considering", "in talks", "mulls", "eyes");
- denied: a party denies it, or the text says it is not happening ("denied a report", "has no
  plans to", "not interested", "was rebuffed", "yielded no results", "ruled out");
- future: a plan or expectation ("will be built", "is to launch", "plans to take a stake").

A fact given as background in a noun phrase ("its partner GM") is `presupposed`: the hedges of
its sentence do not make it reported, and it is not future.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

REPORT_NOUNS = {
    "report", "reports", "newspaper", "paper", "daily", "media", "source", "sources", "people", "person", "insider",
    "insiders", "magazine", "weekly", "nikkei", "times", "journal", "bild", "handelsblatt", "press", "agency",
    "website", "blog", "broadcaster", "television", "news",
}  # fmt: skip
SAY_VERBS = {"say", "report", "tell", "write", "quote", "cite", "claim"}
HEDGE_WORDS = {"could", "may", "might", "reportedly", "allegedly", "possibly", "possible", "potential", "mull", "mulls",
               "mulling", "eye", "eyes", "eyeing", "consider", "considering", "weigh", "weighing", "explore", "exploring",
               "rumor", "rumour", "speculation", "talks", "negotiations", "negotiating", "discuss", "discussing",
               "discussions", "likely", "expected", "whether", "if", "seek", "seeking"}  # fmt: skip
DENY_WORDS = {"deny", "denied", "denies", "rebuff", "rebuffed", "reject", "rejected", "dismiss", "dismissed"}
DENY_PHRASES = re.compile(
    r"\b(?:no (?:current )?plans?|not (?:interested|in talks|considering|planning)|ruled? out|yielded no|"
    r"called off|broke down|collapsed|scrapped|no longer|has no intention|never)\b",
    re.I,
)
CONTENDERS = {"runner", "front-runner", "frontrunner", "favorite", "favourite", "suitor", "bidder", "contender", "candidate"}
FUTURE_AUX = {"will", "would", "shall", "'ll", "wo", "going"}
FUTURE_VERBS = {"plan", "aim", "intend", "expect", "want", "seek", "hope", "prepare", "propose", "agree",
                "schedule", "set", "slate", "consider", "eye", "mull", "target", "decide", "look", "begin"}  # fmt: skip
FUTURE_WORDS = {"upcoming", "planned", "future", "next", "forthcoming", "proposed", "potential", "possible", "new"}


@dataclass(frozen=True, slots=True)
class Modality:
    status: str
    future: bool


def _infinitive(tok: Token) -> bool:
    """Whether a verb is a to-infinitive ("the front runner to buy X", "plans to build")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _chain(tok: Token, limit: int = 8) -> list[Token]:
    """The token and the tokens above it up to the sentence root, or up to the verb of the relative
    clause it sits in: "Volvo, which Ford acquired in 1999" is not a plan because the sentence
    around it speaks of one."""
    out = [tok]
    while tok.head != tok and len(out) < limit and not (tok.dep_ == "relcl" and not _infinitive(tok)):
        tok = tok.head
        out.append(tok)
    return out


SPECULATION = {"speculate", "rumor", "rumour", "guess", "bet", "predict", "wager"}
OPINION = {"expect", "believe", "think", "suggest", "anticipate", "see", "say", "reckon"}
OUTSIDERS = {"analysts", "analyst", "investors", "observers", "traders", "experts", "economists", "market",
             "markets", "some", "many", "others", "commentators", "pundits", "speculation"}  # fmt: skip


def _speculated(chain: list[Token]) -> bool:
    """Whether the statement is someone's guess: "investors speculated that", "analysts expect X to"."""
    for t in chain[1:]:
        lemma = t.lemma_.lower()
        if lemma in SPECULATION:
            return True
        if lemma in OPINION and any(
            c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in OUTSIDERS for c in t.children
        ):
            return True
    return False


def _attributed_to_report(sent: Span) -> bool:
    """Whether the sentence's main statement is attributed to a report or an unnamed source."""
    text = sent.text.lower()
    if re.search(r"\baccording to (?:a |the |an? )?(?:\w+ )?(?:report|newspaper|sources?|people|media|paper|person)", text):
        return True
    if re.search(r"\b(?:people|sources?|persons?|insiders?) (?:familiar|close|with knowledge|briefed|involved)", text):
        return True
    if re.search(r"\breportedly\b|\bis said to\b|\bare said to\b|\bwere said to\b|\bwas said to\b", text):
        return True
    for tok in sent:
        if tok.lemma_.lower() in SAY_VERBS and tok.pos_ == "VERB":
            for s in (c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}):
                words = {t.lower_ for t in s.subtree}
                if words & REPORT_NOUNS and not words & {"company", "spokesman", "spokeswoman", "statement"}:
                    return True
                if s.ent_type_ == "ORG" and s.text in {"Nikkei", "Reuters"}:
                    return tok.lemma_ == "report"
            if tok.lemma_ == "report" and any(c.dep_ == "nsubj" and c.ent_type_ in {"ORG", "WORK_OF_ART"} for c in tok.children):
                return True
    return False


ALLIANCES = {"partner_of", "joint_venture_of"}
"""Relations that an agreement brings into being: "agreed to cooperate" states a partnership."""
HEDGED_NOUN = {"possible", "potential", "proposed", "planned", "rumored", "rumoured", "mooted", "prospective"}


def _agreed(chain: list[Token]) -> bool:
    """Whether the chain holds a past agreement and no word of the future ("agreed to cooperate")."""
    for t in chain:
        if t.lower_ in FUTURE_AUX or any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in t.children):
            return False
        if t.lemma_.lower() == "agree" and t.tag_ in {"VBD", "VBN", "VBG"}:
            return True
    return False


def classify(sent: Span, trigger: Token, presupposed: bool = False, relation: str | None = None) -> Modality:
    """The status and future of a fact stated in `sent` by the word `trigger`.

    A presupposed fact is background, confirmed and not a plan. A fact named by a hedged noun
    ("a possible alliance", "the planned venture") is a plan, whoever states it.
    """
    hedged_noun = trigger.pos_ in {"NOUN", "PROPN"} and any(
        c.lower_ in HEDGED_NOUN for c in trigger.children if c.dep_ in {"amod", "compound"}
    )
    chain = _chain(trigger)
    lemmas = {t.lemma_.lower() for t in chain}
    sent_text = sent.text

    denied = False
    if not presupposed:
        if lemmas & DENY_WORDS or any(c.dep_ == "neg" for t in chain[:3] for c in t.children):
            denied = True
        elif DENY_PHRASES.search(sent_text):
            # a plan, interest or negotiation said not to exist or to have failed
            denied = bool(re.search(
                r"\bno (?:current )?plans?\b|\bnot interested\b|\bruled? out\b|\byielded no\b|\bcalled off\b|"
                r"\b(?:talks|negotiations) (?:\w+ ){0,6}(?:broke down|collapsed)\b",
                sent_text, re.I,
            ))
        if not denied and any(t.lemma_.lower() in DENY_WORDS for t in sent) and re.search(r"\bdeni\w+ (?:a |the )?(?:report|rumou?r|speculation)", sent_text, re.I):
            denied = True

    future = False
    if not presupposed:
        for t in chain[:5]:
            aux = {c.lower_ for c in t.children if c.dep_ in {"aux", "auxpass"}}
            if aux & FUTURE_AUX or t.lower_ in FUTURE_AUX:
                future = True
            if t.lemma_.lower() in FUTURE_VERBS and t != trigger and t.pos_ == "VERB":
                future = True
            if _infinitive(t) and t.dep_ in {"xcomp", "acl", "advcl", "relcl"}:
                future = True
            if any(c.lower_ in {"upcoming", "planned", "future", "next"} for c in t.children):
                future = True
        if re.search(r"\b(?:is|are|was|were) (?:to|set to|due to|expected to|slated to|poised to|close to)\b", sent_text):
            future = future or any(t.lemma_ in {"be"} for t in chain[:4])
        if any(t.lower_ in {"talks", "negotiations", "discussions"} for t in chain[:4]):
            future = True
        if future and relation in ALLIANCES and _agreed(chain[:5]):
            future = False  # an alliance is formed by the agreement itself ("has agreed to cooperate")

    future = future or hedged_noun
    if denied:
        return Modality("denied", future)
    if presupposed:
        return Modality("confirmed", hedged_noun)
    reported = _attributed_to_report(sent) or _speculated(chain)
    if not reported:
        hedges = {t.lower_ for t in chain[:6]} | {c.lower_ for t in chain[:4] for c in t.children if c.dep_ in {"aux", "advmod"}}
        hedge_lemmas = {t.lemma_.lower() for t in chain[:5]}
        if hedges & {"could", "may", "might", "reportedly", "possibly"} or hedge_lemmas & {"mull", "eye", "consider", "weigh", "explore"}:
            reported = True
        if hedge_lemmas & CONTENDERS:  # "named the front runner to buy X": not yet decided
            reported = True
            reported = True
        if any(t.lower_ in {"talks", "negotiations"} for t in chain[:4]) or re.search(r"\bin (?:talks|negotiations)\b", sent_text):
            reported = reported or any(t.lower_ in {"talks", "negotiations", "negotiating"} for t in chain[:6])
    return Modality("reported" if reported else "confirmed", future)

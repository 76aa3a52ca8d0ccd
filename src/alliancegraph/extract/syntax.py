"""Small questions asked of a dependency parse: who is the subject, what is coordinated, which
mentions sit under a phrase. The relation rules are written with these."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Token

from alliancegraph.extract.mentions import Mention, MentionIndex

PRODUCTS = {"VEHICLE", "PLATFORM"}
SUBJ = {"nsubj", "nsubjpass", "csubj"}
OBJ = {"dobj", "attr", "oprd"}


@dataclass(slots=True)
class Candidate:
    """A relation found in a sentence, before status, future and time are decided.

    `trigger` is the word that states it ("built", "stake", "partnership"). `presupposed` marks a
    fact given as background in a noun phrase ("its partner GM", "the Daimler subsidiary X"),
    which hedges of the main clause do not touch. `ends` marks a fact the trigger's event brings to an
    end ("sold its stake in X"): it held until then.
    """

    relation: str
    head: Mention
    tail: Mention | None
    trigger: Token
    attrs: dict[str, str] = field(default_factory=dict)
    presupposed: bool = False
    ends: bool = False


def conjuncts(tok: Token) -> list[Token]:
    """The token and every token coordinated with it ("A, B and C")."""
    return [tok, *tok.conjuncts]


def expand(index: MentionIndex, tok: Token, types: Iterable[str]) -> list[Mention]:
    """Mentions of the given types named by a token or its coordinated siblings, or by an apposition.

    For a token that is not itself a mention, looks at its compounds and its preposition "of"
    ("the battery of the new Smart EVs").
    """
    types = set(types)
    out: list[Mention] = []
    tokens = conjuncts(tok)
    if types <= PRODUCTS:
        # a list the parser read as an apposition: "the Camry sedan, the ES350 luxury sedan and the Avalon"
        tokens += [x for t in list(tokens) for c in t.children if c.dep_ == "appos" for x in conjuncts(c)]
    for t in tokens:
        m = index.at(t, types)
        if m is None:
            for child in t.children:
                if child.dep_ == "appos":
                    m = index.at(child, types)
                    if m is not None:
                        break
        if m is None and types <= PRODUCTS:
            # "the Infiniti QX56 luxury SUV": the model named in the noun's compounds
            m = next((x for c in t.children if c.dep_ in {"compound", "nmod"} for x in [index.at(c, types)] if x), None)
        if m is None:
            continue
        if m.members:
            out.extend(x for x in m.members if x.type in types)
        elif m not in out:
            out.append(m)
        # brands that share this noun: "Cadillac, Buick and Chevrolet models"
        out.extend(s for s in index.mentions if s.head == m.head and s is not m and s.type in types and s not in out)
    return out


def subjects(verb: Token) -> list[Token]:
    """The subject tokens of a verb, climbing through xcomp, conj and relative clauses."""
    seen = 0
    tok = verb
    while seen < 6:
        seen += 1
        subs = [c for c in tok.children if c.dep_ in SUBJ]
        if subs:
            out = []
            for s in subs:
                if s.tag_ in {"WDT", "WP"} and tok.dep_ == "relcl":
                    out.append(tok.head)
                else:
                    out.append(s)
            return out
        if tok.dep_ in {"xcomp", "conj", "advcl", "ccomp", "pcomp", "acl"} and tok.head != tok:
            if tok.dep_ == "acl":
                return [tok.head]
            tok = tok.head
            continue
        if tok.dep_ == "relcl":
            return [tok.head]
        break
    return []


def agents(verb: Token) -> list[Token]:
    """The "by X" objects of a passive verb."""
    return [g for a in verb.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]


def objects(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in OBJ]


def preps(tok: Token, *words: str) -> Iterator[Token]:
    """The objects of the token's prepositions among ``words`` ("with", "in"...)."""
    for p in tok.children:
        if p.dep_ in {"prep", "agent", "dative"} and p.lower_ in words:
            for o in p.children:
                if o.dep_ in {"pobj", "pcomp"}:
                    yield o
        if p.dep_ == "prep" and p.lower_ in {"along", "together"}:
            for q in p.children:
                if q.dep_ == "prep" and q.lower_ in words:
                    yield from (o for o in q.children if o.dep_ == "pobj")


def governing_verb(tok: Token, limit: int = 5) -> Token | None:
    """The nearest verb above a token (the token itself if it is one)."""
    t = tok
    for _ in range(limit):
        if t.pos_ in {"VERB", "AUX"}:
            return t
        if t.head is t:
            return None
        t = t.head
    return None


def mentions_under(index: MentionIndex, tok: Token, types: Iterable[str]) -> list[Mention]:
    """Mentions of the given types inside the token's subtree."""
    return index.in_span(tok.left_edge.i, tok.right_edge.i + 1, types)

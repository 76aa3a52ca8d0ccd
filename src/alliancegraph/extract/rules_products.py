"""Relations of vehicles, platforms and plants: develops, manufactures, produced_at, operates,
located_in, based_on, supplies, market and launch.

Patterns of business English: "V will be built by X at its plants in A, B", "X produces V in
Shanghai", "a small car co-developed by A and B", "V will share its architecture with W",
"fitted with a motor built by X", "V will be destined for Latin America", "V goes on sale in 2016".
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from alliancegraph.extract.mentions import PLANT_NOUNS, Mention, MentionIndex, agent_nouns
from alliancegraph.extract.syntax import Candidate, agents, conjuncts, expand, mentions_under, preps, subjects
from alliancegraph.extract.words import Triggers

ORG = ("ORG",)
PRODUCT = ("VEHICLE", "PLATFORM")
BUILD = {"build", "make", "produce", "assemble", "manufacture", "construct"}
DEVELOP = {"develop", "design", "engineer", "co-develop", "codevelop", "co", "create"}
LAUNCH_VERBS = {"launch", "introduce", "debut", "release", "roll"}
MARKET_VERBS = {"sell", "market", "export", "offer", "distribute", "destine", "ship", "target"}
SUPPLY_VERBS = {"supply", "provide", "deliver", "source", "furnish"}
COMPONENTS = {"engine", "engines", "motor", "motors", "battery", "batteries", "transmission", "transmissions",
              "gearbox", "gearboxes", "component", "components", "part", "parts", "powertrain", "powertrains",
              "cells", "cell", "axle", "axles", "seats", "tires", "tyres", "chassis", "electronics", "system",
              "systems", "module", "modules", "diesel", "diesels"}  # fmt: skip
PRODUCTION_NOUNS = {"production", "manufacturing", "assembly"}
MAKER_NOUNS = {"maker", "makers", "manufacturer", "producer", "builder"}
PRODUCT_NOUNS = {"products", "product", "models"}
SHARING_VERBS = {"share", "borrow", "use", "underpin", "build"}
MARKET_NOUNS = {"customers", "buyers", "market", "markets", "consumers", "drivers"}


def _vehicles(index: MentionIndex, tok: Token) -> list[Mention]:
    """Vehicles or platforms named by a phrase, looking through "a range of", "versions of" and appositions."""
    found = expand(index, tok, PRODUCT)
    if found:
        return found
    for t in conjuncts(tok):
        if t.lower_ in COMPONENTS:
            continue  # "the battery of the Smart EV" is a part, supplied, not the vehicle built
        for o in preps(t, "of"):
            found.extend(expand(index, o, PRODUCT))
    return found


def _makers(index: MentionIndex, verb: Token) -> list[Mention]:
    found = [m for a in agents(verb) for m in expand(index, a, ORG)]
    doc = verb.doc
    if not found and verb.i >= 2 and doc[verb.i - 1].lower_ == "to":
        # "a deal for Geely to build a small car": the object of "for" does the building
        before = doc[verb.i - 2]
        m = index.at(before, ORG)
        if m is not None and before.head.lower_ == "for" or (m is not None and doc[m.head].head.lower_ == "for"):
            return [m]
    if not found:
        found = [m for s in subjects(verb) for m in expand(index, s, ORG)]
    return found


def _products(index: MentionIndex, verb: Token) -> list[Mention]:
    found = [m for o in verb.children if o.dep_ in {"dobj", "nsubjpass"} for m in _vehicles(index, o)]
    if not found and verb.dep_ in {"acl", "relcl"}:
        found = _vehicles(index, verb.head)
    if not found:
        found = [m for s in subjects(verb) for m in _vehicles(index, s)]
    return found


def _agent_preps(verb: Token) -> list[Token]:
    """Phrases hung on the agent of a passive ("produced by the unit, X, in Kamenz")."""
    return [c for t in agent_nouns(verb) for c in t.children if c.dep_ == "prep"]


def _plants_in(index: MentionIndex, phrases: list[Token]) -> list[Mention]:
    """The plants named in the "at"/"in" phrases among `phrases`, each once."""
    out: list[Mention] = []
    for p in phrases:
        if p.dep_ == "prep" and p.lower_ in {"at", "in"}:
            out.extend(m for m in mentions_under(index, p, ["PLANT"]) if m not in out)
    return out


def _plants_under(index: MentionIndex, verb: Token) -> list[Mention]:
    """Plants in the verb's "at"/"in" phrases, its object's ("produces V in Shanghai") or its
    passive agent's ("produced by X in Kamenz")."""
    objects = [o for o in verb.children if o.dep_ == "dobj"]
    return _plants_in(index, [*verb.children, *(c for o in objects for c in o.children), *_agent_preps(verb)])


BUILDING_TRIGGERS = Triggers(lemma=frozenset(BUILD | DEVELOP), prefixes=("co-develop",))
"""The verbs `production` reads first: of building and of developing."""
PRODUCTION_TRIGGERS = Triggers(lower=frozenset(PRODUCTION_NOUNS | MAKER_NOUNS | PRODUCT_NOUNS))
"""The nouns `production` reads then: "production of", "the maker of", "the products of"."""


def production(sent: Span, index: MentionIndex) -> Iterator[Candidate]:
    """manufactures, produced_at and develops from verbs of building and developing."""
    for tok in index.words.tokens(sent, BUILDING_TRIGGERS):
        lemma = tok.lemma_.lower()
        if tok.pos_ not in {"VERB", "AUX"} and not (tok.tag_ in {"VBN", "VBG"}):
            continue
        if lemma in BUILD:
            makers = _makers(index, tok)
            makers += [m for o in preps(tok, "with") for m in expand(index, o, ORG)]
            makers += [m for d in tok.children if d.dep_ == "dobj" for o in preps(d, "with") for m in expand(index, o, ORG)]
            products = _products(index, tok)
            also = [m for o in preps(tok, "with") for m in _vehicles(index, o)]
            plants = _plants_under(index, tok)
            subj_plants = [m for s in subjects(tok) for m in expand(index, s, ["PLANT"])]
            for v in products:
                for mk in makers:
                    yield Candidate("manufactures", mk, v, tok)
                for pl in plants + subj_plants:
                    yield Candidate("produced_at", v, pl, tok)
            for pl in _plants_in(index, _agent_preps(tok)):
                for mk in makers:  # "produced by X in Kamenz": X's own works there
                    yield Candidate("operates", mk, pl, tok, presupposed=True)
            for v in also:
                for pl in plants:
                    yield Candidate("produced_at", v, pl, tok)
            for o in preps(tok, "using"):
                for d in o.subtree:
                    if d.dep_ == "poss":
                        for owner in expand(index, d, ORG):
                            for v in products:
                                yield Candidate("develops", owner, v, tok)
            for o in (c for c in tok.children if c.dep_ == "advcl" and c.lower_ == "using"):
                for d in o.subtree:
                    if d.dep_ == "poss":
                        for owner in expand(index, d, ORG):
                            for v in products:
                                yield Candidate("develops", owner, v, tok)
        elif lemma in DEVELOP or tok.lower_.startswith("co-develop") or (lemma == "develop"):
            makers = _makers(index, tok)
            for v in _products(index, tok):
                for mk in makers:
                    yield Candidate("develops", mk, v, tok)
    for tok in index.words.tokens(sent, PRODUCTION_TRIGGERS):
        # nouns: "production of V at P", "the maker of Roewe sedans", "the first products of the venture, A and B"
        low = tok.lower_
        if low in PRODUCTION_NOUNS and tok.pos_ == "NOUN":
            products = [m for o in preps(tok, "of") for m in _vehicles(index, o)]
            products += [m for c in tok.children if c.dep_ in {"compound", "nmod"} for m in expand(index, c, PRODUCT)]
            plants = [m for p in tok.children if p.dep_ == "prep" and p.lower_ in {"at", "in"} for m in mentions_under(index, p, ["PLANT"])]
            verb = tok.head
            plants += _plants_under(index, verb) if verb.pos_ in {"VERB", "AUX"} else []
            if verb.lemma_ in {"shift", "switch", "move", "convert", "change"}:
                # "shift production at its Canton plant to light trucks"
                products += [m for o in preps(verb, "to") for m in _vehicles(index, o)]
            for v in products:
                for pl in plants:
                    yield Candidate("produced_at", v, pl, tok)
        elif low in MAKER_NOUNS and tok.pos_ == "NOUN":
            products = [m for o in preps(tok, "of") for m in _vehicles(index, o)]
            makers = expand(index, tok.head, ORG) if tok.dep_ == "appos" else []
            for c in tok.children:
                if c.dep_ == "appos":
                    makers += expand(index, c, ORG)
            for mk in makers:
                for v in products:
                    yield Candidate("manufactures", mk, v, tok, presupposed=True)
        elif low in PRODUCT_NOUNS and tok.pos_ == "NOUN":
            owners = [m for o in preps(tok, "of") for m in expand(index, o, ORG)]
            # "the first products of the venture, A and B": an apposition, or a list the parser coordinated
            vehicles = [m for c in tok.children if c.dep_ in {"appos", "conj"} for m in _vehicles(index, c)]
            vehicles += [m for o in preps(tok, "of") for c in o.children if c.dep_ == "appos" for m in _vehicles(index, c)]
            for mk in owners:
                for v in vehicles:
                    yield Candidate("develops", mk, v, tok, presupposed=True)


def plants(sent: Span, index: MentionIndex) -> Iterator[Candidate]:
    """operates and located_in: "its plants in Cordoba, Argentina", "Chrysler's plant in Saltillo"."""
    seen: set[tuple[str, str]] = set()
    for m in index.starting_in(sent.start, sent.end, "PLANT"):
        doc = sent.doc
        if m.place:
            place = Mention(m.start, m.end, "PLACE", m.place)
            yield Candidate("located_in", m, place, doc[m.head], presupposed=True)
        # the plant noun this town hangs from, and its owner
        noun = _plant_noun(doc, m)
        if noun is None:
            continue
        for p in noun.children:
            if p.dep_ == "prep" and p.lower_ == "in" and not m.place:
                for area in mentions_under(index, p, ["PLACE"]):
                    yield Candidate("located_in", m, area, noun, presupposed=True)
                    break
        owners = [x for c in noun.children if c.dep_ == "poss" for x in expand(index, c, ORG)]
        if not owners:
            verb = noun.head.head if noun.dep_ == "pobj" else None
            if verb is not None and verb.lemma_ in BUILD and any(c.dep_ == "poss" and c.lower_ == "its" for c in noun.children):
                owners = [x for a in agents(verb) for x in expand(index, a, ORG)]
        for o in owners:
            if (o.key, m.key) not in seen:
                seen.add((o.key, m.key))
                yield Candidate("operates", o, m, noun, presupposed=True)


def _plant_noun(doc, m: Mention) -> Token | None:  # noqa: ANN001
    """The plant noun a town names: "its Cleon plant" (after it) or "plants in Cordoba" (above it)."""
    for i in range(m.end, min(m.end + 4, len(doc))):
        if doc[i].lower_ in PLANT_NOUNS:
            return doc[i]
        if doc[i].text not in {",", "-"} and not doc[i].pos_ == "PROPN":
            break
    tok = doc[m.head]
    for _ in range(4):
        if tok.lower_ in PLANT_NOUNS:
            return tok
        if tok.head == tok:
            break
        tok = tok.head
    return None


PRODUCT_TRIGGERS = Triggers(
    lower=frozenset({"based"} | COMPONENTS | MARKET_NOUNS),
    lemma=frozenset(SHARING_VERBS | SUPPLY_VERBS | MARKET_VERBS | LAUNCH_VERBS | {"go", "hit", "arrive"}),
)
"""The words `products` acts on: each of its cases (and `_is_launch`) begins with a test for one of these."""


def products(sent: Span, index: MentionIndex) -> Iterator[Candidate]:
    """based_on, supplies, market and launch."""
    for tok in index.words.tokens(sent, PRODUCT_TRIGGERS):
        lemma, low = tok.lemma_.lower(), tok.lower_
        if low == "based" and tok.tag_ == "VBN":
            bases = [m for o in preps(tok, "on") for m in _vehicles(index, o)]
            derived = _vehicles(index, tok.head) if tok.dep_ in {"acl", "amod"} else []
            derived += [m for s in subjects(tok) for m in _vehicles(index, s)]
            if not derived and tok.dep_ == "acl":
                derived = _vehicles(index, tok.head)
            for d in derived:
                for b in bases:
                    if d.key != b.key:
                        yield Candidate("based_on", d, b, tok)
        elif lemma in SHARING_VERBS and tok.pos_ == "VERB":
            derived = [m for s in subjects(tok) for m in _vehicles(index, s)]
            if tok.dep_ == "relcl":
                derived = _vehicles(index, tok.head)
            bases: list[Mention] = []
            objs = [o for o in tok.children if o.dep_ == "dobj"]
            if lemma == "build":
                bases = [m for o in preps(tok, "on") for m in _vehicles(index, o) if m.type == "PLATFORM"]
            for o in objs:
                if o.lemma_ in {"architecture", "platform", "component", "underpinning", "technology", "part", "chassis", "some", "much", "most"}:
                    bases += [m for w in preps(tok, "with") for m in _vehicles(index, w)]
                    for x in o.subtree:
                        mm = index.at(x, PRODUCT)
                        if mm is not None and mm not in bases and mm not in derived:
                            bases.append(mm)
                elif index.at(o, ["PLATFORM"]) is not None:
                    bases.append(index.at(o, ["PLATFORM"]))  # type: ignore[arg-type]
            for d in derived:
                for b in bases:
                    if d.key != b.key:
                        yield Candidate("based_on", d, b, tok)
        if lemma in SUPPLY_VERBS and tok.pos_ == "VERB":
            suppliers = _makers(index, tok)
            receivers = [m for o in preps(tok, "to", "for") for m in expand(index, o, ORG + PRODUCT)]
            if lemma == "source":
                receivers, suppliers = suppliers, [m for o in preps(tok, "from") for m in expand(index, o, ORG)]
            for s in suppliers:
                for r in receivers:
                    if s.key != r.key:
                        yield Candidate("supplies", s, r, tok)
        if low in COMPONENTS and tok.pos_ == "NOUN":
            # "fitted with an electric motor built by X", "the battery of V will be produced by X"
            suppliers: list[Mention] = []
            for acl in tok.children:
                if acl.dep_ == "acl" and acl.lemma_ in BUILD | SUPPLY_VERBS | DEVELOP:
                    suppliers += [m for a in agents(acl) for m in expand(index, a, ORG)]
            if tok.dep_ == "nsubjpass" and tok.head.lemma_ in BUILD | SUPPLY_VERBS:
                suppliers += [m for a in agents(tok.head) for m in expand(index, a, ORG)]
            receivers = [m for o in preps(tok, "of", "for") for m in _vehicles(index, o)]
            verb = tok.head.head if tok.dep_ == "pobj" else None
            if verb is not None and verb.lemma_ in {"fit", "equip", "power", "use", "get", "receive", "feature"}:
                receivers += [m for s in subjects(verb) for m in _vehicles(index, s)]
            for s in suppliers:
                for r in receivers:
                    yield Candidate("supplies", s, r, tok)
        if lemma in MARKET_VERBS and tok.pos_ == "VERB":
            goods = _products(index, tok)
            places = [m for o in preps(tok, "in", "to", "for", "into") for m in expand(index, o, ["PLACE"])]
            places += [m for o in preps(tok, "in", "to", "for") for m in mentions_under(index, o, ["PLACE"]) if m not in places]
            for v in goods:
                for p in places:
                    yield Candidate("market", v, p, tok)
        if low in MARKET_NOUNS and tok.pos_ == "NOUN":
            places = [m for o in preps(tok, "in") for m in expand(index, o, ["PLACE"])]
            places += [m for c in tok.children if c.dep_ in {"compound", "amod", "nmod"} for m in expand(index, c, ["PLACE"])]
            goods = [m for s in _clause_subjects(tok) for m in _vehicles(index, s)]
            if tok.head.dep_ == "prep" and tok.head.lower_ == "for":
                goods += _vehicles(index, tok.head.head)
                before = index.at(tok.head.i - 1, ["VEHICLE"])
                if before is not None and not goods:  # "trucks and vans for the U.S. market"
                    goods += _vehicles(index, sent.doc[before.head])
            for v in goods:
                for p in places:
                    yield Candidate("market", v, p, tok)
        if _is_launch(tok):
            verb = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
            goods = _launched(index, tok, verb)
            markets = [m for o in preps(verb, "in", "to") for m in expand(index, o, ["PLACE"])]
            markets += [m for o in preps(tok, "in") for m in expand(index, o, ["PLACE"]) if m not in markets]
            for v in goods:
                if markets:
                    for p in markets:
                        yield Candidate("launch", v, p, tok)
                else:
                    yield Candidate("launch", v, None, tok)


def _clause_subjects(tok: Token) -> list[Token]:
    t = tok
    for _ in range(6):
        if t.pos_ in {"VERB", "AUX"}:
            subs = subjects(t)
            if subs:
                return subs
        if t.head is t:
            break
        t = t.head
    return []


def _is_launch(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB" and lemma in LAUNCH_VERBS:
        return lemma != "roll" or any(c.lower_ == "out" for c in tok.children)
    if lemma == "go" and any(p.lower_ == "on" and any(o.lower_ == "sale" for o in p.children) for p in tok.children):
        return True
    if lemma == "hit" and any(o.lower_ in {"market", "markets", "showrooms", "dealerships", "roads"} for o in tok.children):
        return True
    return lemma == "arrive" and any(o.lower_ in {"showrooms", "dealers"} for p in tok.children for o in p.children)


def _launched(index: MentionIndex, tok: Token, verb: Token) -> list[Mention]:
    lemma = tok.lemma_.lower()
    if lemma in LAUNCH_VERBS and tok.pos_ == "VERB":
        goods = [m for o in tok.children if o.dep_ in {"dobj", "nsubjpass"} for m in expand(index, o, ["VEHICLE"])]
        if tok.dep_ in {"acl", "amod"}:
            goods += expand(index, tok.head, ["VEHICLE"])
        return goods
    goods = [m for s in subjects(verb) for m in expand(index, s, ["VEHICLE"])]
    if not goods and verb.dep_ in {"acl", "relcl", "amod"}:
        goods = expand(index, verb.head, ["VEHICLE"])
    return goods

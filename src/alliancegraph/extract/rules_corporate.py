"""Relations between companies and people: partner_of, owns, part_of, joint_venture_of, role_at.

Each finder reads one sentence and yields `Candidate`s. They are written as patterns of business
English ("A and B announced an alliance", "its 19.9 percent stake in X", "X's German unit, Y",
"X, a joint venture between A and B", "Fiat Chief Executive Sergio Marchionne"), never for a
particular company or sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from alliancegraph.extract.mentions import Mention, MentionIndex
from alliancegraph.extract.syntax import Candidate, agents, conjuncts, expand, governing_verb, preps, subjects
from alliancegraph.extract.words import Triggers

ORG = ("ORG",)
PARTNER_NOUNS = {
    "alliance", "partnership", "tie", "cooperation", "co-operation", "collaboration", "pact", "partner",
    "partners", "ally", "allies", "tieup", "linkup", "link", "relationship", "ties", "talks", "negotiations",
    "project", "projects",
}  # fmt: skip
WEAK_PARTNER_NOUNS = {"talks", "negotiations", "relationship", "ties", "link", "project", "projects"}
PARTNER_VERBS = {"partner", "cooperate", "co-operate", "collaborate", "ally", "team", "join", "tie", "negotiate"}
STAKE_NOUNS = {"stake", "holding", "interest", "shareholding", "share", "shares", "equity"}
OWN_VERBS = {"own", "control", "acquire", "buy", "purchase", "hold", "take", "have", "raise", "increase", "want",
             "eye", "seek", "build", "get", "keep", "retain", "consider", "lift", "boost", "exercise"}  # fmt: skip
REPORTING = {"say", "report", "tell", "write", "add", "note", "claim", "believe", "think", "expect"}
SELL_VERBS = {"sell", "divest", "dispose", "offload", "unload", "cut", "reduce", "transfer"}
JV_WORDS = {"venture", "jv", "jvs", "ventures"}
UNIT_NOUNS = {"unit", "units", "subsidiary", "subsidiaries", "division", "divisions", "arm", "brand", "brands",
              "affiliate", "marque", "marques", "business", "label", "operations", "operation"}  # fmt: skip
TITLE_HEADS = {
    "chief", "executive", "ceo", "president", "chairman", "chairwoman", "head", "director", "officer", "cfo", "coo",
    "cto", "manager", "analyst", "strategist", "spokesman", "spokeswoman", "spokesperson", "founder", "boss",
    "member", "economist", "secretary", "minister", "treasurer", "chair", "co-president", "vice", "leader",
    "executives", "engineer", "designer", "partner", "trader", "governor", "commissioner",
}  # fmt: skip
TITLE_WORDS = TITLE_HEADS | {
    "senior", "deputy", "assistant", "acting", "managing", "general", "group", "sales", "marketing", "finance",
    "financial", "operating", "technology", "technical", "production", "board", "management", "supervisory",
    "and", "of", "administration", "research", "development", "purchasing", "design", "global", "regional",
    "former", "new", "interim", "executive", "operations", "strategy", "corporate", "communications", "product",
    "planning", "investor", "relations", "the", "europe", "china", "asia", "america", "north", "japan", "u.s.",
    "international", "business", "human", "resources", "legal", "counsel", "&", "-", ",", "auto", "automotive",
    "industry", "senior", "principal", "lead", "credit", "equity", "fund",
}  # fmt: skip
PERCENT = re.compile(r"(?:(at least|more than|about|around|nearly|almost|up to)\s+)?(\d+(?:\.\d+)?)\s*(?:percent|per cent|%|pct)", re.I)


def _share(tokens: Span | list[Token]) -> str | None:
    text = " ".join(t.text for t in tokens)
    m = PERCENT.search(text)
    if m:
        return f"{m.group(1) + ' ' if m.group(1) else ''}{m.group(2)}%"
    for word in ("majority", "minority", "controlling", "blocking"):
        if word in text.lower().split():
            return word
    return None


def _climb_orgs(index: MentionIndex, tok: Token, limit: int = 6, exclude: set[str] | None = None) -> list[Mention]:
    """The companies acting in the clause above a token: subjects, then "by" agents, climbing up;
    companies in `exclude` (the other side of the relation) are passed over."""
    t = tok
    for _ in range(limit):
        verb = governing_verb(t)
        if verb is None:
            return []
        found = []
        for s in subjects(verb) + agents(verb):
            found.extend(m for m in expand(index, s, ORG) if not exclude or m.key not in exclude)
        if found:
            return found
        if verb.head == verb or (verb.dep_ == "ccomp" and verb.head.lemma_ in REPORTING):
            return []  # "the paper reported that ...": the reporter is not a party
        t = verb.head
    return []


def _np_orgs(index: MentionIndex, tok: Token) -> list[Mention]:
    """Companies named by a noun phrase, looking through "rivals such as A and B", "the likes of A"."""
    found = expand(index, tok, ORG)
    if found:
        return found
    for t in conjuncts(tok):
        for o in preps(t, "as", "like", "including", "of"):
            found.extend(expand(index, o, ORG))
        for c in t.children:
            if c.dep_ == "amod" and c.lower_ == "such":
                for o in preps(c, "as"):
                    found.extend(expand(index, o, ORG))
    return found


def _phrase_orgs(index: MentionIndex, tok: Token) -> list[Mention]:
    """Every company named inside a prepositional object ("with Ford, Germany's BMW and Japan's Mazda")."""
    found = _np_orgs(index, tok)
    for m in index.in_span(tok.left_edge.i, tok.right_edge.i + 1, ORG) + _list_after(index, tok.right_edge):
        if all(m.key != f.key for f in found):
            found.append(m)
    return found


def _list_after(index: MentionIndex, last: Token) -> list[Mention]:
    """Companies that continue a list the parser cut short: after "with Ford", the words
    ", Germany's BMW and Japan's Mazda" up to the first word that is not part of such a list."""
    doc, found = last.doc, []
    i = last.i + 1
    end = last.sent.end
    while i < end:
        tok = doc[i]
        m = index.at(i)
        if tok.lower_ in {",", "and", "the"}:
            i += 1
        elif m is not None and m.type == "PLACE" and m.end < end and doc[m.end].text in {"'s", "\u2019s"}:
            i = m.end + 1
        elif m is not None and m.type == "ORG" and m.start == i:
            found.append(m)
            i = m.end
        else:
            break
    return found if found and (i >= end or doc[i].is_punct) else []


def _pairs(a: list[Mention], b: list[Mention]) -> Iterator[tuple[Mention, Mention]]:
    for x in a:
        for y in b:
            if x.key != y.key:
                yield x, y


def _group_pairs(group: list[Mention]) -> Iterator[tuple[Mention, Mention]]:
    for i, x in enumerate(group):
        for y in group[i + 1 :]:
            if x.key != y.key:
                yield x, y


PARTNER_TRIGGERS = Triggers(
    lower=frozenset(PARTNER_NOUNS | JV_WORDS), lemma=frozenset(PARTNER_NOUNS | PARTNER_VERBS | {"work"})
)
"""The words `partners` acts on: a partner noun or verb, "work" (together), a venture noun."""


def partners(sent: Span, index: MentionIndex) -> Iterator[Candidate]:
    """partner_of: alliances, partnerships, tie-ups, cooperation, joint projects and talks about them."""
    for tok in index.words.tokens(sent, PARTNER_TRIGGERS):
        low, lemma = tok.lower_, tok.lemma_.lower()
        is_noun = tok.pos_ in {"NOUN", "PROPN"} and (low in PARTNER_NOUNS or lemma in PARTNER_NOUNS)
        is_verb = tok.pos_ == "VERB" and lemma in PARTNER_VERBS
        if low == "tie" and not (tok.nbor(1).text == "-" if tok.i + 1 < len(tok.doc) else False) and tok.pos_ != "VERB":
            is_noun = False
        if lemma == "join" and not any(c.lower_ == "forces" for c in tok.children):
            is_verb = False
        if lemma == "team" and not any(c.lower_ == "up" for c in tok.children):
            is_verb = False
        if lemma == "negotiate" and not list(preps(tok, "with")):
            is_verb = False
        if lemma == "work" and tok.pos_ == "VERB" and any(c.lower_ in {"together", "jointly"} for c in tok.children):
            is_verb = True  # "A and B have been working together"
        if low in JV_WORDS and _unnamed_venture(index, tok):
            is_noun = True  # "A will set up a joint venture with B": an alliance of the two
        if index.at(tok, ORG) is not None and low not in {"partner", "partners"}:
            continue  # a word of a name ("Renault-Nissan Alliance")
        if not (is_noun or is_verb):
            continue
        if low in {"project", "projects"} and not any(c.lower_ in {"joint", "common"} for c in tok.children):
            continue
        presupposed = False
        side_a: list[Mention] = []
        side_b: list[Mention] = []
        group: list[Mention] = []
        if is_noun:
            for child in tok.children:
                if child.dep_ in {"compound", "nmod", "amod", "npadvmod"}:
                    group.extend(_np_orgs(index, child))
                    for gc in child.subtree:
                        m = index.at(gc, ORG)
                        if m is not None and m not in group and gc.i < tok.i:
                            group.append(m)
                elif child.dep_ == "poss":
                    side_a.extend(expand(index, child, ORG))
                elif child.dep_ in {"appos"}:
                    side_b.extend(_np_orgs(index, child))
            # "cooperation deals with A, B and C": the phrase may hang from the noun the trigger modifies
            holders = [tok, tok.head] if tok.dep_ in {"compound", "amod"} and tok.head.pos_ == "NOUN" else [tok]
            for h in holders:
                for o in preps(h, "between", "among"):
                    group.extend(_phrase_orgs(index, o))
                for o in preps(h, "with", "of", "to"):
                    side_b.extend(_phrase_orgs(index, o))
            if tok.dep_ == "dobj" and tok.head.pos_ == "VERB":
                # "formed an alliance with B", "signed a cooperation agreement with B"
                for o in preps(tok.head, "with"):
                    side_b.extend(_phrase_orgs(index, o))
            if low in {"partner", "partners", "ally"}:
                head_org = index.at(tok.head, ORG) if tok.dep_ in {"compound", "nmod", "amod"} else None
                if head_org is not None:
                    side_b.append(head_org)
                    side_a.extend(_coordinated_before(index, tok))
                if tok.dep_ == "appos":
                    side_b.extend(expand(index, tok.head, ORG))
                presupposed = bool(side_a or head_org)
            if low in {"talks", "negotiations"} and not _about_cooperation(tok):
                continue
            if low in JV_WORDS and not side_b:
                # "signed a deal with B to set up a joint venture": the partner is named higher up
                for up in list(tok.ancestors)[:4]:
                    for h in [up, *(c for c in up.children if c.dep_ == "dobj")]:
                        side_b.extend(m for o in preps(h, "with") for m in _phrase_orgs(index, o))
        else:
            for o in preps(tok, "with"):
                side_b.extend(_phrase_orgs(index, o))
            if lemma in {"partner", "ally"}:  # "Kamaz has long partnered Daimler"
                side_b.extend(m for o in tok.children if o.dep_ == "dobj" for m in _np_orgs(index, o))
        group = _dedupe(group)
        if not side_a and (side_b or len(group) < 2):
            side_a = _climb_orgs(index, tok, exclude={m.key for m in side_b})
            if len(side_a) >= 2 and not side_b:
                group.extend(side_a)
                side_a = []
        if len(group) == 1 and not side_b:
            side_b = group
            group = []
        pairs = list(_pairs(side_a, side_b)) or list(_pairs(group, side_b)) or list(_group_pairs(_dedupe(group + side_a)))
        for a, b in pairs:
            yield Candidate("partner_of", a, b, tok, presupposed=presupposed)


def _coordinated_before(index: MentionIndex, tok: Token) -> list[Mention]:
    """The company coordinated before a partner phrase that is a subject: "GM and Chinese partner SAIC
    announced" gives GM (in an object list, "talks could include Honda and existing partner PSA", the
    partner is someone else's)."""
    doc = tok.doc
    named = tok.head
    if named.dep_ not in {"nsubj", "nsubjpass"} and not (named.dep_ == "conj" and named.head.dep_ in {"nsubj", "nsubjpass"}):
        return []
    i = tok.i - 1
    while i >= tok.sent.start and doc[i].dep_ in {"amod", "compound", "det"} and index.at(i) is None:
        i -= 1  # "Chinese", "long-time"
    if i - 1 < tok.sent.start or doc[i].lower_ != "and":
        return []
    m = index.at(i - 1, ORG)
    return [m] if m is not None else []


def _unnamed_venture(index: MentionIndex, tok: Token) -> bool:
    """A joint venture the sentence does not name ("set up a joint venture with B"); a named one
    ("their venture, Shanghai GM") is read by `joint_ventures`."""
    if tok.pos_ != "NOUN" or not (tok.lower_ == "jv" or any(c.lower_ == "joint" for c in tok.children)):
        return False
    if any(c.dep_ == "appos" for c in tok.children) or (tok.dep_ == "appos" and index.at(tok.head, ORG)):
        return False
    named = [index.at(c, ORG) for c in tok.children if c.dep_ in {"compound", "nmod"}]
    return not any(m is not None and m.kind == "joint_venture" for m in named)


def _about_cooperation(tok: Token) -> bool:
    """Talks count as a partnership only when they are about working together, not a sale."""
    words = {t.lemma_.lower() for t in tok.sent}
    return bool(words & {"cooperation", "partnership", "alliance", "tie", "cooperate", "collaborate", "partner",
                         "joint", "jointly", "tie-up", "co-operation", "alliances"})  # fmt: skip


def _dedupe(ms: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in ms:
        if all(o.key != m.key for o in out):
            out.append(m)
    return out


OWNER_NOUNS = {"owner", "shareholder", "investor", "stakeholder", "parent"}
OWNERSHIP_VERBS = {"own", "control", "sell", "divest", "acquire", "buy", "purchase", "take"}
OWNERSHIP_TRIGGERS = Triggers(
    lower=frozenset({"percent", "%", "owned", "controlled"}),
    lemma=frozenset(STAKE_NOUNS | OWNER_NOUNS | OWNERSHIP_VERBS),
)
"""The words `ownership` acts on (a stake or owner noun; a verb of owning, buying, selling or taking;
"N percent of"; "X-owned"): each of its cases begins with a test for one of these."""


def ownership(sent: Span, index: MentionIndex) -> Iterator[Candidate]:
    """owns: stakes, holdings, control, acquisitions, "owner of", "shareholder", "parent"."""
    for tok in index.words.tokens(sent, OWNERSHIP_TRIGGERS):
        low, lemma = tok.lower_, tok.lemma_.lower()
        if lemma in STAKE_NOUNS and tok.pos_ == "NOUN":
            if lemma in {"share", "shares", "interest", "equity"} and not list(preps(tok, "in")):
                continue
            owned = [m for o in preps(tok, "in", "of") for m in expand(index, o, ORG)]
            owned += [m for c in tok.children if c.dep_ in {"compound", "nmod"} for m in expand(index, c, ORG)]
            owners = [m for c in tok.children if c.dep_ == "poss" for m in expand(index, c, ORG + ("PERSON",))]
            share = _share(list(tok.subtree)[: tok.i - tok.left_edge.i + 1])
            verb = governing_verb(tok)
            buyer: list[Mention] = []
            if verb is not None and verb.lemma_.lower() in SELL_VERBS:
                buyer = [m for o in preps(verb, "to") for m in expand(index, o, ORG + ("PERSON",))]
            for acl in tok.children:
                if acl.dep_ == "acl" and acl.lemma_.lower() in {"hold", "own", "control"}:
                    owners += [m for a in agents(acl) for m in expand(index, a, ORG + ("PERSON",))]
            if not owners and not buyer and verb is not None:
                if verb.lemma_.lower() in SELL_VERBS:
                    owners = _climb_orgs(index, tok)
                elif verb.lemma_.lower() in OWN_VERBS or verb.dep_ in {"relcl"}:
                    owners = _climb_orgs(index, tok)
            if buyer:
                sold = owned or _parented(sent, index, owners or _climb_orgs(index, tok))
                for b in buyer:
                    for o in sold:
                        if b.key != o.key:
                            yield Candidate("owns", b, o, tok, {"share": share} if share else {})
                if not owned:
                    continue
            if not owned and owners and verb is not None and verb.dep_ == "relcl":
                owned = []
            poss = any(c.dep_ == "poss" for c in tok.children)
            # "sold its stake in X", "the disposal of its stake": the seller owned X until the sale
            ends = poss and _sold(tok, verb)
            for a in owners:
                for o in owned:
                    if a.key != o.key:
                        yield Candidate("owns", a, o, tok, {"share": share} if share else {},
                                        presupposed=poss, ends=ends)
        elif low in {"percent", "%"} and tok.dep_ in {"dobj", "pobj"}:
            verb = governing_verb(tok)
            if verb is None or verb.lemma_.lower() not in OWN_VERBS | {"own"}:
                continue
            owned = [m for o in preps(tok, "of") for m in _through_business(index, o)]
            # "owns 50.7 percent of VW's ordinary shares"
            owned += [m for o in preps(tok, "of") if o.lemma_.lower() in SHARE_NOUNS
                      for c in o.children if c.dep_ == "poss" for m in expand(index, c, ORG)]
            owners = _climb_orgs(index, tok) or [m for s in subjects(verb) for m in expand(index, s, ("PERSON",))]
            if not owners:
                owners = [m for c in verb.head.children if c.dep_ == "poss" for m in expand(index, c, ORG)]
            share = _share(list(tok.subtree)[: tok.i - tok.left_edge.i + 1])
            # "The family has 30 percent of Fiat through Exor": the family owns Exor, and both own the stake
            vehicles = [m for h in (tok, verb) for o in preps(h, "through", "via") for m in expand(index, o, ORG)]
            for v in vehicles:
                for a in owners:
                    if a.key != v.key:
                        yield Candidate("owns", a, v, tok)
            for a in vehicles + owners:
                for o in owned:
                    if a.key != o.key:
                        yield Candidate("owns", a, o, tok, {"share": share} if share else {})
        elif lemma in OWNER_NOUNS and tok.pos_ == "NOUN":
            if tok.dep_ == "compound" and tok.head.lemma_ in {"company", "group", "firm"}:
                tok = tok.head  # "BMW, parent company to Mini and Rolls-Royce"
            owned = [m for o in preps(tok, "of", "in", "to") for m in expand(index, o, ORG)]
            owned += [m for c in tok.children if c.dep_ in {"compound", "poss", "nmod"} for m in expand(index, c, ORG)]
            owners: list[Mention] = []
            if tok.dep_ == "appos" or (tok.dep_ == "attr"):
                owners = expand(index, tok.head, ORG + ("PERSON",)) or _climb_orgs(index, tok)
            for c in tok.children:
                if c.dep_ == "appos":
                    owners += expand(index, c, ORG + ("PERSON",))
            if tok.dep_ in {"compound", "nmod"}:
                owners += expand(index, tok.head, ORG + ("PERSON",))
            if lemma == "parent" and not owned:
                owned = [m for m in _sentence_subjects(sent, index) if all(m.key != o.key for o in owners)]
            share = _share(list(tok.subtree)[: tok.i - tok.left_edge.i + 1])
            for a in owners:
                for o in owned:
                    if a.key != o.key:
                        yield Candidate("owns", a, o, tok, {"share": share} if share else {}, presupposed=True)
        elif low in {"owned", "controlled"} and tok.i >= 2 and sent.doc[tok.i - 1].text == "-" and not agents(tok):
            # "Cerberus-owned Chrysler", "Geely-owned Volvo"
            owner = index.at(tok.i - 2, ORG)
            owned_by = next((m for i in range(tok.i + 1, min(tok.i + 4, sent.end)) if (m := index.at(i, ORG))), None)
            if owner is not None and owned_by is not None and owner.key != owned_by.key:
                yield Candidate("owns", owner, owned_by, tok, presupposed=True)
        elif tok.pos_ == "VERB" and lemma in {"own", "control"} and tok.tag_ == "VBN" and agents(tok):
            # "Chrysler, which is 80.1 percent owned by Cerberus"; "a supplier 22 percent-owned by Toyota"
            owners = [m for a in agents(tok) for m in expand(index, a, ORG + ("PERSON",))]
            owned, share = _owned_by(index, tok)
            for a in owners:
                for o in owned:
                    if a.key != o.key:
                        yield Candidate("owns", a, o, tok, {"share": share} if share else {})
        elif tok.pos_ == "VERB" and lemma in {"sell", "divest"}:
            # "Ford sold Jaguar to Tata in 2008": the buyer owns it from the sale, the seller until it
            sold = [m for c in tok.children if c.dep_ == "dobj" and c.lemma_.lower() not in STAKE_NOUNS
                    for m in _through_business(index, c)]
            buyers = [m for o in preps(tok, "to") for m in expand(index, o, ORG + ("PERSON",))]
            sellers = _climb_orgs(index, tok)
            for o in sold:
                for b in buyers:
                    if b.key != o.key:
                        yield Candidate("owns", b, o, tok)
                for a in sellers:
                    if a.key != o.key and all(a.key != b.key for b in buyers):
                        yield Candidate("owns", a, o, tok, presupposed=True, ends=True)
        elif tok.pos_ == "VERB" and lemma in {"own", "control", "acquire", "buy", "purchase"}:
            owners = _climb_orgs(index, tok)
            targets = [t for c in tok.children if c.dep_ == "dobj" for t in [c]]
            if tok.dep_ == "relcl" and any(t.tag_ in {"WDT", "WP"} for t in targets):
                targets = [tok.head]  # "Volvo, which Ford acquired in 1999"
                owners = [m for s in tok.children if s.dep_ == "nsubj" for m in expand(index, s, ORG + ("PERSON",))]
            owned = [m for t in targets for m in _through_business(index, t)]
            if lemma == "buy" and targets and targets[0].lower_ in {"shares", "stake"}:
                # "buy shares in X": the phrase may hang from the noun or from the verb
                owned = [m for h in (targets[0], tok) for o in preps(h, "in", "of") for m in expand(index, o, ORG)]
            for a in owners:
                for o in owned:
                    if a.key != o.key:
                        yield Candidate("owns", a, o, tok)
        elif lemma == "take" and tok.pos_ == "VERB":
            for d in tok.children:
                if d.dep_ == "dobj" and d.lower_ in {"control", "over"}:
                    owned = [m for o in preps(d, "of") for m in expand(index, o, ORG)]
                    for a in _climb_orgs(index, tok):
                        for o in owned:
                            if a.key != o.key:
                                yield Candidate("owns", a, o, tok)


PORTION_NOUNS = {"rest", "remainder", "majority", "control", "half", "all", "bulk", "most", "part", "third", "quarter"}
OPERATIONS_NOUNS = {"operation", "operations", "business", "assets", "activities"}
SHARE_NOUNS = {"share", "stock", "equity", "capital", "voting"}
SALE_NOUNS = {"sale", "disposal", "divestment", "divestiture", "sell-off", "selloff"}


def _sold(stake: Token, verb: Token | None) -> bool:
    """Whether a stake is the thing sold: the object of "sell", or "the sale of" it."""
    if stake.dep_ == "pobj" and stake.head.lower_ == "of" and stake.head.head.lemma_.lower() in SALE_NOUNS:
        return True
    return verb is not None and verb.lemma_.lower() in SELL_VERBS and stake.dep_ == "dobj" and stake.head == verb


def _owned_by(index: MentionIndex, verb: Token) -> tuple[list[Mention], str | None]:
    """What a passive "owned by" says is owned, and the share it gives: the passive subject, the
    noun the participle modifies, or the subject of "is N percent owned"."""
    share = _share([t for c in verb.children if c.dep_ == "npadvmod" for t in c.subtree])
    target = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if target is None and verb.dep_ == "acl":
        target = verb.head
        if target.lower_ in {"percent", "%"}:  # "which is 80.1 percent owned by X", "Maruti, 54.2 percent owned by X"
            share = share or _share(list(target.subtree)[: target.i - target.left_edge.i + 1])
            clause = target.head
            if target.dep_ == "appos":
                target = clause
            else:
                target = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if target is None:
        return [], share
    if target.tag_ in {"WDT", "WP"} and target.head.dep_ == "relcl":
        target = target.head.head
    if target.dep_ == "appos" and index.at(target, ORG) is None:
        target = target.head  # "Toyota Tsusho, a key supplier 22 percent-owned by Toyota"
    return expand(index, target, ORG + ("PLANT",)), share


def _through_business(index: MentionIndex, tok: Token) -> list[Mention]:
    """The company meant by "Fiat's car business, known as X" or simply named by the token."""
    for acl in tok.children:
        if acl.dep_ == "acl" and acl.lemma_ == "know":
            for o in preps(acl, "as"):
                found = expand(index, o, ORG)
                if found:
                    return found
    for c in tok.children:
        if c.dep_ == "appos":
            found = expand(index, c, ORG)
            if found:
                return found
    if tok.lemma_.lower() in PORTION_NOUNS:
        # "bought the rest of Saab", "a majority of Opel"
        found = [m for o in preps(tok, "of") for m in expand(index, o, ORG)]
        if found:
            return found
    if tok.lemma_.lower() in OPERATIONS_NOUNS:
        # "buy Chrysler's auto operations": the company whose business it is
        found = [m for c in tok.children if c.dep_ == "poss" for m in expand(index, c, ORG)]
        if found:
            return found
    return expand(index, tok, ORG)


def _sentence_subjects(sent: Span, index: MentionIndex) -> list[Mention]:
    out: list[Mention] = []
    for t in sent:
        if t.dep_ in {"nsubj", "nsubjpass"}:
            out.extend(expand(index, t, ORG))
    return out


def _parented(sent: Span, index: MentionIndex, sellers: list[Mention]) -> list[Mention]:
    """What a seller sold when the text says only "a stake": the company it is called parent of."""
    for tok in sent:
        if tok.lemma_.lower() == "parent":
            for c in tok.children:
                if c.dep_ == "poss":
                    found = expand(index, c, ORG)
                    if found:
                        return found
    return sellers


UNIT_TRIGGERS = Triggers(lower=frozenset(UNIT_NOUNS))


def units(sent: Span, index: MentionIndex) -> Iterator[Candidate]:
    """part_of: "X's German unit, Y", "the X subsidiary Y", "its Y brand", "brands that include A and B"."""
    for tok in index.words.tokens(sent, UNIT_TRIGGERS):
        if tok.lower_ not in UNIT_NOUNS or tok.pos_ not in {"NOUN", "PROPN"}:
            continue
        if index.at(tok, ORG) is not None and tok.lower_ not in {"brand", "brands"}:
            continue
        parents = [m for c in tok.children if c.dep_ == "poss" for m in expand(index, c, ORG)]
        # "the Opel unit of General Motors": with an owner after "of", the name before is the unit
        parents += [m for o in preps(tok, "of") for m in expand(index, o, ORG)]
        children: list[Mention] = []
        for c in tok.children:
            if c.dep_ in {"compound", "nmod"} and c.i < tok.i or (c.dep_ == "amod" and index.at(c, ORG)):
                ms = expand(index, c, ORG)
                if parents or tok.lower_ in {"brand", "brands", "marque", "marques"}:
                    children.extend(ms)
                else:
                    parents.extend(ms)
            elif c.dep_ == "appos":
                children.extend(_through_business(index, c))
            elif c.dep_ == "acl" and c.lemma_ == "know":
                children.extend(_through_business(index, tok))
            elif c.dep_ == "relcl" and c.lemma_ in {"include", "be"}:
                children.extend(m for d in c.children if d.dep_ in {"dobj", "attr"} for m in _np_orgs(index, d))
            elif c.dep_ == "prep" and c.lower_ in {"including", "like"}:
                children.extend(m for o in c.children for m in expand(index, o, ORG))
            elif c.dep_ == "amod" and c.lower_ == "such":
                children.extend(m for o in preps(c, "as") for m in expand(index, o, ORG))
        if tok.dep_ == "compound" and tok.i < tok.head.i:
            children.extend(expand(index, tok.head, ORG))
        if tok.dep_ == "appos" or (tok.dep_ == "attr" and tok.head.lemma_ == "be"):
            target = tok.head if tok.dep_ == "appos" else None
            if target is None:
                target = next((s for s in tok.head.children if s.dep_ == "nsubj"), None)
            if target is not None:
                children.extend(expand(index, target, ORG))
        if not parents and children:
            verb = governing_verb(tok)
            if verb is not None and verb.lemma_.lower() in {"sell", "own", "have", "include", "make", "consider", "market"}:
                parents = _climb_orgs(index, tok)
        for child in _dedupe(children):
            for parent in _dedupe(parents):
                if child.key != parent.key:
                    yield Candidate("part_of", child, parent, tok, presupposed=True)



JV_TRIGGERS = Triggers(lower=frozenset(JV_WORDS))


def joint_ventures(sent: Span, index: MentionIndex) -> Iterator[Candidate]:
    """joint_venture_of: "X, a joint venture of A and B", "A and B's joint venture X", "A-B venture X"."""
    for tok in index.words.tokens(sent, JV_TRIGGERS):
        if tok.lower_ not in JV_WORDS:
            continue
        np_head = tok.head if tok.dep_ in {"compound", "amod", "nmod"} and tok.head.pos_ == "NOUN" else tok
        ventures: list[Mention] = []
        parents: list[Mention] = []
        if np_head.dep_ == "appos":
            ventures.extend(expand(index, np_head.head, ORG))
        for c in np_head.children:
            if c.dep_ == "appos":
                ventures.extend(expand(index, c, ORG))
            if c.dep_ in {"poss", "compound", "nmod"} and c.i < tok.i:
                parents.extend(_np_orgs(index, c))
            if c.dep_ == "acl":
                parents.extend(m for a in agents(c) for m in expand(index, a, ORG))
                parents.extend(m for o in preps(c, "between", "by") for m in expand(index, o, ORG))
        if np_head != tok:
            for c in tok.children:
                if c.dep_ in {"poss", "compound", "nmod"}:
                    parents.extend(_np_orgs(index, c))
        for o in preps(np_head, "between", "of", "with", "by"):
            parents.extend(_np_orgs(index, o))
        if np_head.dep_ == "attr":
            ventures.extend(m for s in np_head.head.children if s.dep_ == "nsubj" for m in expand(index, s, ORG))
        if np_head.dep_ in {"compound", "nmod"}:
            ventures.extend(expand(index, np_head.head, ORG))
        index_venture = index.at(np_head, ORG)
        if index_venture is not None:
            ventures.append(index_venture)
        for v in _dedupe(ventures):
            for p in _dedupe(parents):
                if v.key != p.key:
                    yield Candidate("joint_venture_of", v, p, tok, presupposed=True)


def _title_text(tokens: list[Token]) -> str:
    text = " ".join(t.text for t in tokens).replace(" , ", ", ").replace(" - ", "-").strip(" ,")
    text = re.sub(r"^(?:the|a|an|its|his|her)\s+", "", text, flags=re.I)
    return text


def _is_title(tokens: list[Token]) -> bool:
    words = [t.lower_ for t in tokens]
    return bool(words) and any(w in TITLE_HEADS for w in words) and all(
        w in TITLE_WORDS or t.pos_ in {"ADJ", "NOUN", "PROPN", "DET", "CCONJ", "PUNCT"} for w, t in zip(words, tokens, strict=True)
    ) and len(tokens) <= 9


def _speaker_company(index: MentionIndex, person: Token) -> Mention | None:
    """The company whose statement a titled speaker reports: "Fiat does X, Chief Executive P said"."""
    verb = person.head
    if person.dep_ != "nsubj" or verb.lemma_ not in {"say", "tell", "add", "note", "explain"}:
        return None
    for clause in verb.children:
        if clause.dep_ == "ccomp":
            for s in subjects(clause):
                found = expand(index, s, ORG)
                if found:
                    return found[0]
    return None


GROUP_NOUNS = {"executives", "officials", "managers", "directors", "leaders", "officers", "bosses"}
TOP_TITLES = {"chief", "ceo", "chairman", "chairwoman", "executive"}
"""Titles that speak for the company in view; not a bare "President" (of a country as often as a firm)."""


def _listed_in(index: MentionIndex, doc: Doc, j: int) -> Mention | None:
    """The company of a group a person is listed in: "Acme executives, including P" (`j` is "including")."""
    if j < 2 or doc[j].lower_ not in {"including", "among"}:
        return None
    k = j - 1 if doc[j - 1].text == "," else j
    if doc[k - 1].lower_ not in GROUP_NOUNS:
        return None
    # "Acme executives", "Acme's executives", "senior General Motors (GM) executives"
    for q in range(k - 2, max(k - 7, -1), -1):
        m = index.at(q, ORG)
        if m is not None:
            return m
        if doc[q].is_punct and doc[q].text not in {"(", ")", "'s", "\u2019s"} or doc[q].pos_ == "VERB":
            return None
    return None


def _capitalised_tail(title: list[Token]) -> list[Token]:
    """The capitalised end of a title run: "Chief Executive" of "the U.S. market and Chief Executive"."""
    out: list[Token] = []
    for t in reversed(title):
        if not t.text[:1].isupper():
            break
        out.insert(0, t)
    return out


def _company_in_view(index: MentionIndex, sent: Span, person: Mention, title: list[Token]) -> Mention | None:
    """The company a capitalised top title speaks for when none is named beside it: the subject
    company of the sentence ("Fiat has committed ... and Chief Executive P said"), else of the
    sentence before ("PSA has deals with ... Chief Executive P has said")."""
    if not {t.lower_ for t in _capitalised_tail(title)} & TOP_TITLES:
        return None
    doc = sent.doc
    before = [m for m in index.mentions if m.type == "ORG" and sent.start <= m.start and m.end <= person.start]
    if not before and sent.start > 0:
        prev = doc[sent.start - 1].sent
        before = [m for m in index.mentions if m.type == "ORG" and prev.start <= m.start and m.end <= prev.end]
    subjects_ = [m for m in before if doc[m.head].dep_ in {"nsubj", "nsubjpass"}]
    return subjects_[0] if subjects_ else None


def _unnamed_or_person(index: MentionIndex, i: int) -> bool:
    """Whether token `i` is in no mention, or in a person the model took a company for ("Analyst at Lbbw")."""
    m = index.at(i)
    return m is None or m.type == "PERSON"


def _unnamed_people(sent: Span, index: MentionIndex) -> None:
    """People the model missed where the title shows them: "Taro Sato, President of Acme, said"."""
    if index.words.bare(sent):
        return  # no parts of speech, so no proper nouns
    doc = sent.doc
    pos = index.words.pos
    i = sent.start
    while i < sent.end:
        j = i
        while j < sent.end and pos[j] == "PROPN" and doc[j].text[:1].isupper() and index.at(j) is None:
            j += 1
        if 2 <= j - i <= 3 and j + 2 < sent.end and doc[j].text == "," and (i == sent.start or doc[i - 1].is_punct):
            k = j + 1
            while k < sent.end and k - j <= 6 and doc[k].lower_ in TITLE_WORDS and doc[k].lower_ not in {"of", "at"}:
                k += 1
            if k > j + 1 and k < sent.end - 1 and doc[k].lower_ in {"of", "at"} and _is_title(list(doc[j + 1 : k])):
                if index.at(k + 1 if doc[k + 1].lower_ != "the" else k + 2, ORG) is not None:
                    index.add(Mention(i, j, "PERSON", doc[i:j].text, head=j - 1))
        i = max(j, i + 1)


ROLE_VERBS = {"run", "head", "lead", "become", "chair", "join"}
ROLE_VERB_TRIGGERS = Triggers(lemma=frozenset(ROLE_VERBS))


def roles(sent: Span, index: MentionIndex) -> Iterator[Candidate]:
    """role_at: people with their titles at companies, in the orders news writes them."""
    doc = sent.doc
    _unnamed_people(sent, index)
    people = index.starting_in(sent.start, sent.end, "PERSON")
    for p in people:
        trigger = doc[p.head]
        # "Fiat Chief Executive Sergio Marchionne", "BMW's sales and marketing head, Michael Ganal"
        j = p.start - 1
        if j >= sent.start and doc[j].text == ",":
            j -= 1
        title: list[Token] = []
        while j >= sent.start and index.at(j, ORG) is None and doc[j].text not in {"'s", "\u2019s"} and len(title) < 9:
            if doc[j].lower_ not in TITLE_WORDS and not (doc[j].pos_ in {"ADJ", "NOUN", "PROPN"} and index.at(j) is None):
                break
            if doc[j].text == "," and (j - 1 < sent.start or doc[j - 1].lower_ not in TITLE_WORDS):
                break  # "... the rest of Chrysler, Chief Executive X said": the title is not Chrysler's
            title.insert(0, doc[j])
            j -= 1
        if j >= sent.start and doc[j].text == "," and title and _is_title(title):
            org = _speaker_company(index, trigger)
            if org is not None:
                yield Candidate("role_at", p, org, trigger, {"title": _title_text(title)}, presupposed=True)
                continue
        if j >= sent.start and doc[j].text in {"'s", "\u2019s"}:
            j -= 1
        org = index.at(j, ORG) if j >= sent.start else None
        if org is not None and title and _is_title(title) and not _is_title([doc[org.start - 1]] if org.start > 0 else []):
            if any(t.lower_ not in TITLE_WORDS for t in title) and _is_title(_capitalised_tail(title)):
                title = _capitalised_tail(title)  # "its range of trucks and Chief Executive P"
            yield Candidate("role_at", p, org, trigger, {"title": _title_text(title)}, presupposed=True)
            continue
        if org is None and title and _is_title(title):
            # "Acme executives, including finance chief P"; "Chief Executive P said" about the company in view
            listed = _listed_in(index, doc, j)
            org = listed or _company_in_view(index, sent, p, title)
            if org is not None:
                said = _title_text(title if listed else _capitalised_tail(title))
                yield Candidate("role_at", p, org, trigger, {"title": said}, presupposed=True)
                continue
        # "Osamu Masuko, President of Mitsubishi", "Qin Xuwen, an analyst with Orient Securities", "Dan Akerson, GM's CEO"
        k = p.end
        if k < sent.end and doc[k].text == ",":
            k += 1
            title = []
            while k < sent.end and len(title) < 12:
                m = index.at(k, ORG)
                if m is not None or (title and title[-1].lower_ in {"at", "with", "of", "for"} and doc[k].pos_ == "PROPN"):
                    break
                title.append(doc[k])
                k += 1
            org = index.at(k, ORG) if k < sent.end else None
            if org is None and k < sent.end and title and title[-1].lower_ in {"at", "with", "of", "for"} and doc[k].pos_ == "PROPN":
                end = k
                while end < sent.end and doc[end].pos_ == "PROPN" and _unnamed_or_person(index, end):
                    end += 1
                if end > k and _is_title(title[:-1]):  # "Jane Doe, analyst at Acme Securities": a company the model missed
                    for wrong in _dedupe([m for i in range(k, end) if (m := index.at(i)) is not None]):
                        index.remove(wrong)
                    org = Mention(k, end, "ORG", doc[k:end].text, head=end - 1)
                    index.add(org)
            if org is not None and title:
                tail = title[-1].lower_
                if tail in {"of", "at", "for", "with", "in"}:
                    title = title[:-1]
                    if _is_title(title):
                        yield Candidate("role_at", p, org, trigger, {"title": _title_text(title)}, presupposed=True)
                        continue
                elif not title or tail in {"the", "a", "an"}:
                    pass
            if org is not None and title == [] and org.end + 1 < sent.end and doc[org.end].text in {"'s", "\u2019s"}:
                after: list[Token] = []
                q = org.end + 1
                while q < sent.end and doc[q].lower_ in TITLE_WORDS and doc[q].text != "," and len(after) < 6:
                    after.append(doc[q])
                    q += 1
                if _is_title(after):
                    yield Candidate("role_at", p, org, trigger, {"title": _title_text(after)}, presupposed=True)
                    continue
        # "President and CEO of the Renault-Nissan Alliance, Carlos Ghosn"
        if p.start >= 2 and doc[p.start - 1].text == ",":
            org = index.at(p.start - 2, ORG)
            if org is not None:
                q = org.start - 1
                if q >= sent.start and doc[q].lower_ == "the":
                    q -= 1
                if q >= sent.start and doc[q].lower_ in {"of", "at", "for"}:
                    title = []
                    q -= 1
                    while q >= sent.start and doc[q].lower_ in TITLE_WORDS and len(title) < 8:
                        title.insert(0, doc[q])
                        q -= 1
                    if _is_title(title):
                        yield Candidate("role_at", p, org, trigger, {"title": _title_text(title)}, presupposed=True)
                        continue
    # "Sergio Marchionne, who runs both Fiat and Chrysler"; "he would become chief executive of Chrysler"
    for verb in (t for t in index.words.tokens(sent, ROLE_VERB_TRIGGERS) if t.lemma_ in ROLE_VERBS):
        for subj in subjects(verb):
            p = index.at(subj, ["PERSON"])
            if p is None:
                continue
            targets = [o for o in verb.children if o.dep_ in {"dobj", "attr"}]
            for o in targets:
                if verb.lemma_ == "become" and o.lower_ not in TITLE_WORDS:
                    continue
                orgs = _np_orgs(index, o) if verb.lemma_ != "become" else [m for x in preps(o, "of", "at") for m in expand(index, x, ORG)]
                title = "head" if verb.lemma_ != "become" else _title_text([t for t in o.subtree if t.i <= o.i])
                for org in orgs:
                    yield Candidate("role_at", p, org, verb, {"title": title})

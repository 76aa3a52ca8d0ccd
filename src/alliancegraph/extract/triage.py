"""Triage: find the sentences of an article worth a full parse, and parse only those.

A fact needs names (companies, people, vehicles, plants) and a word that states a relation between
them ("stake", "venture", "partner", "build", "plant", "supplies", "chief"). Most sentences of car
news have neither pair: results, sales figures, quotes about the market. The cheap pass runs the
tokenizer and the knowledge entity ruler (a phrase matcher) over the whole article, cuts it into
sentences at final punctuation and line breaks, and keeps a sentence when its surface cues could
feed a relation rule (`worth_parsing`). Only runs of kept sentences go through the statistical
components (tok2vec, tagger, parser, attribute ruler, lemmatizer, NER), each run as its own small
Doc; their annotations are then copied back into the article's Doc.

The result is one Doc over the whole article text, so character offsets stay article offsets. In
sentences that were not parsed, tokens keep the ruler's entities and no tag, lemma or arc, and each
such sentence is one `doc.sents` span. Mentions and coreference therefore still see every
company the knowledge file names anywhere in the article; what they lose outside the kept
sentences is the statistical NER and the parse.

The cue vocabulary follows the trigger words of the relation rules (rules_corporate.py,
rules_products.py, mentions.py); tests/test_extract_triage.py fails when a rule gains a trigger
word this list lacks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy
from spacy.attrs import (
    DEP,
    ENT_ID,
    ENT_IOB,
    ENT_KB_ID,
    ENT_TYPE,
    HEAD,
    LEMMA,
    MORPH,
    ORTH,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.language import Language
from spacy.tokens import Doc

from alliancegraph.extract.nlp import RULE_PIPES, ints, one_blas_thread, rule_memo
from alliancegraph.extract.places import load_places

T = TypeVar("T")
Context = TypeVar("Context")

RULER = "entity_ruler"
"""The pipe that the cheap pass runs on the whole article (and the parse pass skips)."""

COPIED = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID]
"""The annotations a parsed excerpt gives back to its article."""

SENTENCE_END = frozenset({".", "!", "?", "...", "\u2026"})
CLOSING = frozenset({'"', "'", "\u201d", "\u2019", ")", "]", "''"})
OPENING = frozenset({'"', "'", "\u201c", "\u2018", "(", "[", "``"})


def _words(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list."""
    return frozenset(text.split())


def _verb_forms(lemma: str) -> set[str]:
    """Regular inflections of an English verb (over-generation only makes triage keep more)."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing", lemma + "d"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


IRREGULAR = {
    "build": "built", "make": "made", "buy": "bought", "sell": "sold", "take": "took taken", "hold": "held",
    "have": "had has", "get": "got gotten", "keep": "kept", "go": "went gone goes", "hit": "hits hitting",
    "set": "sets setting", "lead": "led", "run": "ran", "become": "became", "bring": "brought",
    "tie": "tying",
    "underpin": "underpinned underpinning", "ship": "shipped shipping", "team": "teamed",
}  # fmt: skip


def _forms(lemmas: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for lemma in lemmas:
        out |= _verb_forms(lemma)
        out |= _words(IRREGULAR.get(lemma, ""))
    return frozenset(out)


Condition = tuple[str, frozenset[str]]
"""When a cue word counts: ("always", _), ("next", words): the next word is one of them, ("with",
words): one of them is in the sentence, ("anchored", _): a name or possessive near it or a
preposition, comma or relative word right after it ("Fiat's unit", "a unit of Fiat", "the Daimler
subsidiary", "parent GM"), ("object", _): a name or a reference within the next words, "by" after
it, or a relative pronoun before it ("bought Chrysler", "buy the company", "owned by", "Ford-owned",
"which it acquired"), ("held", _): "in" and a name next, with a possessive or a verb of holding or
selling near ("sold its shares in Ford", "shares in Ford held by"), ("supplied", _): "to" or "for" and
a name later, and no money right after the verb ("supply brakes to Ford", not "provide financing to
Ford"). "anchored" and "owned" never count after a figure ("900,000 units")."""

ALWAYS: Condition = ("always", frozenset())
ANCHORED: Condition = ("anchored", frozenset())
OBJECT: Condition = ("object", frozenset())
OWNED: Condition = ("owned", frozenset())
HELD: Condition = ("held", frozenset())
SUPPLIED: Condition = ("supplied", frozenset())
PERCENT: Condition = ("percent", frozenset())
PLACED: Condition = ("placed", frozenset())


def _next(*words: str) -> Condition:
    return ("next", frozenset(words))


def _then(*words: str) -> Condition:
    """One of `words` next, then a name or a reference ("a stake in Mazda", "44 percent of Nissan")."""
    return ("then", frozenset(words))


def _later(*words: str) -> Condition:
    """One of `words` later in the sentence with a name right after it ("sell cars in Japan")."""
    return ("later", frozenset(words))


def _with(*words: str) -> Condition:
    return ("with", frozenset(words))


def _table(*entries: tuple[Iterable[str], Condition]) -> dict[str, Condition]:
    out: dict[str, Condition] = {}
    for words, condition in entries:
        out.update(dict.fromkeys(words, condition))
    return out


# fmt: off
# Companies among themselves: partner_of, owns, part_of, joint_venture_of, supplies between companies.
CORPORATE = _table(
    (_words("""alliance alliances partnership partnerships tieup tieups cooperation co-operation collaboration
        collaborations pact pacts partner partners partnered partnering ally allies allied allying linkup
        linkups link links relationship relationships cooperate cooperates cooperated cooperating co-operate
        co-operates co-operated co-operating collaborate collaborates collaborated collaborating stake stakes
        shareholding shareholdings venture ventures jv jvs"""), ALWAYS),
    (_forms(["tie"]) | {"ties"}, ALWAYS),
    (_words("share shares interest interests equity"), HELD),
    (_words("percent pct % cent"), PERCENT),
    (_words("""owner owners shareholder stakeholder parent parents unit subsidiary subsidiaries division
        divisions arm brand brands affiliate marque marques label operation"""), ANCHORED),
    # words that are mostly about sales, markets or people ("sold 50,000 units", "investors fled")
    (_words("investor investors shareholders stakeholders holding holdings units business operations"),
     OWNED),
    (_forms(_words("own control acquire buy purchase")) | {"bought"}, OBJECT),
    (_forms(_words("sell divest")) | {"sold"}, _later("to")),  # "Ford sold Jaguar to Tata"
    (_forms(["take"]) | {"took", "taken"}, _with("control", "over")),
    (_forms(["join"]), _with("forces")),
    (_forms(["team"]), _with("up")),
    (_forms(["work"]), _with("together", "jointly")),
    (_forms(["negotiate"]), _with("with")),
    (_words("project projects"), _with("joint", "common")),
    (_words("talks negotiations"),  # talks count when they are about working together
     _with("cooperation", "co-operation", "partnership", "alliance", "alliances", "tie", "tie-up",
           "cooperate", "collaborate", "partner", "joint", "jointly")),
    (_forms(_words("supply provide deliver furnish")), SUPPLIED),
    (["source", "sourced", "sourcing"], _with("from")),
)

# Vehicles, platforms and plants: develops, manufactures, produced_at, operates, located_in, based_on,
# supplies, market, launch. Each needs a vehicle, platform, component or plant in the sentence too.
PRODUCT = _table(
    (_forms(_words("""build make produce assemble manufacture construct develop design engineer co-develop
        codevelop create launch introduce debut release"""))
     | {"built", "made", "co-developed", "co-developing"},
     ALWAYS),
    (_forms(["roll"]), _with("out")),
    (_forms(_words("sell market export offer distribute destine ship target")) | {"sold"},
     _later("in", "to", "for", "into")),
    (_words("customers buyers market markets consumers drivers"), PLACED),
    (_words("production manufacturing assembly"),
     _with("at", "plant", "plants", "factory", "factories", "facility", "facilities", "site")),
    (_words("maker makers manufacturer manufacturers producer producers builder"), _next("of")),
    (_words("products product models"), _next(",")),
    (["based"], _next("on")),
    (_forms(_words("share borrow use underpin")),
     _with("architecture", "architectures", "platform", "platforms", "component", "components",
           "underpinning", "underpinnings", "technology", "part", "parts", "chassis")),
    (["sale"], _with("on")),
    (_forms(["hit"]), _with("market", "markets", "showrooms", "dealerships", "roads")),
    (_forms(["arrive"]), _with("showrooms", "dealers")),
    (_forms(_words("supply provide deliver furnish")) | {"source", "sourced", "sourcing"}, ALWAYS),
)
# fmt: on

TITLE_HEADS = _words(
    """chief executive ceo president chairman chairwoman head director officer cfo coo cto manager analyst
    strategist spokesman spokeswoman spokesperson founder boss member economist secretary minister treasurer
    chair co-president vice leader executives engineer designer partner trader governor commissioner heads
    headed"""
)
"""People at companies (role_at): a title needs one of these head words."""
TOP_TITLES = frozenset({"Chief", "CEO", "President", "Chairman", "Chairwoman", "Executive"})
"""Capitalised titles whose company may be the one in view in the sentence before."""

VEHICLE_WORDS = _words(
    """car cars vehicle vehicles pickup pickups truck trucks suv suvs crossover crossovers minivan minivans
    van vans sedan sedans saloon saloons hatchback hatchbacks coupe coupes convertible roadster wagon wagons
    model models subcompact subcompacts minicar minicars ev evs hybrid hybrids limousine bus buses platform
    platforms architecture architectures engine engines motor motors battery batteries transmission
    transmissions gearbox gearboxes component components part parts powertrain powertrains cells cell axle
    axles seats tires tyres chassis electronics system systems module modules diesel diesels"""
)
PLANT_WORDS = _words("plant plants factory factories facility facilities works site sites")
REFERRING = _words(
    """it its they their them he she his her company companies group groups firm firms carmaker carmakers
    automaker automakers maker makers manufacturer manufacturers truckmaker giant concern partner partners
    venture brand two both sides"""
)
OWN_VERB_FORMS = _forms(
    _words(
        """own control acquire buy purchase hold take have raise increase want eye seek build get keep retain
        consider lift boost exercise"""
    )
) | {"held", "had", "has", "took", "taken", "got", "kept", "bought", "built"}
HOLD_VERB_FORMS = OWN_VERB_FORMS | _forms(_words("sell divest cut reduce")) | {"sold"}
"""Verbs before "shares in" that make them someone's holding ("bought shares in", "sold its shares in")."""
OWNED_NEXT = _words("including includes include such known which that")
"""Words after a business noun that go on to name its parts ("its units, including", "which includes")."""
NOT_SUPPLIED = _words(
    """financing finance funds funding loans loan capital aid cash money credit liquidity support details
    information guidance comfort evidence assistance relief incentives subsidies guarantees"""
)
"""What companies provide each other that is no supply of parts or vehicles."""
FIGURE_WORDS = _words("million billion thousand mln bln")
SKIPPED = _words("a an the more some its their additional further new extra up")
"""Words between a supply verb and what it supplies ("provide the extra funds")."""
ANCHOR_NOUNS = _words("company group firm brand unit companies")
OBJECT_WORDS = _words("by it its them their company carmaker automaker maker firm group")
DESCRIBED = _words("car truck pickup suv van minivan sedan hatchback crossover model vehicle plant factory")
"""Nouns that, after "the", may name a vehicle or plant of an earlier sentence ("the new vehicle")."""
PLURAL_REFERRING = _words(
    "they their them companies carmakers automakers makers manufacturers partners firms groups two both sides"
)
POSSESSIVE = frozenset({"'s", "\u2019s", "its", "their", "his", "her"})
AFTER_ANCHOR = frozenset(
    {"of", "in", "to", "for", ",", "that", "which", "such", "including", "like", "known"}
)
NOT_NAMES = _words(
    """The A An But And In On At For With By As It Its This That These Those He She They We I If When While
    After Before Since Although Though However Also Still Yet So Meanwhile Earlier Later Last Next Monday
    Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Reuters"""
)
"""Capitalised words that name no company, person or place (sentence openers, days, months)."""
NAME_LABELS = {"ORG", "VEHICLE", "PLATFORM", "FAC"}
MODEL_WORD = re.compile(
    r"^(?:[A-Z][A-Za-z0-9]*|[a-z]+[A-Z][A-Za-z0-9]*|\d+[A-Za-z0-9]*|[A-Z]+-?\d+[A-Za-z]*)$"
)


@dataclass(frozen=True, slots=True)
class Cues:
    """What the cheap pass sees in one sentence."""

    known: int  # entities of the knowledge file
    unknown: int  # runs of capitalised words outside them that are no known place: people, other companies
    places: int  # countries, regions, states and their adjectives ("Japan", "German")
    referring: bool  # a pronoun or descriptor that coreference may turn into a company or a person
    plural: bool  # a reference to two companies at once ("they", "the two", "the partners")
    leading: bool  # a reference before any name: its antecedent is in an earlier sentence
    corporate: bool  # a word of partnership, ownership, units, ventures or supply, where it can bind names
    title: bool  # a title head ("chief", "analyst", "spokesman") beside a name outside the knowledge file
    top_title: (
        bool  # a capitalised top title ("Chief Executive"), whose company may be in the sentence before
    )
    product: bool  # a word of building, developing, selling, launching or sharing parts
    vehicle: bool  # a vehicle, platform or component word, a knowledge vehicle, or a brand and a model name
    plant: bool  # a knowledge plant, or a plant word with a name before it or "in"/"at" after it

    @property
    def names(self) -> int:
        return self.known + self.unknown + self.places


_LEXEMES: dict[int, tuple[str, str, bool, bool]] = {}
"""(text, lowercase, is whitespace, is a word of a name) of each word form seen, by its string id."""
_LEXEME_LIMIT = 200_000


def _lexeme(doc: Doc, orth: int) -> tuple[str, str, bool, bool]:
    lexeme = doc.vocab[orth]
    found = _LEXEMES[orth] = (lexeme.orth_, lexeme.lower_, lexeme.is_space, _is_name_word(lexeme.orth_))
    return found


@dataclass(frozen=True, slots=True)
class Surface:
    """What the cheap pass reads of each token of a doc, as plain lists indexed like the doc.

    Triage reads every token several times (sentence ends, names, cue words and their neighbours);
    reading these lists costs a fraction of reading `Token` objects, which spaCy creates afresh at
    each ``doc[i]``.
    """

    text: list[str]
    lower: list[str]
    space: list[bool]  # a whitespace token (a line break, extra spaces)
    spaced: list[bool]  # followed by a space
    label: list[str]  # the knowledge ruler's entity label, or ""
    begins: list[bool]  # the first token of an entity of the ruler
    inside: list[bool]  # a token that goes on an entity begun before it
    name: list[bool]  # a word of a name: a knowledge entity or `_is_name_word`

    @classmethod
    def of(cls, doc: Doc) -> Surface:
        orths, spaced, iobs, ents = doc.to_array([ORTH, SPACY, ENT_IOB, ENT_TYPE]).T.tolist() or (
            [],
            [],
            [],
            [],
        )
        if len(_LEXEMES) > _LEXEME_LIMIT:
            _LEXEMES.clear()
        lexes = [_LEXEMES.get(orth) or _lexeme(doc, orth) for orth in orths]
        strings = doc.vocab.strings
        names = {ent: strings[ent] for ent in set(ents)}
        names[0] = ""
        label = [names[ent] for ent in ents]
        return cls(
            text=[lex[0] for lex in lexes],
            lower=[lex[1] for lex in lexes],
            space=[lex[2] for lex in lexes],
            spaced=[bool(after) for after in spaced],
            label=label,
            begins=[iob == 3 for iob in iobs],
            inside=[iob == 1 for iob in iobs],
            name=[tag in NAME_LABELS or lex[3] for tag, lex in zip(label, lexes, strict=True)],
        )

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens ``start:end``, as `Span.text` gives it."""
        if end - start == 1:
            return self.text[start]
        words = zip(self.text[start : end - 1], self.spaced[start : end - 1], strict=True)
        return "".join(t + " " if gap else t for t, gap in words) + self.text[end - 1]


def sentences(doc: Doc | Surface) -> list[tuple[int, int]]:
    """Token ranges of the sentences of a tokenized doc.

    A sentence ends at a line break, or at final punctuation (with the quotes or brackets written
    right after it) that is followed by a capitalised word, an opening quote or the end of the
    text: "No. 3" and "the U.S. market" go on. Abbreviations the tokenizer keeps whole ("Co.")
    never end a sentence here, so a range may hold two sentences; the parser splits those.
    """
    s = doc if isinstance(doc, Surface) else Surface.of(doc)
    text, space, spaced = s.text, s.space, s.spaced
    out: list[tuple[int, int]] = []
    start, n, i = 0, len(text), 0
    while i < n:
        if space[i] and "\n" in text[i]:
            if i > start:
                out.append((start, i))
            start = i
            while i + 1 < n and space[i + 1]:
                i += 1
            i += 1
            out.append((start, i))
            start = i
            continue
        if text[i] in SENTENCE_END:
            j = i + 1
            while j < n and not spaced[j - 1] and (text[j] in CLOSING or text[j] in SENTENCE_END):
                j += 1
            gap = spaced[j - 1] or j >= n or space[j]
            if gap and (j >= n or space[j] or text[j][:1].isupper() or text[j] in OPENING):
                while j < n and space[j] and "\n" not in text[j]:
                    j += 1  # extra spaces between sentences end the sentence before them
                out.append((start, j))
                start = i = j
                continue
            i = j
            continue
        i += 1
    if start < n:
        out.append((start, n))
    return out


def _definite(s: Surface, i: int, start: int) -> bool:
    """Whether "the", "this" or "that" opens the phrase of token `i` ("the new vehicle")."""
    return any(s.lower[k] in {"the", "this", "that"} for k in range(max(start, i - 3), i))


def _is_place(text: str) -> bool:
    places = load_places()
    return text in places.demonyms or places.is_area(text)


def _is_name_word(text: str) -> bool:
    """Whether a word can be part of a name the ruler does not know: a capitalised word that is no
    opener, day, month or title."""
    return (
        text[:1].isupper()
        and text not in NOT_NAMES
        and text.lower() not in TITLE_HEADS
        and any(c.isalpha() for c in text)
    )


def _holds(condition: Condition, s: Surface, i: int, start: int, end: int, words: set[str]) -> bool:
    kind, wanted = condition
    lower, names = s.lower, s.name
    if kind == "always":
        return True
    if kind == "next":
        return i + 1 < end and lower[i + 1] in wanted
    if kind == "with":
        return bool(wanted & words)
    if kind == "then":
        if i + 1 >= end or lower[i + 1] not in wanted:
            return False
        return any(names[k] or lower[k] in OBJECT_WORDS for k in range(i + 2, min(end, i + 6)))
    if kind == "later":
        return any(
            lower[k] in wanted and any(names[m] for m in range(k + 1, min(end, k + 4)))
            for k in range(i + 1, end)
        )
    if kind == "placed":  # "the U.S. market", "Chinese buyers", "markets in Asia"
        if any(names[k] for k in range(max(start, i - 2), i)):
            return True
        return i + 2 < end and lower[i + 1] == "in" and any(names[k] for k in range(i + 2, min(end, i + 4)))
    if kind in {"owned", "anchored"} and _counted(s, i, start):
        return False  # "900,000 units", "two million shares": quantities, not holdings
    if kind == "held":  # "sold his shares in Ford", "shares in Ford held by", not "Shares in GM fell"
        return _holds(("then", frozenset({"in"})), s, i, start, end, words) and any(
            lower[k] in POSSESSIVE or lower[k] in HOLD_VERB_FORMS
            for k in range(max(start, i - 8), min(end, i + 8))
        )
    if kind == "owned":  # "its Volvo operations", "the operations of Volvo", "its units, including"
        after = i + 2 if i + 2 < end and s.text[i + 1] == "," else i + 1
        if after < end and (names[after] or lower[after] in OWNED_NEXT):
            return True
        if i + 1 < end and lower[i + 1] in {"of", "in"}:
            return True
        before = range(i - 1, max(start, i - 4) - 1, -1)
        owner = next((k for k in before if lower[k] in POSSESSIVE), None)
        if owner is None:
            return False
        return any(names[k] and not _is_place(s.text[k]) for k in range(owner + 1, i))
    if kind == "supplied":  # "supply brakes to Ford", not "provide financing to Ford"
        obj = next((lower[k] for k in range(i + 1, min(end, i + 4)) if lower[k] not in SKIPPED), "")
        if obj in NOT_SUPPLIED:
            return False
        return _holds(("later", frozenset({"to", "for"})), s, i, start, end, words)
    if kind == "percent":  # "holds 44 percent of Nissan", "owns 20 percent of it"
        verb = any(lower[k] in OWN_VERB_FORMS for k in range(max(start, i - 6), i))
        return verb and _holds(("then", frozenset({"of"})), s, i, start, end, words)
    if kind == "anchored":
        if any(names[k] or lower[k] in POSSESSIVE for k in range(max(start, i - 3), i)):
            return True
        after = i + 2 if i + 2 < end and lower[i + 1] in ANCHOR_NOUNS else i + 1
        return after < end and (names[after] or lower[after] in AFTER_ANCHOR)
    # "object": a name or a reference among the next words, a passive "by", "Ford-owned", or the
    # relative pronoun of "Jaguar, which Tata acquired"
    if i - 2 >= start and s.text[i - 1] == "-" and names[i - 2]:
        return True
    if any(lower[k] in {"which", "that", "whom"} for k in range(max(start, i - 3), i)):
        return True
    return any(names[k] or lower[k] in OBJECT_WORDS for k in range(i + 1, min(end, i + 7)))


def _counted(s: Surface, i: int, start: int) -> bool:
    """Whether the word at `i` is counted by a figure before it ("942,300 units", "5 million shares")."""
    if i == start:
        return False
    return any(c.isdigit() for c in s.text[i - 1]) or s.lower[i - 1] in FIGURE_WORDS


def _named_plant(s: Surface, i: int, start: int, end: int) -> bool:
    """Whether the plant word at `i` has a name a plant can be called by: a town or a name right
    before it ("its Cleon plant", "the Canton, Mississippi, plant") or after "in" or "at" ("a plant in
    Chennai"). A country, state or region alone names no plant ("its plants in Kentucky"), nor does
    a plant word alone ("closing plants", "U.S. factory workers")."""
    names = s.name
    k = i - 1
    while k >= start and (names[k] or s.text[k] == ","):
        if names[k] and not _is_place(s.text[k]):
            return True
        k -= 1
    if i + 2 < end and s.lower[i + 1] in {"in", "at"}:
        run = []
        for k in range(i + 2, min(end, i + 6)):
            if not names[k]:
                break
            run.append(s.text[k])
        return bool(run) and not _is_place(" ".join(run)) and not _is_place(run[0])
    return False


def cues(doc: Doc | Surface, start: int, end: int) -> Cues:
    """The surface cues of tokens ``start:end``; needs only the tokenizer and the ruler's entities."""
    s = doc if isinstance(doc, Surface) else Surface.of(doc)
    text, lower, label, names = s.text, s.lower, s.label, s.name
    words = set(lower[start:end])
    person = [False] * (end - start)  # words of names outside the knowledge file that are no place
    known = unknown = places = 0
    i = start
    while i < end:
        if not names[i] or label[i] in NAME_LABELS:
            i += 1
            continue
        j = i
        while j < end and names[j] and label[j] not in NAME_LABELS:
            j += 1
        if _is_place(s.span_text(i, j)):
            places += 1
        else:
            unknown += 1
            person[i - start : j - start] = [True] * (j - i)
        i = j
    vehicle = plant = top_title = corporate = product = False
    leading = named = title = False
    for i in range(start, end):
        tag = label[i]
        if tag in NAME_LABELS:
            named = True
            if s.begins[i]:
                known += 1
                vehicle = vehicle or tag in {"VEHICLE", "PLATFORM"}
                plant = plant or tag == "FAC"
            if tag == "ORG" and i + 1 < end and not s.inside[i + 1] and MODEL_WORD.match(text[i + 1]):
                vehicle = vehicle or text[i + 1] not in NOT_NAMES  # a brand and a model: "Nissan NP300"
            continue  # the words of a name are no cue ("Ford Motor Co", "Renault-Nissan Alliance")
        low = lower[i]
        leading = leading or (
            not named and (low in REFERRING or (low in DESCRIBED and _definite(s, i, start)))
        )
        named = named or names[i]
        top_title = top_title or text[i] in TOP_TITLES
        if low in TITLE_HEADS and not title:
            # a title with a person beside it: "analyst Jane Roe", "Jane Roe, an analyst at", "Roe, GM's CEO"
            title = any(person[k - start] for k in range(max(start, i - 9), min(end, i + 10)))
        vehicle = vehicle or low in VEHICLE_WORDS
        if low in PLANT_WORDS and not plant:
            plant = _named_plant(s, i, start, end)
        if low in CORPORATE and not corporate:
            corporate = _holds(CORPORATE[low], s, i, start, end, words)
        if low in PRODUCT and not product:
            product = _holds(PRODUCT[low], s, i, start, end, words)
    return Cues(
        known=known,
        unknown=unknown,
        places=places,
        referring=bool(words & REFERRING),
        plural=bool(words & PLURAL_REFERRING),
        leading=leading,
        corporate=corporate,
        title=title,
        top_title=top_title,
        product=product,
        vehicle=vehicle,
        plant=plant,
    )


def worth_parsing(c: Cues) -> bool:
    """Whether a sentence with these cues could state a fact the relation rules read.

    Companies need two parties (names or references) and a corporate word; a role needs a title
    and a name outside the knowledge file (the person) with a company or a top title; vehicles
    need a product word and a name; a plant needs a name (its owner, town or country).
    """
    references = 2 if c.plural else 1 if c.referring else 0
    parties = c.known + c.unknown + references  # who can own, partner or employ: no country does
    if c.corporate and parties >= 2:
        return True
    if c.title and (parties >= 2 or c.top_title):
        return True
    parties += c.places
    if c.vehicle and c.product and parties >= 1:
        return True
    return c.plant and parties >= 1


def select(doc: Doc | Surface) -> list[tuple[int, int]]:
    """Token ranges of the runs of consecutive sentences worth parsing.

    A sentence with a capitalised top title brings the sentence before it: "Chief Executive P said"
    may speak for the company that sentence is about. Line breaks between kept sentences are kept
    too, so the parser sees the paragraph break it would see in the whole article.
    """
    s = doc if isinstance(doc, Surface) else Surface.of(doc)
    return _select(s, sentences(s))


def _select(s: Surface, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    keep = [False] * len(spans)
    last_text = -1  # the sentence before, skipping line breaks
    for k, (start, end) in enumerate(spans):
        if s.space[start]:
            continue
        c = cues(s, start, end)
        if worth_parsing(c):
            keep[k] = True
            if (c.top_title or c.leading) and last_text >= 0:
                keep[last_text] = True
        last_text = k
    runs: list[tuple[int, int]] = []
    for k, (start, end) in enumerate(spans):
        if not keep[k]:
            continue
        if runs and all(s.space[runs[-1][1] : start]):
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


Window = tuple[int, int, int, int]
"""(context start, run start, run end, context end): a run of kept sentences and the tokens around
it parsed for context, as one excerpt ``doc[context start:context end]``."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What triage makes of one doc: the windows to parse, each as an excerpt Doc for the model, and
    where the doc's sentences start (`assemble` makes each unparsed one a sentence)."""

    windows: list[Window]
    excerpts: list[Doc]
    starts: list[int]


def plan(doc: Doc) -> Plan:
    """The windows of `doc` worth parsing and their excerpts, ready for the model."""
    s = Surface.of(doc)
    spans = sentences(s)
    windows = _windows(s, _select(s, spans))
    return Plan(windows, _excerpts(doc, s, windows), [a for a, _ in spans])


def parse(
    nlp: Language, items: Iterable[tuple[str, Context]], batch_size: int = 32, triage: bool = True
) -> Iterator[tuple[Doc, Context]]:
    """(doc, context) for each (text, context), in order: each doc fully parsed (triage off) or
    parsed in the sentences `select` keeps (triage on)."""
    if not triage:
        for chunk in _chunks(items, batch_size):
            with one_blas_thread():
                done = list(nlp.pipe(chunk, as_tuples=True, batch_size=batch_size))
            yield from done
        return
    ruler = nlp.get_pipe(RULER) if RULER in nlp.pipe_names else None
    for chunk in _chunks(items, batch_size):
        docs = [nlp.make_doc(text) for text, _ in chunk]
        if ruler is not None:
            docs = [ruler(doc) for doc in docs]
        plans = [plan(doc) for doc in docs]
        excerpts = [sub for p in plans for sub in p.excerpts]
        with one_blas_thread():
            parsed = iter(
                list(
                    rule_memo(nlp).pipe(
                        nlp.pipe(excerpts, batch_size=batch_size, disable=[RULER, *RULE_PIPES])
                    )
                )
            )
        for doc, p, (_, context) in zip(docs, plans, chunk, strict=True):
            yield assemble(doc, p, [next(parsed) for _ in p.windows]), context


CONTEXT = 4
"""Tokens parsed on each side of a run for context only. The model's token vectors read four
words on each side (four window-1 convolution layers), so with four words of context the words
of a run get the vectors they would get in the whole article."""
SHORT = 12
"""A sentence before a run of at most this many tokens is parsed whole as its context: the parser
carries what it built for the sentence before into the next one, and a heading cut in the middle
is read differently from the whole heading."""

ENTITY_ATTRS = [ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID]


def _windows(s: Surface, runs: Sequence[tuple[int, int]]) -> list[Window]:
    """The window of each run; context never overlaps a run."""
    out = []
    n = len(s.text)
    for k, (a, b) in enumerate(runs):
        floor = runs[k - 1][1] if k else 0
        left = max(floor, a - CONTEXT)
        before = a
        while before > floor and s.space[before - 1]:
            before -= 1
        start = before
        while start > floor and a - start <= SHORT and not _ends_sentence(s, start - 1):
            start -= 1
        if a - start <= SHORT and (start == floor or _ends_sentence(s, start - 1)):
            left = min(left, start)  # the whole short sentence (a heading, a quote) before the run
        right = min(n, b + CONTEXT, runs[k + 1][0] if k + 1 < len(runs) else n)
        out.append((left, a, b, right))
    return out


def _ends_sentence(s: Surface, i: int) -> bool:
    text = s.text[i]
    return s.space[i] and "\n" in text or text in SENTENCE_END or text in CLOSING


def _excerpts(doc: Doc, s: Surface, windows: Sequence[Window]) -> list[Doc]:
    """Each window as its own Doc with the ruler's entities (an entity the window cuts is left
    unannotated, as `Span.as_doc` does), and sentence boundaries fixed at the run's ends."""
    if not windows:
        return []
    ents = doc.to_array(ENTITY_ATTRS)
    out = []
    for left, a, b, right in windows:
        sub = Doc(doc.vocab, words=s.text[left:right], spaces=s.spaced[left:right])
        part = ents[left:right].copy()
        i = 0
        while i < len(part) and part[i, 0] == 1:  # the tail of an entity begun before the window
            part[i] = 0
            i += 1
        if right < len(doc) and ents[right, 0] == 1:  # an entity that goes on after the window
            j = len(part) - 1
            while j >= 0 and part[j, 0] == 1:
                part[j] = 0
                j -= 1
            if j >= 0 and part[j, 0] == 3:
                part[j] = 0
        sub.from_array(ENTITY_ATTRS, ints(part))
        sub[a - left].is_sent_start = True
        if b < right:
            sub[b - left].is_sent_start = True
        out.append(sub)
    return out


def assemble(doc: Doc, plan: Plan, parsed: Sequence[Doc]) -> Doc:
    """Copy the annotations of the parsed excerpts of `plan` back into `doc` (the run ``a:b`` of
    each window ``(left, a, b, right)``, whose excerpt is ``doc[left:right]``).

    Tokens outside the runs keep their entities and get no tag, lemma or arc; each sentence of
    theirs becomes one sentence of the doc, so the relation rules see them as sentences without
    structure.
    """
    array = doc.to_array(COPIED)
    sent_starts = numpy.full(len(doc), -1, dtype=numpy.int32)
    covered = numpy.zeros(len(doc), dtype=bool)
    for (left, a, b, _), sub in zip(plan.windows, parsed, strict=True):
        array[a:b] = sub.to_array(COPIED)[a - left : b - left]
        sent_starts[a:b] = sub.to_array([SENT_START]).ravel()[a - left : b - left]
        covered[a:b] = True
    starts = numpy.asarray(plan.starts, dtype=numpy.int64)
    starts = starts[~covered[starts]] if len(starts) else starts
    sent_starts[starts] = 1
    if len(doc):
        doc.from_array(COPIED, ints(array))
        doc.from_array([SENT_START], ints(sent_starts.astype(numpy.uint64).reshape(-1, 1)))
    return doc


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk

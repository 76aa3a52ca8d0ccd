"""Typed mentions in a parsed article: companies, people, vehicles, platforms, plants and places.

Named entities come from the knowledge ruler and the statistical NER; vehicles, platforms and
plants are then read off the parse with general patterns of business English:

- a brand followed by a model name or a vehicle noun ("Nissan NP300 Navara", "Renault 1-ton
  truck", "Wuling-brand minivans"), and brands that share one vehicle noun ("Cadillac, Buick and
  Chevrolet models");
- a noun phrase headed by a vehicle noun ("a new small car", "commercial vehicles");
- a town named with a plant noun ("its Cleon plant", "plants in Cordoba, Argentina") or as the
  place where something is built ("built in Kamenz, Germany");
- a noun phrase headed by "platform" or "architecture".

Finding is kept apart from the parse: `find_mentions` returns plain `Mention`s, indexed by token.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from alliancegraph.extract.places import Places, load_places
from alliancegraph.extract.words import Triggers, Words
from alliancegraph.resolve.knowledge import Knowledge, load_knowledge, normalize_name

VEHICLE_NOUNS = frozenset(
    "car cars vehicle vehicles pickup pickups truck trucks suv suvs crossover crossovers minivan minivans van vans "
    "sedan sedans saloon saloons hatchback hatchbacks coupe coupes convertible roadster wagon wagons model models "
    "subcompact subcompacts minicar minicars ev evs hybrid hybrids limousine bus buses".split()
)
PLANT_NOUNS = frozenset("plant plants factory factories facility facilities works site sites".split())
PLATFORM_NOUNS = frozenset({"platform", "platforms", "architecture", "architectures"})
BUILD_LEMMAS = frozenset({"build", "make", "produce", "assemble", "manufacture"})
VEHICLE_KINDS = frozenset({"brand", "automaker", "group"})
MODEL_WORD = re.compile(r"^(?:[A-Z][A-Za-z0-9]*|[a-z]+[A-Z][A-Za-z0-9]*|\d+[A-Za-z0-9]*|[A-Z]+-?\d+[A-Za-z]*|[A-Z]-Class)$")
NOT_MODEL = frozenset(
    "Chief CEO President Chairman Executive Motor Motors Co Corp Corporation Group AG SA Inc Ltd said says will "
    "and And The In On At For With To Of By Plant Board Management Europe America Asia Japan China North South "
    "Director Head Vice Senior Sales Chief Officer Spokesman Spokeswoman Brand Unit Division".split()
)
CORPORATE_SUFFIXES = frozenset("Ltd Inc Corp Co AG SA SpA NV LLC Plc plc GmbH Limited Corporation KK".split())
KEY_NOISE = frozenset("the a an new upcoming all-new truck trucks model models vehicle vehicles car cars plant".split())
BUSINESS_NOUNS = frozenset(
    "unit units division business businesses arm operations operation maker makers brand market markets sales "
    "subsidiary segment production plant factory".split()
)
PRAISE_WORDS = frozenset(
    "best top selling bestselling best-selling top-selling popular flagship current latest existing older "
    "biggest largest key core main profitable successful".split()
)
QUANTITY_WORDS = frozenset("more fewer less many most some other such several few all any each every".split())
DROP_WORDS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "this", "these", "those", "that", "both"})
MARKET_NOUNS = frozenset({"market", "markets", "customers", "buyers", "consumers"})
VEHICLE_TRIGGERS = Triggers(lower=VEHICLE_NOUNS)
PLATFORM_TRIGGERS = Triggers(lower=PLATFORM_NOUNS)
PLANT_TRIGGERS = Triggers(lower=PLANT_NOUNS, lemma=BUILD_LEMMAS)
MARKET_TRIGGERS = Triggers(lower=MARKET_NOUNS)


@dataclass(slots=True)
class Mention:
    """A typed mention: tokens ``start:end`` of the doc, and the name it gives its entity.

    `name` may differ from the span's text: a plant is named "Cordoba plant" from the town, and
    each brand of "Cadillac, Buick and Chevrolet models" names its own vehicle. `place` is the
    country or state given with a plant ("Cordoba, Argentina").
    """

    start: int
    end: int
    type: str
    name: str
    kb_id: str | None = None
    kind: str | None = None
    country: str | None = None
    place: str | None = None
    head: int = -1
    members: tuple[Mention, ...] = field(default=())
    alias_of: str | None = None

    @property
    def key(self) -> str:
        """Identity within one article: the knowledge id, else the type and the name's content words
        ("Mercedes-Benz pickup" and "Mercedes-Benz pickup truck" are one vehicle)."""
        if self.alias_of:
            return self.alias_of
        if self.kb_id:
            return self.kb_id
        words = [w for w in re.findall(r"[\w-]+", self.name.lower()) if w not in KEY_NOISE]
        return f"{self.type}:{' '.join(sorted(set(words))) or self.name.lower()}"


class MentionIndex:
    """The mentions of one doc, with a token -> mentions lookup (a token may serve several).

    `mentions` is kept in text order (by start, then end), and each token's list from the
    shortest mention to the longest (mentions of one length in the order they were added), so
    `at` reads the most specific mention first without sorting.
    """

    def __init__(self, doc: Doc, mentions: Iterable[Mention]):
        self.doc = doc
        self.mentions = sorted(mentions, key=_position)
        self.by_token: dict[int, list[Mention]] = {}
        for m in self.mentions:
            for i in range(m.start, m.end):
                self.by_token.setdefault(i, []).append(m)
        for found in self.by_token.values():
            found.sort(key=_length)

    @cached_property
    def words(self) -> Words:
        """The strings of the doc's words, for rules that look for trigger words."""
        return Words(self.doc)

    def at(self, token: Token | int, types: Iterable[str] | None = None) -> Mention | None:
        """The mention covering the token (the most specific first), optionally of given types."""
        i = token if isinstance(token, int) else token.i
        wanted = set(types) if types else None
        for m in self.by_token.get(i, ()):
            if wanted is None or m.type in wanted:
                return m
        return None

    def in_span(self, start: int, end: int, types: Iterable[str] | None = None) -> list[Mention]:
        wanted = set(types) if types else None
        return [m for m in self.mentions if m.start >= start and m.end <= end and (wanted is None or m.type in wanted)]

    def starting_in(self, start: int, end: int, type_: str) -> list[Mention]:
        """The mentions of one type that begin in tokens ``start:end``, in text order."""
        out = []
        for m in self.mentions[bisect_left(self.mentions, start, key=_start) :]:
            if m.start >= end:
                break
            if m.type == type_:
                out.append(m)
        return out

    def add(self, mention: Mention) -> None:
        insort_right(self.mentions, mention, key=_position)
        for i in range(mention.start, mention.end):
            insort_right(self.by_token.setdefault(i, []), mention, key=_length)

    def remove(self, mention: Mention) -> None:
        self.mentions.remove(mention)
        for i in range(mention.start, mention.end):
            if mention in self.by_token.get(i, []):
                self.by_token[i].remove(mention)


def _position(m: Mention) -> tuple[int, int]:
    return m.start, m.end


def _start(m: Mention) -> int:
    return m.start


def _length(m: Mention) -> int:
    return m.end - m.start


def clean_name(tokens: Iterable[Token]) -> str:
    """The text of a noun phrase without determiners, possessive pronouns, quotes and edge punctuation."""
    toks = [t for t in tokens if t.lower_ not in DROP_WORDS and t.text not in {"'", '"', "\u2018", "\u2019", "\u201c", "\u201d"}]
    while toks and (toks[0].is_punct or toks[0].dep_ == "case"):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "case"):
        toks = toks[:-1]
    if not toks:
        return ""
    text = "".join(t.text_with_ws for t in toks).strip()
    return re.sub(r"\s+", " ", text)


BODY_NOUNS = {"trust", "fund", "union", "bank", "holding", "holdings", "investors", "foundation", "partners"}


def _body_named(doc: Doc, ent: Span) -> int | None:
    """The organisation noun a name modifies, one or two words on ("Veba healthcare trust"), if any."""
    for i in range(ent.end, min(ent.end + 2, len(doc))):
        if doc[i].lower_ in BODY_NOUNS and doc[i].pos_ == "NOUN":
            return i
        if doc[i].pos_ not in {"NOUN", "PROPN"} or doc[i].ent_type_:
            return None
    return None


def _entity_mentions(doc: Doc, knowledge: Knowledge, places: Places) -> list[Mention]:
    out = []
    for ent in doc.ents:
        label = ent.label_
        kb = knowledge.get(ent.ent_id_) if ent.ent_id_ else None
        text = ent.text.strip()
        if ent[0].lower_ == "the" and len(ent) > 1:
            text = ent[1:].text.strip()
        end = ent.end
        while label == "ORG" and end < len(doc) and doc[end].text.rstrip(".") in CORPORATE_SUFFIXES:
            end += 1  # "Nissan Motor Co Ltd": the ruler knew "Nissan Motor Co"
        if end > ent.end:
            ent = doc[ent.start : end]
            text = ent.text.strip()
        if kb is not None:
            # the name as the article gives it; the knowledge id keeps its identity
            surface = re.sub(r"(?:'s|\u2019s)$", "", text)
            if surface.isupper() and len(surface) > 4 and " " in surface:
                surface = kb.name
            out.append(Mention(ent.start, ent.end, kb.type, surface, kb.id, kb.kind, kb.country, head=ent.root.i))
        elif (
            label in {"GPE", "LOC", "NORP", "PERSON"}
            and (body := _body_named(doc, ent)) is not None
            and not (places.is_area(text) or text in places.demonyms)
        ):
            # "the Veba healthcare trust": a name the model took for a place or person heads an organisation noun
            out.append(Mention(ent.start, body + 1, "ORG", doc[ent.start : body + 1].text, head=body))
        elif label == "ORG":
            if text.isupper() and len(text) > 4 and " " in text:
                text = text.title()
            if places.is_area(text):
                out.append(Mention(ent.start, ent.end, "PLACE", places.canonical(text), head=ent.root.i))
                continue
            out.append(Mention(ent.start, ent.end, "ORG", text, head=ent.root.i))
        elif label == "PERSON" and ent.end < len(doc) and doc[ent.end].lower_ in {"family", "clan", "dynasty"}:
            # "the Agnelli family" holds stakes as one owner
            out.append(Mention(ent.start, ent.end + 1, "ORG", f"{text} family", head=ent.end))
        elif label == "PERSON":
            if text.isupper():
                text = text.title()
            text = re.sub(r"'s$", "", text)
            out.append(Mention(ent.start, ent.end, "PERSON", text, head=ent.root.i))
        elif label in {"GPE", "LOC"}:
            out.append(Mention(ent.start, ent.end, "PLACE", places.canonical(text), head=ent.root.i))
        elif label == "NORP" and text in places.demonyms and places.demonyms[text] in places.regions:
            out.append(Mention(ent.start, ent.end, "PLACE", places.demonyms[text], head=ent.root.i))
    return out


def _model_words(doc: Doc, i: int, limit: int = 3) -> int:
    """How many tokens from ``i`` on read as a model name ("NP300 Navara", "A-Class", "eK wagon")."""
    n = 0
    while n < limit and i + n < len(doc):
        tok = doc[i + n]
        if tok.text in NOT_MODEL or tok.ent_type_ in {"GPE", "LOC", "PERSON", "DATE", "MONEY", "PERCENT", "NORP"}:
            break
        if tok.text == "-" and n > 0 and i + n + 1 < len(doc) and doc[i + n + 1].text in {"Class", "Series", "Type"}:
            n += 2
            continue
        if MODEL_WORD.match(tok.text) and not (tok.is_sent_start and n == 0):
            if tok.pos_ in {"VERB", "AUX", "ADP", "CCONJ", "DET", "PRON"} and not any(c.isdigit() for c in tok.text):
                break
            n += 1
            continue
        if n > 0 and tok.lower_ == "wagon" and any(c.isupper() for c in doc[i + n - 1].text[1:]):
            n += 1
        break
    return n


def _vehicle_mentions(doc: Doc, index: MentionIndex) -> None:
    """Brand-led vehicle names and vehicle noun phrases, replacing the bare brand where it is part of one."""
    for m in list(index.mentions):
        if m.type != "ORG" or (m.kind is not None and m.kind not in VEHICLE_KINDS):
            continue
        end = m.end
        if end < len(doc) and doc[end].text == "-" and end + 1 < len(doc) and doc[end + 1].lower_ == "brand":
            end += 2  # "Wuling-brand minivans"
        n = _model_words(doc, end)
        j = end + n
        # numeric and size modifiers before a vehicle noun: "1-ton", "full-size"
        k = j
        while k < len(doc) and k - j < 4 and (doc[k].like_num or doc[k].text == "-" or doc[k].lower_ in {"ton", "tonne"}):
            k += 1
        nouns = 0
        while k + nouns < len(doc) and doc[k + nouns].lower_ in VEHICLE_NOUNS and nouns < 2:
            nouns += 1
        if n == 0 and nouns == 0:
            continue
        if nouns and doc[k + nouns - 1].dep_ == "compound" and doc[k + nouns - 1].head.lower_ in BUSINESS_NOUNS:
            continue  # "Ford's Aston Martin luxury car unit" is a company, not a car
        stop = k + nouns if nouns else j
        if n == 0 and m.kind is None:
            continue
        span = doc[m.start : stop]
        name = clean_name(span)
        if not name or name == m.name:
            continue
        index.remove(m)
        index.add(Mention(m.start, stop, "VEHICLE", name.replace("-brand", ""), kind="vehicle", head=span.root.i))
    # brands sharing one vehicle noun: "Cadillac, Buick and Chevrolet models"
    for tok in index.words.tokens(doc, VEHICLE_TRIGGERS):
        if tok.lower_ not in VEHICLE_NOUNS or tok.pos_ not in {"NOUN", "PROPN"}:
            continue
        brands = []
        for child in tok.lefts:
            cm = index.at(child, ["ORG"])
            if cm is not None and child.dep_ in {"compound", "nmod", "amod"}:
                brands.append((child, cm))
                for conj in child.conjuncts:
                    cc = index.at(conj, ["ORG"])
                    if cc is not None:
                        brands.append((conj, cc))
        for _child, cm in brands:
            if (cm.kind is not None and cm.kind not in VEHICLE_KINDS) or cm not in index.mentions:
                continue  # not a brand, or already turned into a vehicle by another noun
            index.remove(cm)
            index.add(Mention(cm.start, cm.end, "VEHICLE", f"{cm.name} {tok.text}", kind="vehicle", head=tok.i))
    # generic vehicle noun phrases: "a new small car", "light commercial trucks"
    for chunk in _vehicle_chunks(doc, index):
        root = chunk.root
        if root.lower_ not in VEHICLE_NOUNS or index.at(root) is not None:
            continue
        toks = [t for t in chunk if t.dep_ not in {"poss", "case"} and not t.like_num and t.ent_type_ not in {"PERCENT", "CARDINAL", "MONEY"}]
        toks = [t for t in toks if t.i >= root.i or t.dep_ in {"amod", "compound", "nmod", "det"} or t.lower_ in {"-"}]
        toks = [t for t in toks if t.lower_ not in QUANTITY_WORDS]
        name = clean_name(toks)
        if not name or name.lower() in VEHICLE_NOUNS and root.lower_ in {"model", "models", "vehicle", "vehicles", "car", "cars"}:
            # a bare "vehicles" names nothing; keep "pickup", "sedan"
            if not name or name.lower() in {"model", "models", "vehicle", "vehicles", "car", "cars"}:
                continue
        if not [w for w in re.findall(r"[\w]+", name.lower()) if w not in KEY_NOISE | PRAISE_WORDS]:
            continue  # "new models", "its best-selling model" name no vehicle in particular
        start = min(t.i for t in toks)
        if any(index.at(i, ["ORG", "PERSON", "PLACE", "VEHICLE"]) for i in range(start, root.i)):
            continue
        index.add(Mention(start, root.i + 1, "VEHICLE", name, kind="vehicle", head=root.i))


def _vehicle_chunks(doc: Doc, index: MentionIndex) -> Iterator[Span]:
    """The noun chunks of the doc (`Doc.noun_chunks`, in order) that a vehicle noun may head: all
    those of each sentence that holds a vehicle noun.

    spaCy's English chunker walks the words in order, and the only thing it carries from one word
    to the next, the end of the last chunk, matters only to a word whose phrase reaches back before
    that end. When no arc crosses a sentence boundary, no phrase reaches back past the start of its
    sentence, so chunking one sentence alone gives the chunks the whole doc has there. Otherwise (or
    without a parse, where `Doc.noun_chunks` raises) the whole doc is chunked.
    """
    if not doc.has_annotation("DEP") or not index.words.arcs_within_sentences:
        yield from doc.noun_chunks
        return
    for sent in doc.sents:
        if index.words.has(sent, VEHICLE_TRIGGERS):
            for start, end, label in doc.noun_chunks_iterator(sent):
                yield Span(doc, start, end, label=label)


def _platform_mentions(doc: Doc, index: MentionIndex) -> None:
    for tok in index.words.tokens(doc, PLATFORM_TRIGGERS):
        if tok.lower_ not in PLATFORM_NOUNS or index.at(tok) is not None:
            continue
        start = tok.i
        for left in reversed(list(tok.lefts)):
            if left.dep_ in {"compound", "amod", "nmod", "poss", "punct"} and left.i == start - 1:
                start = left.i
                start = min(start, left.left_edge.i) if left.dep_ != "amod" else start
            else:
                break
        toks = [t for t in doc[start : tok.i + 1] if t.pos_ not in {"VERB", "ADV"} and t.lower_ not in {"same", "new", "common", "latest", "shared"}]
        name = clean_name(toks).replace("'s ", " ").replace("\u2019s ", " ")
        if len(name.split()) < 2:
            continue
        for m in index.in_span(start, tok.i):
            index.remove(m)
        index.add(Mention(start, tok.i + 1, "PLATFORM", name, kind="platform", head=tok.i))


def _place_after(doc: Doc, index: MentionIndex, i: int) -> Mention | None:
    """The place in ", Argentina" right after token ``i - 1``, if any."""
    if i < len(doc) and doc[i].text == "," and i + 1 < len(doc):
        return index.at(i + 1, ["PLACE"])
    return None


def agent_nouns(verb: Token) -> list[Token]:
    """The nouns of a passive verb's "by" agent, with their appositions ("by the unit, X")."""
    agents = [o for a in verb.children if a.dep_ == "agent" for o in a.children if o.dep_ == "pobj"]
    return agents + [c for o in agents for c in o.children if c.dep_ == "appos"]


def _plant_mentions(doc: Doc, index: MentionIndex, places: Places) -> None:
    """Plants named by their town, in front of a plant noun or after "plant in" / "built in"."""

    def make_plant(town: Mention, place: Mention | None) -> None:
        if places.is_area(town.name):
            return
        index.remove(town)
        where = place.name if place is not None and place is not town else None
        index.add(Mention(town.start, town.end, "PLANT", f"{town.name} plant", kind="plant", place=where, head=town.head))

    for tok in index.words.tokens(doc, PLANT_TRIGGERS):
        low = tok.lower_
        if low in PLANT_NOUNS:
            # "its Cleon plant", "its Canton, Mississippi plant", "its Oxford, England, plant"
            j = tok.i - 1
            if j >= 0 and doc[j].text == ",":
                j -= 1
            prev = index.at(j, ["PLACE", "ORG"]) if j >= 0 else None
            if prev is not None and prev.end == j + 1:
                before = prev.start - 2
                town = index.at(before, ["PLACE", "ORG"]) if before >= 0 and doc[prev.start - 1].text == "," else None
                if town is not None and town.type == "PLACE" and not places.is_area(town.name):
                    make_plant(town, prev)
                elif prev.type == "PLACE" and not places.is_area(prev.name):
                    make_plant(prev, None)
                elif prev.type == "ORG" and prev.kb_id is None and doc[prev.start].pos_ == "PROPN":
                    index.remove(prev)
                    index.add(Mention(prev.start, prev.end, "PLANT", f"{prev.name} plant", kind="plant", head=prev.head))
            elif j >= 0 and doc[j].pos_ == "PROPN" and index.at(j) is None and doc[j].dep_ in {"compound", "nmod"}:
                name = doc[j].text
                index.add(Mention(j, j + 1, "PLANT", f"{name} plant", kind="plant", head=j))
        if low in PLANT_NOUNS or (tok.lemma_ in BUILD_LEMMAS and tok.pos_ == "VERB"):
            # "plants in Cordoba, Argentina, and Barcelona, Spain", "produced ... in Kamenz, Germany"
            objects = [c for c in tok.children if c.dep_ == "dobj"] if low not in PLANT_NOUNS else []
            if low not in PLANT_NOUNS:  # "produced by the unit, X, in Kamenz"
                objects += agent_nouns(tok)
            for prep in [*tok.children, *(c for o in objects for c in o.children)]:
                if prep.lower_ != "in":
                    continue
                for pobj in prep.children:
                    if pobj.dep_ != "pobj":
                        continue
                    for town_tok in [pobj, *pobj.conjuncts]:
                        town = index.at(town_tok, ["PLACE"])
                        if town is None:
                            continue
                        make_plant(town, _place_after(doc, index, town.end))


def _norp_markets(doc: Doc, index: MentionIndex, places: Places) -> None:
    """"Latin American markets", "the U.S. market": a place named by its adjective before "market"."""
    for tok in index.words.tokens(doc, MARKET_TRIGGERS):
        if tok.lower_ not in MARKET_NOUNS:
            continue
        for left in tok.lefts:
            span = doc[left.left_edge.i : left.i + 1] if left.dep_ in {"compound", "amod", "nmod"} else None
            if span is None:
                continue
            text = span.text.strip()
            canon = places.demonyms.get(text) or (places.canonical(text) if places.is_area(text) else None)
            if canon and index.at(left, ["PLACE"]) is None:
                for m in index.in_span(span.start, span.end):
                    index.remove(m)
                index.add(Mention(span.start, span.end, "PLACE", canon, head=left.i))


def _unify(mentions: list[Mention], knowledge: Knowledge) -> None:
    """Give one key and one name to the companies one article names in several ways.

    "Fiat SpA" and "Fiat", or "PSA Peugeot Citroen" and "Peugeot", may be different entries of the
    knowledge file, but within one article they are the same company: a short name that is a word
    of a longer name of the same family (same normalised name, or a shared owner) takes the
    longer name's identity. Each identity is then named by its first mention in the article.
    """
    orgs = [m for m in mentions if m.type == "ORG" and m.kb_id]
    family: dict[str, set[str]] = {}
    for m in orgs:
        if m.kb_id not in family:
            family[m.kb_id] = {m.kb_id} | {e.id for e in knowledge.parent_chain(m.kb_id)}  # type: ignore[index]
    normal = {id(m): normalize_name(m.name) for m in orgs}  # each name normalised once, not per pair
    remap: dict[str, tuple[str, str]] = {}
    for short in orgs:
        for long in orgs:
            if short.kb_id == long.kb_id or len(long.name) <= len(short.name):
                continue
            same_norm = normal[id(short)] == normal[id(long)]
            # a brand inside its group's name: "Peugeot" in "PSA Peugeot Citroen"
            related = short.kind == "brand" and long.kind in {"group", "automaker"} and bool(
                family[short.kb_id] & family[long.kb_id]  # type: ignore[index]
            )
            if same_norm or (related and _word_of(short.name, long.name)):
                remap.setdefault(short.kb_id, (long.kb_id, long.name))  # type: ignore[arg-type]
    # "Marchionne" after "Sergio Marchionne" is the same person
    full: dict[str, str] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        if m.type != "PERSON":
            continue
        parts = m.name.split()
        if len(parts) > 1:
            full.setdefault(parts[-1], m.name)
        elif m.name in full:
            m.name = full[m.name]
    first_name: dict[str, str] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        if m.kb_id in remap:
            m.kb_id, m.name = remap[m.kb_id]
            m.kind = knowledge.get(m.kb_id).kind if knowledge.get(m.kb_id) else m.kind
        if m.type == "ORG" and m.kb_id:
            m.name = first_name.setdefault(m.kb_id, m.name)


def _word_of(short: str, long: str) -> bool:
    """Whether a name is a word of a longer one ("Peugeot" of "PSA Peugeot Citroen"), hyphens read as
    spaces."""
    return short in long.replace("-", " ").split() or short in long.split()


def find_mentions(doc: Doc, knowledge: Knowledge | None = None, places: Places | None = None) -> MentionIndex:
    """All typed mentions of a parsed doc."""
    knowledge = knowledge or load_knowledge()
    places = places or load_places()
    mentions = _entity_mentions(doc, knowledge, places)
    _unify(mentions, knowledge)
    index = MentionIndex(doc, mentions)
    _norp_markets(doc, index, places)
    _vehicle_mentions(doc, index)
    _platform_mentions(doc, index)
    _plant_mentions(doc, index, places)
    _unify_products(index)
    return index


def _unify_products(index: MentionIndex) -> None:
    """Within one article, a vehicle named with fewer words is the one named in full
    ("Nissan NP300" and "Nissan NP300 Navara", "Mercedes-Benz pickup" and "Mercedes-Benz pickup truck")."""
    products = [m for m in index.mentions if m.type in {"VEHICLE", "PLATFORM"}]
    words = {id(m): set(m.key.split(":", 1)[1].split()) for m in products}
    for m in products:
        for other in products:
            if other is m or other.type != m.type or not words[id(m)] or words[id(m)] == words[id(other)]:
                continue
            if words[id(m)] < words[id(other)] and len(words[id(m)]) >= 2:
                m.alias_of = other.key
                break

"""Coreference inside one article for the companies news writes around.

Business news names a company once and then calls it "the French carmaker", "the U.S. giant",
"the company", "it" or "its", and a pair "the two companies" or "the partners". Each such phrase
becomes an ORG mention that carries its antecedent's name, so the relation rules see
"Renault" where the text says "the French carmaker". Antecedents are chosen by agreement
(nationality, kind of company) and then by recency, preferring subjects.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from alliancegraph.extract.mentions import Mention, MentionIndex
from alliancegraph.extract.places import Places, load_places
from alliancegraph.extract.words import Triggers

COMPANY_NOUNS = {
    "automaker": "maker", "carmaker": "maker", "maker": "maker", "manufacturer": "maker", "truckmaker": "maker",
    "company": "any", "group": "any", "firm": "any", "giant": "any", "concern": "any", "partner": "any",
    "venture": "venture", "automobile": "maker", "brand": "brand",
}  # fmt: skip
PLURAL_NOUNS = {"companies", "carmakers", "automakers", "makers", "partners", "firms", "groups", "sides", "manufacturers"}
PRONOUNS = {"it", "its", "they", "their", "them"}
PERSON_PRONOUNS = {"he", "she", "his", "her"}
PLANT_PLURALS = {"plants", "factories", "facilities", "sites"}
PLANT_SINGULARS = {"plant", "factory", "facility"}
COUNTRY_CODES = {
    "United States": "US", "Germany": "DE", "France": "FR", "Italy": "IT", "Japan": "JP", "China": "CN",
    "South Korea": "KR", "India": "IN", "United Kingdom": "GB", "Sweden": "SE", "Spain": "ES", "Russia": "RU",
    "Netherlands": "NL", "Czech Republic": "CZ", "Malaysia": "MY", "Brazil": "BR", "Canada": "CA", "Turkey": "TR",
    "Taiwan": "TW", "Iran": "IR", "Romania": "RO", "Switzerland": "CH", "Austria": "AT", "Belgium": "BE",
    "Mexico": "MX", "Australia": "AU", "Indonesia": "ID", "Thailand": "TH", "Qatar": "QA",
}  # fmt: skip


def _nationality(doc: Doc, start: int, end: int, places: Places) -> str | None:
    """The country code given by words inside a descriptor ("the French carmaker", "the U.S. giant")."""
    for tok in doc[start:end]:
        for text in (tok.text, doc[tok.i : tok.i + 2].text):
            code = _country_code(text, places)
            if code:
                return code
    return None


def _country_code(text: str, places: Places) -> str | None:
    """The country code a word stands for: a demonym ("French") or a country name ("Japan")."""
    country = places.demonyms.get(text) or (places.canonical(text) if places.is_country(text) else None)
    return COUNTRY_CODES.get(country) if country else None


def _mention_country(doc: Doc, m: Mention, places: Places) -> str | None:
    """A company's country from the knowledge file or from the words before it ("Japan's Suzuki")."""
    if m.country:
        return m.country
    start = m.start
    for i in range(max(0, start - 4), start):
        code = _country_code(doc[i].text, places)
        if code:
            return code
    return None


def _is_subject(tok: Token) -> bool:
    return tok.dep_ in {"nsubj", "nsubjpass"} or (tok.dep_ == "pobj" and tok.head.dep_ == "agent")


def _clause_agent(tok: Token, index: MentionIndex) -> Mention | None:
    """The company that acts in the clause a phrase sits in: the subject of its verb, or the object
    that controls an infinitive ("prompt Toyota to sell its stake": Toyota sells)."""
    verb = tok.head
    steps = 0
    while verb.pos_ not in {"VERB", "AUX"} and verb.head != verb and steps < 6:
        verb, steps = verb.head, steps + 1
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    for _ in range(3):
        subjects_ = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < tok.i]
        if verb.dep_ == "xcomp" and not subjects_:
            subjects_ = [c for c in verb.head.children if c.dep_ == "dobj" and c.i < tok.i]
        if subjects_:
            subject = subjects_[0]
            return index.at(subject, ["ORG"]) if subject != tok and tok not in subject.subtree else None
        if verb.dep_ not in {"xcomp", "conj"} or verb.head == verb:
            return None
        verb = verb.head
    return None


VENTURE_NOUNS = {"venture", "jv", "ventures"}


def _called_venture(doc: Doc, m: Mention) -> bool:
    """Whether the text calls a company a venture: "a joint venture, X", "X, their venture", "the X venture"."""
    tok = doc[m.head]
    if tok.dep_ in {"appos", "compound"} and tok.head.lower_ in VENTURE_NOUNS:
        return True
    if m.start >= 2 and doc[m.start - 1].text == "," and doc[m.start - 2].lower_ in VENTURE_NOUNS:
        return True  # the same, however the parser attached the name
    return any(c.dep_ in {"appos", "attr"} and c.lower_ in VENTURE_NOUNS for c in tok.children)


def _antecedent(orgs: list[Mention], doc: Doc, before: int, want: str, country: str | None, places: Places,
                sent_start: int, not_key: str | None = None) -> Mention | None:
    best: tuple[int, Mention] | None = None
    for m in orgs:
        if m.end > before or m.members or m.key == not_key:
            continue
        if want == "venture" and m.kind != "joint_venture" and not _called_venture(doc, m):
            continue
        if want == "maker" and m.kind not in {None, "automaker", "group", "brand", "joint_venture", "alliance"}:
            continue
        if want == "brand" and m.kind not in {None, "brand"}:
            continue
        if country is not None and _mention_country(doc, m, places) != country:
            continue
        score = m.end  # recency
        if _is_subject(doc[m.head]):
            score += 40
        if m.start < sent_start:
            score -= 20  # a phrase in the same sentence is a likelier antecedent for "its"
        if best is None or score > best[0]:
            best = (score, m)
    return best[1] if best else None


def _copy(m: Mention, start: int, end: int, head: int) -> Mention:
    return Mention(start, end, "ORG", m.name, m.kb_id, m.kind, m.country, head=head, members=m.members)


def _companies(index: MentionIndex) -> list[Mention]:
    """The companies of the index, pairs left out: the candidate antecedents, which `_antecedent`
    and `_pair_before` choose among by position."""
    return [m for m in index.mentions if m.type == "ORG" and not m.members]


def resolve_coreference(doc: Doc, index: MentionIndex, places: Places | None = None) -> None:
    """Add an ORG mention, carrying its antecedent's name, for each descriptor and pronoun.

    Only the words in `REFERRING` can refer back; every other word is passed over. A sentence
    without a parse is passed over whole: each case needs a part of speech or a label.
    """
    places = places or load_places()
    last_pair: Mention | None = None
    for sent in doc.sents:
        if index.words.bare(sent):
            continue
        for tok in index.words.tokens(sent, REFERRING):
            if index.at(tok, ["ORG", "PERSON", "VEHICLE", "PLANT"]) is not None:
                continue
            low = tok.lower_
            if low in PERSON_PRONOUNS and tok.pos_ == "PRON":
                people = [m for m in index.mentions if m.type == "PERSON" and m.end <= tok.i]
                speaker = tok.head.head if tok.dep_ == "nsubj" and tok.head.dep_ == "ccomp" else None
                if speaker is not None and speaker.lemma_ in {"say", "tell", "add"}:
                    # "Marchionne told Bloomberg he would...": "he" is the one who speaks
                    spoken = [index.at(c, ["PERSON"]) for c in speaker.children if c.dep_ == "nsubj"]
                    people = [m for m in spoken if m is not None] or people
                if people:  # the person last named
                    last = people[-1]
                    index.add(Mention(tok.i, tok.i + 1, "PERSON", last.name, head=tok.i))
                continue
            if low in PRONOUNS and tok.pos_ == "PRON":
                if low in {"they", "their", "them"}:
                    if last_pair is not None:
                        index.add(Mention(tok.i, tok.i + 1, "ORG", last_pair.name, head=tok.i, members=last_pair.members))
                    continue
                # "it" as a dummy subject ("it is expected") names nothing
                dummy_objects = {"time", "years", "months", "weeks", "days", "effort", "sense", "place"}
                if low == "it" and tok.dep_ == "nsubj" and (
                    tok.head.lemma_ in {"be", "seem", "appear"}
                    or (tok.head.lemma_ in {"make", "take"} and any(c.lower_ in dummy_objects for c in tok.head.children))
                ):
                    continue  # "it is expected", "it takes time": no company meant
                ante = _clause_agent(tok, index) if low == "its" else None
                ante = ante or _antecedent(_companies(index), doc, tok.i, "any", None, places, sent.start)
                if ante is not None:
                    index.add(_copy(ante, tok.i, tok.i + 1, tok.i))
                continue
            if low == "two" and tok.dep_ in {"nsubj", "nsubjpass"} and any(d.lower_ == "the" for d in tok.lefts):  # "the two are..."
                pair = _pair_before(_companies(index), tok.i)
                if pair is not None:
                    index.add(Mention(tok.left_edge.i, tok.i + 1, "ORG", pair.name, head=tok.i, members=pair.members))
                    last_pair = pair
                continue
            if tok.pos_ != "NOUN":
                continue
            det = [c for c in tok.lefts if c.dep_ in {"det", "predet"}]
            if low in VEHICLE_NOUNS and tok.dep_ != "compound" and _definite(tok):
                vehicle = _vehicle_before(index, tok)
                if vehicle is not None:  # "production of its truck", "the SUV will be sold in China"
                    index.add(Mention(
                        tok.left_edge.i, tok.i + 1, "VEHICLE", vehicle.name, vehicle.kb_id, head=tok.i, alias_of=vehicle.alias_of
                    ))
                continue
            if low in PLANT_PLURALS and _both(tok):
                plants = [m for m in index.mentions if m.type == "PLANT" and not m.members]
                pair = _pair_before(plants, tok.i)
                if pair is not None:  # "production will start at both plants"
                    index.add(Mention(tok.left_edge.i, tok.i + 1, "PLANT", pair.name, head=tok.i, members=pair.members))
                continue
            if low in PLANT_SINGULARS and len(list(tok.lefts)) == 1 and det and det[0].lower_ in {"the", "that", "this"}:
                plants = [m for m in index.mentions if m.type == "PLANT" and m.end <= tok.i]
                if plants:  # "the plant" is the plant last named
                    last = plants[-1]
                    index.add(Mention(tok.i, tok.i + 1, "PLANT", last.name, last.kb_id, last.kind, head=tok.i))
                continue
            nums = [c for c in tok.lefts if c.dep_ == "nummod" and c.lower_ in {"two", "both"}]
            if low in PLURAL_NOUNS and (nums or any(d.lower_ in {"both", "the"} for d in det)):
                if low != "partners" and not nums and not any(d.lower_ == "both" for d in det):
                    continue
                pair = _pair_before(_companies(index), tok.i)
                if pair is not None:
                    start = tok.left_edge.i
                    index.add(Mention(start, tok.i + 1, "ORG", pair.name, head=tok.i, members=pair.members))
                    last_pair = pair
                continue
            kind = COMPANY_NOUNS.get(low)
            if kind is None or not any(d.lower_ in {"the", "this"} for d in det):
                continue
            if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children) and low not in {"venture"}:
                continue  # "the maker of Roewe sedans" describes, it does not refer back
            start = tok.left_edge.i
            if index.in_span(start, tok.i, ["ORG", "PERSON", "PLACE"]) and _nationality(doc, start, tok.i, places) is None:
                continue  # "the Daimler subsidiary": a named company, not a reference
            country = _nationality(doc, start, tok.i, places)
            # "Toyota sells its stake in the Japanese truck maker": not Toyota itself
            agent = _clause_agent(tok, index) if tok.dep_ != "poss" else None
            not_key = agent.key if agent else None
            ante = _antecedent(_companies(index), doc, start, kind, country, places, sent.start, not_key)
            if ante is not None:
                for m in index.in_span(start, tok.i + 1, ["PLACE"]):
                    index.remove(m)
                index.add(_copy(ante, start, tok.i + 1, tok.i))
        pairs = _coordinated_orgs(index, sent)
        if pairs is not None:
            last_pair = pairs


VEHICLE_NOUNS = {"car", "truck", "pickup", "suv", "van", "minivan", "sedan", "hatchback", "crossover", "model", "vehicle"}
GENERAL_VEHICLE_NOUNS = {"car", "model", "vehicle"}

REFERRING = Triggers(
    lower=frozenset(
        PERSON_PRONOUNS | PRONOUNS | {"two"} | VEHICLE_NOUNS | PLANT_PLURALS | PLANT_SINGULARS | PLURAL_NOUNS
        | COMPANY_NOUNS.keys()
    )
)
"""The words `resolve_coreference` acts on: each of its cases begins with a test for one of these."""


def _definite(tok: Token) -> bool:
    """Whether a noun is "the X", "its X" or "this X", with no other word than "new" before it."""
    lefts = list(tok.lefts)
    return (
        bool(lefts)
        and lefts[0].lower_ in {"the", "its", "this", "that"}
        and all(c.lower_ in {"new"} for c in lefts[1:])
    )


def _vehicle_before(index: MentionIndex, tok: Token) -> Mention | None:
    """The vehicle last named before a noun that refers back to it: any vehicle for "the car" or
    "the model", one whose name holds the noun for "the truck" or "the SUV"; for "its truck", the
    owner's own if one was named."""
    low = tok.lower_
    found = [
        m for m in sorted((m for m in index.mentions if m.type == "VEHICLE"), key=lambda m: -m.end)
        if m.end <= tok.i and (low in GENERAL_VEHICLE_NOUNS or low in m.name.lower().split())
    ]
    owners = [index.at(c, ["ORG"]) for c in tok.lefts if c.dep_ == "poss"]
    maker = owners[0].name.lower() if owners and owners[0] is not None else None
    # "Mercedes said production of its truck will start": Mercedes' truck, not the one named last
    return next((m for m in found if maker and m.name.lower().startswith(maker)), found[0] if found else None)


def _both(tok: Token) -> bool:
    """Whether a plural noun is "both X" or "the two X"."""
    lefts = [c.lower_ for c in tok.lefts]
    return "both" in lefts or ("the" in lefts and "two" in lefts)


def _pair_before(mentions: list[Mention], before: int) -> Mention | None:
    """The two most recent distinct companies (or plants) before a token, as one plural mention."""
    seen: list[Mention] = []
    for m in sorted(mentions, key=lambda m: -m.end):
        if m.end > before:
            continue
        if all(s.key != m.key for s in seen):
            seen.append(m)
        if len(seen) == 2:
            break
    if len(seen) < 2:
        return None
    a, b = seen[1], seen[0]
    return Mention(0, 0, b.type, f"{a.name} and {b.name}", members=(a, b))


def _coordinated_orgs(index: MentionIndex, sent) -> Mention | None:  # noqa: ANN001
    """"A and B" as subjects of a sentence: the pair later "they" and "the two" refer to."""
    dep = index.words.dep
    for i in range(sent.start, sent.end):
        if dep[i] not in {"nsubj", "nsubjpass"}:
            continue
        tok = sent.doc[i]
        group = [index.at(t, ["ORG"]) for t in [tok, *tok.conjuncts]]
        named = [m for m in group if m is not None and not m.members]
        if len(named) >= 2 and named[0].key != named[1].key:
            return Mention(0, 0, "ORG", f"{named[0].name} and {named[1].name}", members=(named[0], named[1]))
    return None

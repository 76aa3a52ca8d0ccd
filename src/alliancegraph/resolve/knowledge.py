"""The curated domain knowledge: automakers, brands, alliances, ventures, suppliers, vehicles, plants.

The knowledge file (``alliancegraph/data/knowledge.jsonl``) holds one JSON object per line, one
entity per line, with exactly the fields of `KnownEntity`, every one present (``null`` where
unknown, ``[]`` for no aliases). Blank lines are ignored. `load_knowledge` checks the whole file
and raises `KnowledgeFileError` naming the first bad line; `Knowledge` is the loaded, indexed and
I/O-free view the extractor and the resolver query.

Names are compared in two ways. The entity ruler matches surface strings exactly and
case-sensitively (`Knowledge.surface_forms`). `Knowledge.lookup` first tries the exact string, then
its `normalize_name` key, then that key without a trailing "motor"/"motors". Two entities may share
a surface string or a normalised key only when they have the same type; the entity listed first in
the file then wins the lookup, so the file lists the usual referent of a shared name first
(e.g. the Volvo Group before Volvo Cars for the key "volvo", while the exact alias "Volvo" belongs to
Volvo Cars).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import fields
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from alliancegraph.errors import KnowledgeFileError
from alliancegraph.model import KnownEntity

TYPES: tuple[str, ...] = ("ORG", "VEHICLE", "PLATFORM", "PLANT")
"""The entity types a knowledge entry may have."""

KINDS: dict[str, str] = {
    "group": "ORG",
    "automaker": "ORG",
    "brand": "ORG",
    "supplier": "ORG",
    "battery_maker": "ORG",
    "alliance": "ORG",
    "joint_venture": "ORG",
    "investor": "ORG",
    "vehicle": "VEHICLE",
    "platform": "PLATFORM",
    "plant": "PLANT",
}
"""Each kind of entry and the one type it implies."""

CORPORATE_SUFFIXES: frozenset[str] = frozenset(
    {
        "ag", "sa", "se", "nv", "bv", "spa", "ab", "as", "sas", "srl", "sarl", "kgaa", "oyj", "plc",
        "gmbh", "llc", "lp", "kk", "jsc", "ojsc", "pjsc", "zrt", "bhd", "berhad", "sdn", "tbk",
        "corp", "corporation", "inc", "incorporated", "ltd", "limited", "co", "company", "pvt",
        "private", "group", "holding", "holdings", "pte", "pty",
    }
)  # fmt: skip
"""Trailing words `normalize_name` drops (after case folding and punctuation removal)."""

_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(KnownEntity))
_DELETED = re.compile(r"[.'\u2019`\u00b4]")  # "S.A." -> "sa", "Cee'd" -> "ceed"
_NON_WORD = re.compile(r"[^\w]|_", re.UNICODE)
_YEAR = re.compile(r"\d{4}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_QID = re.compile(r"Q[1-9]\d*")
_MOTOR_WORDS: frozenset[str] = frozenset({"motor", "motors"})


def _fold(text: str) -> str:
    """Case-fold and strip accents, repeated until stable (compatibility forms may fold further)."""
    for _ in range(8):
        decomposed = unicodedata.normalize("NFKD", text)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        if folded == text:
            break
        text = folded
    return text


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """The comparison key of an organisation or product name.

    Case-folded, accents stripped, "&" read as "and", dots and apostrophes dropped ("S.A." is "sa"),
    other punctuation and hyphens turned into spaces, a leading "the" and trailing corporate
    suffixes (`CORPORATE_SUFFIXES`: AG, SA, a.s., Corp, Ltd, Co, Group, Holdings, Sdn Bhd...)
    removed, at least one word always kept. "Motor"/"Motors" is kept ("Mitsubishi Motors Corp" ->
    "mitsubishi motors"): whether it distinguishes a name depends on what is known, so
    `Knowledge.lookup` drops it only when the key with it is unknown. The function is idempotent.
    """
    text = _fold(name).replace("&", " and ")
    text = _DELETED.sub("", text)
    words = _NON_WORD.sub(" ", text).split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        if words[0] == "the":
            words.pop(0)
            changed = True
        if len(words) > 1 and (words[-1] in CORPORATE_SUFFIXES or words[-1] == "and"):
            words.pop()
            changed = True
    return " ".join(words)


def _motorless(key: str) -> str | None:
    """The key without a trailing "motor"/"motors" word ("toyota motor" -> "toyota"), if it has one."""
    head, _, last = key.rpartition(" ")
    return head if head and last in _MOTOR_WORDS else None


class Knowledge:
    """The known entities, indexed by id, exact surface string and normalised name.

    `entities` maps ids to entries in file order; treat it as read-only (the default instance is
    shared). Entries are assumed valid: `load_knowledge` checks them.
    """

    def __init__(self, entities: Iterable[KnownEntity]):
        self.entities: dict[str, KnownEntity] = {}
        self._exact: dict[str, str] = {}
        self._normal: dict[str, str] = {}
        for entity in entities:
            if entity.id in self.entities:
                raise ValueError(f"Duplicate knowledge id {entity.id!r}; ids must be unique.")
            self.entities[entity.id] = entity
            for surface in (entity.name, *entity.aliases):
                self._exact.setdefault(surface, entity.id)
                self._normal.setdefault(normalize_name(surface), entity.id)

    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.entities

    def get(self, entity_id: str) -> KnownEntity | None:
        """The entity with this id, or None."""
        return self.entities.get(entity_id)

    def lookup(self, name: str) -> KnownEntity | None:
        """The entity a name or alias stands for, or None when nothing known matches.

        Tried in order: the exact (stripped) string; its `normalize_name` key; that key without a
        trailing "motor"/"motors" ("Toyota Motor Corp" finds Toyota, while "Mitsubishi Motors Corp"
        finds Mitsubishi Motors because "mitsubishi motors" is itself known). A string or key shared
        by several entities finds the one listed first in the knowledge file.
        """
        name = name.strip()
        if not name:
            return None
        found = self._exact.get(name)
        if found is None:
            key = normalize_name(name)
            found = self._normal.get(key)
            shorter = _motorless(key)
            if found is None and shorter is not None:
                found = self._normal.get(shorter)
        return self.entities[found] if found is not None else None

    def parent_chain(self, entity_id: str) -> list[KnownEntity]:
        """The owners of an entity, nearest first (brand -> maker -> group), without the entity itself.

        Raises KeyError for an unknown id.
        """
        if entity_id not in self.entities:
            raise KeyError(f"No knowledge entity with id {entity_id!r}.")
        chain: list[KnownEntity] = []
        seen = {entity_id}
        parent = self.entities[entity_id].parent
        while parent is not None and parent not in seen and parent in self.entities:
            seen.add(parent)
            chain.append(self.entities[parent])
            parent = self.entities[parent].parent
        return chain

    def surface_forms(self) -> Iterator[tuple[str, KnownEntity]]:
        """Every (exact surface string, entity) pair in file order: the name, then the aliases.

        Nothing is generated: only what the file lists. A string shared by several entities is
        yielded once for each, the first-listed entity first.
        """
        for entity in self.entities.values():
            seen: set[str] = set()
            for surface in (entity.name, *entity.aliases):
                if surface not in seen:
                    seen.add(surface)
                    yield surface, entity


def load_knowledge(path: Path | str | None = None) -> Knowledge:
    """Read and check a knowledge file; without a path, the packaged one (loaded once and cached).

    Raises `KnowledgeFileError` with the line of the first malformed entry: bad JSON, missing or
    unknown fields, a wrong value type, an unknown type or kind, a duplicate id, a name claimed by
    entities of different types, a parent id that does not exist, or a cycle of parents.
    """
    if path is None:
        return _packaged_knowledge()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise KnowledgeFileError(str(path), 0, f"cannot be read ({e.strerror or e})") from e
    return parse_knowledge(text, source=str(path))


@lru_cache(maxsize=1)
def _packaged_knowledge() -> Knowledge:
    resource = files("alliancegraph").joinpath("data/knowledge.jsonl")
    return parse_knowledge(resource.read_text(encoding="utf-8"), source="alliancegraph/data/knowledge.jsonl")


def parse_knowledge(text: str, source: str = "<knowledge>") -> Knowledge:
    """Check and index the JSON Lines text of a knowledge file; `source` names it in errors."""
    entities: list[KnownEntity] = []
    lines: dict[str, int] = {}
    claims: dict[str, tuple[str, str]] = {}  # normalised name -> (type, id) of its first claimant
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        entity = _parse_line(line, source, number)
        if entity.id in lines:
            raise KnowledgeFileError(
                source, number, f"duplicate id {entity.id!r} (first on line {lines[entity.id]})"
            )
        for surface in (entity.name, *entity.aliases):
            key = normalize_name(surface)
            claimed = claims.setdefault(key, (entity.type, entity.id))
            if claimed[0] != entity.type:
                raise KnowledgeFileError(
                    source,
                    number,
                    f"name {surface!r} of {entity.type} {entity.id!r} is also a name of "
                    f"{claimed[0]} {claimed[1]!r} (line {lines[claimed[1]]}); "
                    "names may be shared only within one type",
                )
        lines[entity.id] = number
        entities.append(entity)
    by_id = {entity.id: entity for entity in entities}
    for entity in entities:
        if entity.parent is not None and entity.parent not in by_id:
            raise KnowledgeFileError(
                source, lines[entity.id], f"parent {entity.parent!r} of {entity.id!r} is not a known id"
            )
    for entity in entities:
        seen = {entity.id}
        parent = entity.parent
        while parent is not None:
            if parent in seen:
                raise KnowledgeFileError(
                    source, lines[entity.id], f"the parents of {entity.id!r} form a cycle through {parent!r}"
                )
            seen.add(parent)
            parent = by_id[parent].parent
    return Knowledge(entities)


def _parse_line(line: str, source: str, number: int) -> KnownEntity:
    def bad(reason: str) -> KnowledgeFileError:
        return KnowledgeFileError(source, number, reason)

    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise bad(f"not valid JSON ({e.msg} at column {e.colno})") from e
    if not isinstance(record, dict):
        raise bad("not a JSON object")
    missing = [name for name in _FIELDS if name not in record]
    if missing:
        raise bad(f"missing field(s) {', '.join(missing)}")
    unknown = sorted(set(record) - set(_FIELDS))
    if unknown:
        raise bad(f"unknown field(s) {', '.join(unknown)}; the fields are {', '.join(_FIELDS)}")
    for name in ("id", "name", "type", "kind"):
        if not isinstance(record[name], str) or not record[name].strip():
            raise bad(f"field {name!r} must be a non-empty string")
    for name in ("parent", "country", "wikidata", "founded", "dissolved"):
        if record[name] is not None and not isinstance(record[name], str):
            raise bad(f"field {name!r} must be a string or null")
    aliases = record["aliases"]
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise bad("field 'aliases' must be a list of non-empty strings")
    if record["type"] not in TYPES:
        raise bad(f"unknown type {record['type']!r}; expected one of {', '.join(TYPES)}")
    if record["kind"] not in KINDS:
        raise bad(f"unknown kind {record['kind']!r}; expected one of {', '.join(KINDS)}")
    if KINDS[record["kind"]] != record["type"]:
        raise bad(f"kind {record['kind']!r} needs type {KINDS[record['kind']]!r}, not {record['type']!r}")
    if record["parent"] == record["id"]:
        raise bad(f"{record['id']!r} is its own parent")
    for name in ("founded", "dissolved"):
        if record[name] is not None and not _YEAR.fullmatch(record[name]):
            raise bad(f"field {name!r} must be a four-digit year, not {record[name]!r}")
    if record["country"] is not None and not _COUNTRY.fullmatch(record["country"]):
        raise bad(f"country {record['country']!r} is not an ISO 3166 alpha-2 code")
    if record["wikidata"] is not None and not _QID.fullmatch(record["wikidata"]):
        raise bad(f"wikidata {record['wikidata']!r} is not a Wikidata item id (Q...)")
    return KnownEntity(
        id=record["id"],
        name=record["name"],
        type=record["type"],
        kind=record["kind"],
        aliases=tuple(dict.fromkeys(aliases)),
        parent=record["parent"],
        country=record["country"],
        wikidata=record["wikidata"],
        founded=record["founded"],
        dissolved=record["dissolved"],
    )

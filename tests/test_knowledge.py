"""The curated knowledge file and its loader: the packaged file is sound, lookups find the right entity,
malformed files are refused with the offending line, and name normalisation is stable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancegraph.errors import KnowledgeFileError
from alliancegraph.model import KnownEntity
from alliancegraph.resolve.knowledge import Knowledge, load_knowledge, normalize_name


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


def _entry(id: str, name: str, **fields: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": id,
        "name": name,
        "type": "ORG",
        "kind": "automaker",
        "aliases": [],
        "parent": None,
        "country": None,
        "wikidata": None,
        "founded": None,
        "dissolved": None,
    }
    entry.update(fields)
    return entry


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_knowledge_packaged_file_loads(knowledge: Knowledge) -> None:
    assert len(knowledge) > 700
    assert load_knowledge() is knowledge  # the default load is cached


def test_knowledge_has_sixty_carmakers(knowledge: Knowledge) -> None:
    makers = [e for e in knowledge.entities.values() if e.kind in ("automaker", "group")]
    assert len(makers) >= 60


def test_knowledge_every_parent_exists(knowledge: Knowledge) -> None:
    missing = [
        (e.id, e.parent) for e in knowledge.entities.values() if e.parent and e.parent not in knowledge
    ]
    assert missing == []


def test_knowledge_no_name_has_two_types(knowledge: Knowledge) -> None:
    types: dict[str, set[str]] = {}
    for surface, entity in knowledge.surface_forms():
        types.setdefault(normalize_name(surface), set()).add(entity.type)
    assert {key: t for key, t in types.items() if len(t) > 1} == {}


@pytest.mark.parametrize(
    "name,expected",
    [
        ("GM", "org:general-motors"),
        ("General Motors Corp", "org:general-motors"),
        ("General Motors Co.", "org:general-motors"),
        ("Volkswagen AG", "org:volkswagen-group"),
        ("VW", "org:volkswagen-group"),
        ("Mitsubishi Motors Corp", "org:mitsubishi-motors"),
        ("Mitsubishi", "org:mitsubishi-group"),
        ("Toyota Motor Corp.", "org:toyota"),
        ("Hyundai Motor Co Ltd", "org:hyundai-motor"),
        ("Hyundai Motor Group", "org:hyundai-motor-group"),
        ("Citroen", "brand:citroen"),
        ("Renault–Nissan–Mitsubishi Alliance", "alliance:renault-nissan"),
        ("Nissan Navara", "vehicle:nissan-navara"),
        ("  Qashqai ", "vehicle:nissan-qashqai"),
    ],
)
def test_knowledge_lookup_finds_entity(knowledge: Knowledge, name: str, expected: str) -> None:
    found = knowledge.lookup(name)
    assert found is not None and found.id == expected


@pytest.mark.parametrize("name", ["Acme Motors Corp", "", "Golf", "Focus"])
def test_knowledge_lookup_unknown_is_none(knowledge: Knowledge, name: str) -> None:
    assert knowledge.lookup(name) is None


@pytest.mark.parametrize(
    "entity_id,chain",
    [
        ("vehicle:vw-golf", ["brand:volkswagen", "org:volkswagen-group", "org:porsche-se"]),
        ("brand:chevrolet", ["org:general-motors"]),
        ("org:general-motors", []),
    ],
)
def test_knowledge_parent_chain(knowledge: Knowledge, entity_id: str, chain: list[str]) -> None:
    assert [e.id for e in knowledge.parent_chain(entity_id)] == chain


@pytest.mark.parametrize(
    "surface,entity_id", [("GM", "org:general-motors"), ("Renault-Nissan", "alliance:renault-nissan")]
)
def test_knowledge_surface_forms_list_aliases(knowledge: Knowledge, surface: str, entity_id: str) -> None:
    assert (surface, entity_id) in {(s, e.id) for s, e in knowledge.surface_forms()}


@pytest.mark.parametrize(
    "lines,bad_line,reason",
    [
        ([json.dumps(_entry("org:a", "A")), "{not json"], 2, "not valid JSON"),
        ([json.dumps({k: v for k, v in _entry("org:a", "A").items() if k != "kind"})], 1, "missing field"),
        ([json.dumps(_entry("org:a", "A", extra=1))], 1, "unknown field"),
        ([json.dumps(_entry("org:a", "A", type="CAR"))], 1, "unknown type"),
        ([json.dumps(_entry("org:a", "A", kind="carmaker"))], 1, "unknown kind"),
        ([json.dumps(_entry("org:a", "A")), "", json.dumps(_entry("org:a", "B"))], 3, "duplicate id"),
        (
            [
                json.dumps(_entry("org:a", "Astra")),
                json.dumps(
                    _entry("vehicle:b", "Opel Astra", type="VEHICLE", kind="vehicle", aliases=["ASTRA"])
                ),
            ],
            2,
            "also a name of ORG",
        ),
        (
            [
                json.dumps(_entry("org:a", "A")),
                json.dumps(_entry("brand:b", "B", kind="brand", parent="org:zzz")),
            ],
            2,
            "not a known id",
        ),
        (
            [
                json.dumps(_entry("org:a", "A", parent="org:b")),
                json.dumps(_entry("org:b", "B", parent="org:a")),
            ],
            1,
            "cycle",
        ),
        ([json.dumps(_entry("org:a", "A", founded="1990s"))], 1, "four-digit year"),
    ],
)
def test_knowledge_malformed_file_names_line(
    tmp_path: Path, lines: list[str], bad_line: int, reason: str
) -> None:
    path = _write(tmp_path / "bad.jsonl", lines)
    with pytest.raises(KnowledgeFileError) as caught:
        load_knowledge(path)
    assert caught.value.line == bad_line
    assert caught.value.source == str(path)
    assert reason in caught.value.reason
    assert f"line {bad_line}" in str(caught.value)


@pytest.mark.parametrize(
    "lines,name,expected",
    [
        # a key shared by two entities of one type finds the one listed first
        (
            [json.dumps(_entry("org:group", "Volvo Group")), json.dumps(_entry("org:cars", "Volvo"))],
            "Volvo AB",
            "org:group",
        ),
        (
            [json.dumps(_entry("org:group", "Volvo Group")), json.dumps(_entry("org:cars", "Volvo"))],
            "Volvo",
            "org:cars",
        ),
    ],
)
def test_knowledge_shared_key_prefers_exact_then_first(
    tmp_path: Path, lines: list[str], name: str, expected: str
) -> None:
    knowledge = load_knowledge(_write(tmp_path / "k.jsonl", lines))
    found = knowledge.lookup(name)
    assert found is not None and found.id == expected


@pytest.mark.parametrize(
    "name,expected",
    [
        ("General Motors Co.", "general motors"),
        ("Mitsubishi Motors Corp", "mitsubishi motors"),
        ("Škoda Auto a.s.", "skoda auto"),
        ("Peugeot S.A.", "peugeot"),
        ("Mahindra & Mahindra Ltd", "mahindra and mahindra"),
        ("The Goodyear Tire & Rubber Company", "goodyear tire and rubber"),
        ("Renault-Nissan", "renault nissan"),
        ("Group", "group"),
    ],
)
def test_knowledge_normalize_name_examples(name: str, expected: str) -> None:
    assert normalize_name(name) == expected


@given(st.text())
def test_knowledge_normalize_name_is_idempotent(name: str) -> None:
    once = normalize_name(name)
    assert normalize_name(once) == once


@pytest.mark.parametrize(
    "entities",
    [[KnownEntity("org:a", "A", "ORG", "automaker"), KnownEntity("org:a", "B", "ORG", "automaker")]],
)
def test_knowledge_class_refuses_duplicate_ids(entities: list[KnownEntity]) -> None:
    with pytest.raises(ValueError, match="Duplicate"):
        Knowledge(entities)

"""Writing articles and their facts to the store: round trips, idempotence, replacement, atomicity."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import OperationalError

from alliancegraph.errors import StoreError
from alliancegraph.model import RELATIONS, STATUSES, Article, Entity, Evidence, Fact, ResolvedFact
from alliancegraph.query import open_graph
from alliancegraph.resolve.entities import canonical_key
from alliancegraph.store import Store, text_hash

TYPES = {
    "Acme": "ORG",
    "Borealis": "ORG",
    "Corvan": "ORG",
    "Dunmore": "ORG",
    "Acme Falcon": "VEHICLE",
    "Tarn plant": "PLANT",
    "Norland": "PLACE",
    "Jo Quill": "PERSON",
}


def ent(name: str) -> Entity:
    etype = TYPES.get(name, "ORG")
    return Entity(id=f"{etype.lower()}:{name.lower().replace(' ', '-')}", name=name, type=etype)


def make_article(doc: str, sentences: list[str], published: date | None = date(2012, 5, 1)) -> Article:
    return Article(
        id=doc,
        text=" ".join(sentences),
        title=f"Title of {doc}",
        published=published,
        url=f"https://news.example/{doc}",
        source="example",
    )


def rfact(
    article: Article, sentence: str, relation: str, head: str, tail: str | None, **kw: object
) -> ResolvedFact:
    start = article.text.index(sentence)
    evidence = Evidence(doc=article.id, text=sentence, start=start, end=start + len(sentence))
    fact = Fact(relation=relation, head=head, tail=tail, evidence=evidence, **kw)  # type: ignore[arg-type]
    return ResolvedFact(fact=fact, head=ent(head), tail=ent(tail) if tail is not None else None)


S1 = "Acme and Borealis formed an alliance."
S2 = "Acme owns a 20% stake in Corvan."
S3 = "The Acme Falcon is built at the Tarn plant."
S4 = "Jo Quill is chief executive of Acme."


def sample(doc: str = "d1", published: date | None = date(2012, 5, 1)) -> tuple[Article, list[ResolvedFact]]:
    art = make_article(doc, [S1, S2, S3, S4], published)
    return art, [
        rfact(art, S1, "partner_of", "Acme", "Borealis"),
        rfact(art, S2, "owns", "Acme", "Corvan", attributes=(("share", "20%"),)),
        rfact(art, S3, "produced_at", "Acme Falcon", "Tarn plant", future=True, time="2013"),
        rfact(
            art,
            S4,
            "role_at",
            "Jo Quill",
            "Acme",
            status="reported",
            attributes=(("title", "chief executive"),),
        ),
    ]


def counts(db: str) -> dict[str, int]:
    with Store.open(db) as store:
        return store.counts()


@pytest.mark.parametrize("published", [date(2012, 5, 1), None])
def test_store_round_trip(tmp_db, published):
    art, facts = sample(published=published)
    with Store.open(tmp_db) as store:
        assert store.write_article(art, facts) is True
        assert store.has_document(art.id, text_hash(art.text))
    with open_graph(tmp_db) as graph:
        assert sorted(graph.interchange(art.id), key=json.dumps) == sorted(
            (rf.fact.to_interchange() for rf in facts), key=json.dumps
        )
        views = graph.facts()
    assert counts(tmp_db) == {"documents": 1, "entities": 6, "facts": 4, "evidence": 4}
    owns = next(v for v in views if v.relation == "owns")
    assert (owns.head, owns.tail, owns.attribute("share")) == ("Acme", "Corvan", "20%")
    [ev] = owns.evidence
    assert (ev.doc, ev.title, ev.published, ev.url, ev.sentence) == (
        art.id,
        art.title,
        published,
        art.url,
        S2,
    )
    assert art.text[ev.start : ev.end] == S2


@pytest.mark.parametrize("writes", [2, 3])
def test_store_reingest_same_article_changes_nothing(tmp_db, writes):
    art, facts = sample()
    with Store.open(tmp_db) as store:
        results = [store.write_article(art, facts) for _ in range(writes)]
    assert results == [True] + [False] * (writes - 1)
    assert counts(tmp_db) == {"documents": 1, "entities": 6, "facts": 4, "evidence": 4}


@pytest.mark.parametrize("other_doc_shares_partnership", [False, True])
def test_store_changed_article_replaces_its_evidence(tmp_db, other_doc_shares_partnership):
    art, facts = sample()
    with Store.open(tmp_db) as store:
        store.write_article(art, facts)
        if other_doc_shares_partnership:
            other = make_article("d2", ["Borealis said it would keep working with Acme."])
            store.write_article(other, [rfact(other, other.text, "partner_of", "Borealis", "Acme")])
        changed = make_article("d1", ["A correction was added.", S2, S4])
        assert store.write_article(changed, [rfact(changed, S2, "owns", "Acme", "Corvan")]) is True
        assert store.has_document("d1", text_hash(changed.text))
        assert not store.has_document("d1", text_hash(art.text))
    with open_graph(tmp_db) as graph:
        by_relation = {v.relation: v for v in graph.facts()}
        assert [(e["relation"], e["evidence"]["start"]) for e in graph.interchange("d1")] == [
            ("owns", changed.text.index(S2))
        ]
    expected = {"owns"} | ({"partner_of"} if other_doc_shares_partnership else set())
    assert set(by_relation) == expected
    assert [e.doc for e in by_relation["owns"].evidence] == ["d1"]
    # the replaced evidence carried the share; the new one does not
    assert by_relation["owns"].attributes == ()
    if other_doc_shares_partnership:
        assert [e.doc for e in by_relation["partner_of"].evidence] == ["d2"]


@pytest.mark.parametrize(
    "failing_step", ["_upsert_entities", "_insert_facts", "_insert_evidence", "_consolidate"]
)
@pytest.mark.parametrize(
    "error", [RuntimeError("disk on fire"), OperationalError("INSERT", {}, Exception("locked"))]
)
def test_store_writes_one_article_in_one_transaction(tmp_db, monkeypatch, failing_step, error):
    first, first_facts = sample("d1")
    with Store.open(tmp_db) as store:
        store.write_article(first, first_facts)
    before = counts(tmp_db)

    second = make_article("d2", ["Dunmore bought Corvan outright.", "Dunmore and Borealis signed a deal."])
    second_facts = [
        rfact(second, "Dunmore bought Corvan outright.", "owns", "Dunmore", "Corvan"),
        rfact(second, "Dunmore and Borealis signed a deal.", "partner_of", "Dunmore", "Borealis"),
    ]
    original = getattr(Store, failing_step)

    def fail_after_running(self, conn, *args):
        original(self, conn, *args)  # the statements really ran inside the transaction...
        raise error  # ...and then the write fails

    monkeypatch.setattr(Store, failing_step, fail_after_running)
    with (
        Store.open(tmp_db) as store,
        pytest.raises(StoreError if isinstance(error, OperationalError) else RuntimeError),
    ):
        store.write_article(second, second_facts)
    monkeypatch.undo()

    assert counts(tmp_db) == before
    with Store.open(tmp_db) as store:
        assert not store.has_document("d2", text_hash(second.text))
        assert store.entity_row("org:dunmore") is None
        assert store.has_document("d1", text_hash(first.text))
    with open_graph(tmp_db) as graph:
        assert sorted(graph.interchange("d1"), key=json.dumps) == sorted(
            (rf.fact.to_interchange() for rf in first_facts), key=json.dumps
        )
    # once the cause is gone, the article goes in whole
    with Store.open(tmp_db) as store:
        assert store.write_article(second, second_facts) is True


def _broken(art: Article, case: str) -> ResolvedFact:
    good = rfact(art, S1, "partner_of", "Acme", "Borealis")
    fact = good.fact
    evidence = {
        "no evidence": None,
        "blank sentence": Evidence(art.id, "  ", 0, 2),
        "other document": Evidence("elsewhere", S1, 0, len(S1)),
        "offsets outside text": Evidence(art.id, S1, 0, len(art.text) + 5),
    }.get(case, fact.evidence)
    relation = "befriends" if case == "unknown relation" else fact.relation
    status = "rumoured" if case == "unknown status" else fact.status
    tail = None if case == "missing tail" else good.tail
    broken = Fact(relation=relation, head=fact.head, tail=fact.tail, evidence=evidence, status=status)  # type: ignore[arg-type]
    return ResolvedFact(fact=broken, head=good.head, tail=tail)


@pytest.mark.parametrize(
    "case",
    [
        "no evidence",
        "blank sentence",
        "other document",
        "offsets outside text",
        "unknown relation",
        "unknown status",
        "missing tail",
    ],
)
def test_store_rejects_malformed_facts_before_writing(tmp_db, case):
    art, facts = sample()
    with Store.open(tmp_db) as store, pytest.raises(StoreError, match=art.id):
        store.write_article(art, [*facts, _broken(art, case)])
    assert counts(tmp_db) == {"documents": 0, "entities": 0, "facts": 0, "evidence": 0}


@pytest.mark.parametrize(
    "order,expected_status,expected_future",
    [(("early", "late"), "confirmed", False), (("late", "early"), "confirmed", False)],
)
def test_store_consolidates_facts_across_documents(tmp_db, order, expected_status, expected_future):
    arts = {
        "early": (
            make_article("early", ["Acme may buy Corvan."], date(2010, 3, 1)),
            dict(status="reported", future=True, time="2010", attributes=(("share", "10%"),)),
        ),
        "late": (
            make_article("late", ["Acme now owns Corvan."], date(2011, 7, 9)),
            dict(status="confirmed", future=False, time="../2011"),
        ),
    }
    with Store.open(tmp_db) as store:
        for name in order:
            art, kw = arts[name]
            store.write_article(art, [rfact(art, art.text, "owns", "Acme", "Corvan", **kw)])
    with open_graph(tmp_db) as graph:
        [view] = graph.facts()
    assert (view.status, view.future) == (expected_status, expected_future)
    assert view.time == "2010"  # as specific as "../2011", and a single date beats an interval
    assert (view.first_seen, view.last_seen) == (date(2010, 3, 1), date(2011, 7, 9))
    assert view.attribute("share") == "10%"
    assert [e.doc for e in view.evidence] == ["early", "late"]


@pytest.mark.parametrize(
    "times,expected",
    [
        (["2010", "2010-04", "../2019"], "2010-04"),
        (["../2019", "2019"], "2019"),
        (["2010-04-05", "2011"], "2010-04-05"),
    ],
)
def test_store_keeps_the_most_specific_valid_time(tmp_db, times, expected):
    with Store.open(tmp_db) as store:
        for i, time in enumerate(times):
            art = make_article(f"t{i}", [f"Acme and Borealis agreed a deal, part {i}."], date(2015, 1, 1 + i))
            store.write_article(art, [rfact(art, art.text, "partner_of", "Acme", "Borealis", time=time)])
    with open_graph(tmp_db) as graph:
        [view] = graph.facts()
    assert view.time == expected


@pytest.mark.parametrize(
    "first,second",
    [
        (("owns", "Acme", "Corvan"), ("part_of", "Corvan", "Acme")),
        (("partner_of", "Acme", "Borealis"), ("partner_of", "Borealis", "Acme")),
    ],
)
def test_store_one_fact_row_for_equivalent_facts(tmp_db, first, second):
    a = make_article("a", ["One sentence here."])
    b = make_article("b", ["Another sentence."])
    with Store.open(tmp_db) as store:
        store.write_article(a, [rfact(a, a.text, *first)])
        store.write_article(b, [rfact(b, b.text, *second)])
    with open_graph(tmp_db) as graph:
        [view] = graph.facts()
        per_doc = {row["doc"]: row["relation"] for row in graph.interchange()}
    assert view.relation == first[0]
    assert per_doc == {"a": first[0], "b": second[0]}  # each document keeps the relation it stated


@pytest.mark.parametrize("as_url", [False, True])
def test_store_open_sqlite_path_or_url_with_wal_and_foreign_keys(sqlite_db, as_url):
    with Store.open(f"sqlite:///{sqlite_db}" if as_url else sqlite_db) as store:
        store.write_article(*sample())
    con = sqlite3.connect(sqlite_db)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        con.close()
    with Store.open(sqlite_db) as store, store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_store_sqlite_connections_use_wal_with_synchronous_normal(sqlite_db):
    # synchronous is a setting of each connection, not of the file: ask connections of the store.
    with Store.open(sqlite_db) as store:
        store.write_article(*sample())
    for create in (True, False):  # the store that made the file, and a fresh one opening it
        with Store.open(sqlite_db, create=create) as store, store._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


@pytest.mark.parametrize("problem", ["folder is a file", "not a database", "missing with create=False"])
def test_store_open_errors_name_the_path(tmp_path, problem):
    if problem == "folder is a file":
        (tmp_path / "plain").write_text("x")
        target, create = tmp_path / "plain" / "graph.db", True
    elif problem == "not a database":
        target, create = tmp_path / "garbage.db", True
        target.write_bytes(b"this is not sqlite at all, just some bytes" * 100)
    else:
        target, create = tmp_path / "absent.db", False
    with pytest.raises(StoreError, match=str(target.name)):
        Store.open(target, create=create)


@pytest.mark.parametrize("url", ["notadialect://somewhere/db"])
def test_store_open_bad_url(url):
    with pytest.raises(StoreError, match="notadialect"):
        Store.open(url)


# -- the same answers on SQLite and PostgreSQL --------------------------------------------------------

NAMED = [
    Entity(id="org:skoda", name="Škoda Auto", type="ORG", aliases=("ŠKODA", "Skoda")),
    Entity(id="org:acme", name="Acme", type="ORG", aliases=("AMC", "acme group", "Ácme", "_acme", "Acme-Z")),
]


def named_article(doc: str = "n1") -> tuple[Article, list[ResolvedFact]]:
    art = make_article(doc, ["ŠKODA and Acme agreed a 100% deal_2 (Acme's \\ first)."])
    fact = Fact(
        relation="partner_of",
        head="ŠKODA",
        tail="Acme",
        evidence=Evidence(doc=art.id, text=art.text, start=0, end=len(art.text)),
    )
    return art, [ResolvedFact(fact=fact, head=NAMED[0], tail=NAMED[1])]


@pytest.mark.parametrize(
    "typed,expected,facts_by_text",
    [
        ("škoda", ["org:skoda"], 1),  # in the sentence as ŠKODA, and in the name Škoda Auto
        ("ŠKODA AUTO", ["org:skoda"], 1),
        ("ácme", ["org:acme"], 0),  # an alias only: the text filter reads sentences and names
        ("amc", ["org:acme"], 0),
    ],
)
def test_store_matches_names_in_any_case_beyond_ascii(tmp_db, typed, expected, facts_by_text):
    with Store.open(tmp_db) as store:
        store.write_article(*named_article())
        assert [r["id"] for r in store.search_names(typed, "", 5)] == expected
        assert [r["id"] for r in store.search_names(typed.upper(), "", 5)] == expected
        assert [r["id"] for r in store.match_entities(alias=typed)] == expected
        assert [r["id"] for r in store.match_entities(alias=typed.upper())] == expected
        assert len(store.fact_rows(text=typed)) == len(store.fact_rows(text=typed.upper())) == facts_by_text


@pytest.mark.parametrize(
    "text,hits", [("100%", 1), ("%", 1), ("1_0", 0), ("deal_2", 1), ("\\", 1), ("_x", 0)]
)
def test_store_text_search_takes_wildcards_literally(tmp_db, text, hits):
    with Store.open(tmp_db) as store:
        store.write_article(*named_article())
        assert len(store.fact_rows(text=text)) == hits


def test_store_orders_text_by_code_point(tmp_db):
    with Store.open(tmp_db) as store:
        store.write_article(*named_article())
        aliases = store.entity_aliases("org:acme")
        assert aliases == sorted(aliases) and {"AMC", "Acme", "_acme", "acme group", "Ácme"} <= set(aliases)
        pairs = [(r["entity_id"], r["alias"]) for r in store.alias_rows()]
        assert pairs == sorted(pairs)
        assert [r["matched"] for r in store.search_names("acme", "", 10)] == ["Acme"]


@pytest.mark.parametrize(
    "case,message",
    [
        ("NUL in the text", "NUL character"),
        ("NUL in a name", "NUL character"),
        ("document id over the limit", "longer than 1000 bytes"),
        ("entity id over the limit", "longer than 1000 bytes"),
    ],
)
def test_store_refuses_what_one_database_could_not_hold(tmp_db, case, message):
    art, facts = sample()
    if case == "NUL in the text":
        art = make_article("d1", [S1, S2 + "\x00", S3, S4])
        facts = [rfact(art, S1, "partner_of", "Acme", "Borealis")]
    elif case == "NUL in a name":
        facts = [rfact(art, S1, "partner_of", "Acme", "Borealis")]
        facts = [
            ResolvedFact(fact=facts[0].fact, head=Entity("org:acme", "Ac\x00me", "ORG"), tail=facts[0].tail)
        ]
    elif case == "document id over the limit":
        art, facts = sample("é" * 501)  # 1002 bytes in UTF-8
    else:
        facts = [
            ResolvedFact(
                fact=facts[0].fact, head=Entity("org:" + "a" * 1000, "Acme", "ORG"), tail=facts[0].tail
            )
        ]
    with Store.open(tmp_db) as store, pytest.raises(StoreError, match=message):
        store.write_article(art, facts)
    assert counts(tmp_db) == {"documents": 0, "entities": 0, "facts": 0, "evidence": 0}


def test_store_keeps_long_ids_and_drops_only_unindexable_aliases(tmp_db):
    art, facts = sample("d" * 600)  # longer than the old VARCHAR(512), which PostgreSQL enforced
    long_alias = "Acme " + "x" * 1000
    first = facts[0]
    head = Entity(id="org:" + "a" * 900, name="Acme", type="ORG", aliases=(long_alias, "Acme Co"))
    facts[0] = ResolvedFact(fact=first.fact, head=head, tail=first.tail)
    with Store.open(tmp_db) as store:
        assert store.write_article(art, facts)
        assert store.document_ids() == [art.id]
        assert store.entity_aliases(head.id) == ["Acme", "Acme Co"]


@pytest.mark.parametrize("writers,articles", [(2, 6)])
def test_store_concurrent_writers_wait_for_each_other(tmp_db, writers, articles):
    """Writers of one store in parallel: none fails, and every fact is consolidated from all evidence."""
    Store.open(tmp_db).close()
    barrier = threading.Barrier(writers)
    results: list[bool | Exception] = []

    def write(n: int) -> None:
        with Store.open(tmp_db) as store:
            barrier.wait()
            for i in range(articles):
                sentence = f"Acme and Borealis renewed their alliance, {n}.{i}."
                art = make_article(f"w{n}-{i}", [sentence], date(2010, 1 + i, 1 + n))
                try:
                    results.append(
                        store.write_article(art, [rfact(art, art.text, "partner_of", "Acme", "Borealis")])
                    )
                except Exception as e:  # noqa: BLE001 - collected and shown below
                    results.append(e)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert results == [True] * (writers * articles)
    with open_graph(tmp_db) as graph:
        [view] = graph.facts()
    assert len(view.evidence) == writers * articles
    assert (view.first_seen, view.last_seen) == (date(2010, 1, 1), date(2010, articles, writers))


NAMES = sorted(TYPES)
SENTENCE = st.text(alphabet="abcdefghij .,", min_size=1, max_size=30).filter(lambda s: s.strip())


@st.composite
def articles(draw):
    """A few articles with facts between a handful of names, in any relation, status and time."""
    out = []
    for n in range(draw(st.integers(1, 3))):
        sentences = [f"Sentence {n}.{i} {draw(SENTENCE)}" for i in range(draw(st.integers(1, 4)))]
        art = make_article(
            f"doc{n}", sentences, draw(st.none() | st.dates(date(2000, 1, 1), date(2020, 12, 31)))
        )
        facts = []
        for _ in range(draw(st.integers(0, 5))):
            relation = draw(st.sampled_from(RELATIONS))
            head = draw(st.sampled_from(NAMES))
            tail = draw(
                st.sampled_from([n for n in NAMES if n != head] + ([None] if relation == "launch" else []))
            )
            attrs = draw(st.sampled_from([(), (("share", "5%"),), (("title", "chair"),)]))
            facts.append(
                rfact(
                    art,
                    draw(st.sampled_from(sentences)),
                    relation,
                    head,
                    tail,
                    status=draw(st.sampled_from(STATUSES)),
                    future=draw(st.booleans()),
                    time=draw(st.sampled_from([None, "2010", "2011-02", "../2019"])),
                    attributes=attrs,
                )
            )
        out.append((art, facts))
    return out


def _first_per_fact(facts: list[ResolvedFact]) -> list[ResolvedFact]:
    """What the store keeps of one document: the first evidence (by offset) of each fact."""
    kept: dict[tuple[str, str, str | None], ResolvedFact] = {}
    seen_spans = set()
    for rf in facts:
        key = canonical_key(rf.fact.relation, rf.head.id, rf.tail.id if rf.tail else None)
        span = (key, rf.fact.evidence.start)
        if span in seen_spans:
            continue
        seen_spans.add(span)
        if key not in kept or rf.fact.evidence.start < kept[key].fact.evidence.start:
            kept[key] = rf
    return list(kept.values())


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(batch=articles())
def test_store_round_trip_property(store_locations, batch):
    db = store_locations()  # a new store for every example
    with Store.open(db) as store:
        for art, facts in batch:
            assert store.write_article(art, facts)
        for art, facts in batch:
            assert not store.write_article(art, facts)
    with open_graph(db) as graph:
        for art, facts in batch:
            got = sorted(graph.interchange(art.id), key=json.dumps)
            assert got == sorted((rf.fact.to_interchange() for rf in _first_per_fact(facts)), key=json.dumps)
        stored = graph.facts()
        distinct = {
            canonical_key(rf.fact.relation, rf.head.id, rf.tail.id if rf.tail else None)
            for _, facts in batch
            for rf in facts
        }
        assert len(stored) == len(distinct)
        assert all(view.evidence for view in stored)

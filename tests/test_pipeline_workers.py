"""Extraction on worker processes (issue 6): the same store as one process, in input order, with a
bounded number of batches in flight; a failing article is recorded, never a hang; the settings that
choose workers and triage. Every text is written for these tests."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from alliancegraph.config import Settings, load_settings
from alliancegraph.extract import workers
from alliancegraph.extract.workers import READ_AHEAD, ExtractionPool, extract_batch
from alliancegraph.model import Article
from alliancegraph.pipeline import extract_facts, run
from alliancegraph.query import open_graph

TEXTS = [
    "Toyota and Mazda announced an alliance on Tuesday to develop hybrid engines. Sales rose 2 percent.",
    "Renault holds a 43 percent stake in Nissan. Carlos Ghosn, chief executive of Renault, said the ties "
    "would deepen.",
    "Hyundai will supply engines to Kia for its small cars. Kia will make the engines in Ulsan, South Korea.",
    "Volkswagen said on Wednesday it would buy a 19.9 percent stake in Suzuki. Its shares rose 4 percent.",
    "The weather was mild in October. Steel prices rose 3 percent last month.",
]


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i, text in enumerate(TEXTS):
        (folder / f"a{i}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


def _snapshot(db: str) -> tuple[dict, list]:
    with open_graph(db) as graph:
        return graph.stats().to_dict(), sorted(graph.interchange(), key=repr)


@pytest.mark.model
@pytest.mark.slow
def test_issue_6_workers_store_what_one_process_stores(tmp_path):
    folder = _corpus(tmp_path)
    one = run([folder], Settings(db=str(tmp_path / "one.db"), workers=1, batch_size=2))
    two = run([folder], Settings(db=str(tmp_path / "two.db"), workers=2, batch_size=2))
    assert (one.documents, one.facts, one.entities, one.skipped) == (
        two.documents,
        two.facts,
        two.entities,
        [],
    )
    assert one.facts > 0
    stats_one, rows_one = _snapshot(str(tmp_path / "one.db"))
    stats_two, rows_two = _snapshot(str(tmp_path / "two.db"))
    assert stats_one == stats_two
    assert [{k: v for k, v in r.items() if k != "id"} for r in rows_one] == [
        {k: v for k, v in r.items() if k != "id"} for r in rows_two
    ]


@pytest.mark.model
@pytest.mark.slow
def test_issue_6_workers_keep_input_order_and_few_batches_in_flight():
    taken = []

    def batches():
        for i, text in enumerate(TEXTS * 8):
            taken.append(i)
            yield i, [Article(id=f"a{i}", text=text)]

    seen = []
    with ExtractionPool(workers=2) as pool:
        for key, batch, outcomes in pool.map(batches()):
            # the batches read while the workers started, then two per worker ahead of the writer
            assert len(taken) - key <= max(2 * 2, READ_AHEAD * 2 - key)
            seen.append(key)
            assert batch[0].id == f"a{key}" and not isinstance(outcomes[0], str)
    assert seen == list(range(len(TEXTS) * 8))


@pytest.mark.model
@pytest.mark.slow
def test_issue_6_reads_a_bounded_number_of_batches_while_the_workers_start(monkeypatch):
    gate = threading.Event()
    taken: list[int] = []
    read_before_start: list[int] = []
    start_workers = workers._start_workers

    def slow_start(executor, count):
        gate.wait(60)
        start_workers(executor, count)

    def open_gate():
        time.sleep(1.0)  # the reader has long reached its bound, and waits
        read_before_start.append(len(taken))
        gate.set()

    def batches():
        for i in range(READ_AHEAD * 2 + 10):
            taken.append(i)
            yield i, [Article(id=f"a{i}", text=TEXTS[i % len(TEXTS)])]

    monkeypatch.setattr(workers, "_start_workers", slow_start)
    threading.Thread(target=open_gate, daemon=True).start()
    with ExtractionPool(workers=2) as pool:
        keys = [key for key, _, _ in pool.map(batches())]
    assert read_before_start == [READ_AHEAD * 2]
    assert keys == list(range(READ_AHEAD * 2 + 10))


@pytest.mark.model
@pytest.mark.slow
def test_issue_6_every_worker_starts_before_the_first_batch_is_sent(monkeypatch):
    started: list[int] = []
    submit = ExtractionPool._submit

    def counting_submit(executor, batch):
        started.append(len(executor._processes))
        return submit(executor, batch)

    monkeypatch.setattr(ExtractionPool, "_submit", staticmethod(counting_submit))
    with ExtractionPool(workers=2) as pool:
        keys = [
            key for key, _, _ in pool.map((i, [Article(id=f"a{i}", text=t)]) for i, t in enumerate(TEXTS))
        ]
    assert started[0] == 2
    assert keys == list(range(len(TEXTS)))


class _Breaks:
    """An extractor whose batch pass fails and which fails on one article of its own."""

    def extract_many(self, articles, batch_size=16):
        raise RuntimeError("the batch broke")

    def extract(self, article):
        if article.id == "bad":
            raise ValueError("this article breaks a rule")
        return []


def test_issue_6_one_failing_article_is_recorded_and_the_rest_extracted():
    articles = [Article(id="ok1", text="x"), Article(id="bad", text="y"), Article(id="ok2", text="z")]
    outcomes = extract_batch(_Breaks(), articles)  # type: ignore[arg-type]
    assert outcomes[0] == [] and outcomes[2] == []
    assert isinstance(outcomes[1], str) and "this article breaks a rule" in outcomes[1]
    with pytest.raises(RuntimeError):
        extract_batch(_Breaks(), articles, raise_errors=True)  # type: ignore[arg-type]


@pytest.mark.model
def test_issue_6_extract_facts_streams_and_reports_what_it_skips(tmp_path, extractor):
    folder = _corpus(tmp_path)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    skipped: list = []
    got = list(extract_facts([folder], extractor=extractor, skipped=skipped, settings=Settings(batch_size=2)))
    assert [a.id for a, _ in got] == [f"a{i}" for i in range(len(TEXTS))]
    assert len(skipped) == 1


def test_issue_6_settings_choose_workers_and_triage(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert Settings().triage is True
    assert 1 <= Settings().workers <= 4
    monkeypatch.setenv("ALLIANCEGRAPH_WORKERS", "1")
    monkeypatch.setenv("ALLIANCEGRAPH_TRIAGE", "false")
    settings = load_settings()
    assert (settings.workers, settings.triage) == (1, False)
    assert load_settings(workers=3).workers == 3


def _children(pid: int) -> list[int]:
    """The processes `pid` started, and theirs (workers fork from a fork server the ingest started)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    out: list[int] = []
    frontier = [pid]
    while frontier:
        found = [child for child, parent in parents.items() if parent in frontier]
        out += found
        frontier = found
    return out


def _running(pid: int) -> bool:
    """Whether a process exists and is not a zombie (dead, waiting to be reaped)."""
    try:
        return (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_issue_6_workers_end_when_the_ingest_is_killed(tmp_path):
    import multiprocessing
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(400):
        (folder / f"a{i:03d}.txt").write_text(TEXTS[i % len(TEXTS)] + f" Item {i}.\n", encoding="utf-8")
    script = Path(sys.executable).with_name("alliancegraph")
    ingest = subprocess.Popen(
        [str(script), "ingest", str(folder), "--db", str(tmp_path / "k.db"), "--batch-size", "4"]
    )
    try:
        deadline = time.monotonic() + 120
        # two workers, and with the fork server that forks them, the server and the resource tracker
        expected = 4 if "forkserver" in multiprocessing.get_all_start_methods() else 2
        while len(workers := _children(ingest.pid)) < expected and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(workers) >= expected, "the ingest should have started its workers"
    finally:
        ingest.send_signal(signal.SIGKILL)
        ingest.wait()
    deadline = time.monotonic() + 15
    while (alive := [p for p in workers if _running(p)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    for p in alive:  # do not leave them behind if the test fails
        os.kill(p, signal.SIGKILL)
    assert alive == []


def test_issue_6_a_worker_tells_its_ingest_from_a_process_that_took_its_pid():
    import os
    import subprocess
    import sys

    from alliancegraph.extract.workers import _running, _stat

    me = os.getpid()
    born = _stat(me)[1]
    assert _running(me, born)
    assert not _running(me, "0")  # the same pid, started at another time: not the ingest
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    assert not _running(done.pid, born)


def test_issue_6_the_ingesting_process_does_not_load_spacy_to_hand_work_to_workers():
    """Loading spaCy costs two seconds; with workers only they need it (they fork from a server
    that loaded it once)."""
    import subprocess
    import sys

    code = "import sys, alliancegraph.cli, alliancegraph.pipeline; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.model
@pytest.mark.slow
def test_issue_6_with_a_fork_server_even_one_batch_goes_to_a_worker():
    """The fork server starts loading the pipeline when the pool is entered, so a single batch is
    extracted by a worker forked from it, and this process never loads spaCy."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from alliancegraph.extract.workers import ExtractionPool\n"
        "from alliancegraph.model import Article\n"
        f"batch = [Article(id='a', text={TEXTS[1]!r})]\n"
        "with ExtractionPool(workers=2) as pool:\n"
        "    [(_, _, outcomes)] = list(pool.map([(0, batch)]))\n"
        "print(len(outcomes[0]) > 0, 'spacy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"]

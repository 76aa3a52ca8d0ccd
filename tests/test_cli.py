"""The `alliancegraph` command, run in-process with Typer's CliRunner on small articles written for the
tests (the `news_dir` fixture: a JSON record, a text page, a JSON Lines file with one malformed line and
a binary file). Every test has its own store under tmp_path."""

from __future__ import annotations

import json
import re

import pytest
import typer
from typer.testing import CliRunner

from alliancegraph.cli import app
from alliancegraph.ingest import iter_articles
from alliancegraph.model import RELATIONS, STATUSES, Article

INTERCHANGE_KEYS = {"doc", "relation", "head", "tail", "status", "future", "time", "evidence"}
ATTRIBUTE_KEYS = {"share", "title"}
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "cli.db")


@pytest.fixture
def ingested(runner, news_dir, db) -> str:
    """The store after one ingest of `news_dir`."""
    result = runner.invoke(app, ["ingest", str(news_dir), "--db", db])
    assert result.exit_code == 0, result.output
    return db


def _flat(text: str) -> str:
    return " ".join(text.split())


def _stats(runner: CliRunner, db: str) -> dict[str, int]:
    result = runner.invoke(app, ["stats", "--db", db])
    assert result.exit_code == 0, result.output
    words = result.stdout.split()
    return {k: int(v) for k, v in zip(words[::2], words[1::2], strict=True)}


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.model
def test_cli_ingest_prints_counts_and_skipped_reasons(runner, news_dir, db):
    result = runner.invoke(app, ["ingest", str(news_dir), "--db", db])
    assert result.exit_code == 0, result.output
    out = _flat(result.stdout)
    assert re.search(
        r"documents 3 \(unchanged 0\), skipped 2, new entities [1-9]\d*, new facts [1-9]\d*", out
    ), out
    assert "binary data" in result.stderr
    assert "line 2 is not valid JSON" in result.stderr
    assert _stats(runner, db)["documents"] == 3


@pytest.mark.model
def test_cli_ingest_again_adds_nothing(runner, news_dir, ingested):
    before = _stats(runner, ingested)
    result = runner.invoke(app, ["ingest", str(news_dir), "--db", ingested])
    assert result.exit_code == 0, result.output
    assert "documents 0 (unchanged 3), skipped 2, new entities 0, new facts 0" in _flat(result.stdout)
    assert _stats(runner, ingested) == before


@pytest.mark.model
def test_cli_ingest_skipped_lines_name_the_input(runner, news_dir, db):
    result = runner.invoke(app, ["ingest", str(news_dir), "--db", db])
    stderr = _flat(result.stderr)
    assert "photo.txt: binary data" in stderr
    assert "wire.jsonl:2: line 2 is not valid JSON" in stderr
    assert "Fix or remove the skipped inputs and re-run; stored articles are kept." in stderr


@pytest.mark.model
def test_cli_extract_jsonl_is_fact_interchange(runner, news_dir):
    result = runner.invoke(app, ["extract", str(news_dir), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = _jsonl(result.stdout)
    articles = {a.id: a for a in iter_articles([news_dir]) if isinstance(a, Article)}
    assert set(articles) == {"kia-zilina", "toyota-mazda", "honda-isuzu"}
    assert rows
    for row in rows:
        assert set(row) >= INTERCHANGE_KEYS and set(row) - INTERCHANGE_KEYS <= ATTRIBUTE_KEYS, row
        assert row["relation"] in RELATIONS
        assert row["status"] in STATUSES
        assert isinstance(row["future"], bool)
        assert row["time"] is None or isinstance(row["time"], str)
        assert isinstance(row["head"], str) and (row["tail"] is None or isinstance(row["tail"], str))
        ev = row["evidence"]
        assert set(ev) == {"text", "start", "end"}
        assert articles[row["doc"]].text[ev["start"] : ev["end"]] == ev["text"]
    triples = {(r["relation"], r["head"], r["tail"]) for r in rows}
    assert ("supplies", "Honda", "Isuzu") in triples
    [stake] = [r for r in rows if r["relation"] == "owns"]
    assert (stake["doc"], stake["head"], stake["tail"], stake["share"]) == (
        "toyota-mazda",
        "Toyota",
        "Mazda",
        "5%",
    )
    # the "Related stories" list after the article states nothing
    assert not [
        r for r in rows if r["relation"] == "partner_of" and {"Ford", "Kia"} <= {r["head"], r["tail"]}
    ]
    assert "binary data" in result.stderr and "not valid JSON" in result.stderr


@pytest.mark.model
def test_cli_extract_triage_and_workers_do_not_change_the_facts(runner, news_dir):
    """--no-triage parses every sentence, --workers 2 spreads the articles: the facts stay the same."""
    runs = [
        runner.invoke(app, ["extract", str(news_dir), *args])
        for args in ([], ["--no-triage", "--workers", "1"], ["--workers", "2"])
    ]
    assert all(r.exit_code == 0 for r in runs), [r.output for r in runs]
    first, *others = (sorted(_jsonl(r.stdout), key=json.dumps) for r in runs)
    assert first and all(o == first for o in others)


@pytest.mark.model
def test_cli_extract_one_line_per_distinct_fact(runner, news_dir):
    result = runner.invoke(app, ["extract", str(news_dir)])
    rows = _jsonl(result.stdout)
    keys = [(r["doc"], r["relation"], r["head"], r["tail"]) for r in rows]
    assert len(keys) == len(set(keys))


@pytest.mark.model
@pytest.mark.parametrize("name", ["Kia", "Kia Motors", "kia"])
def test_cli_facts_of_an_entity_as_jsonl(runner, ingested, name):
    result = runner.invoke(app, ["facts", "--entity", name, "--format", "jsonl", "--db", ingested])
    assert result.exit_code == 0, result.output
    rows = _jsonl(result.stdout)
    assert rows
    for row in rows:
        assert "org:kia" in (row["head_id"], row["tail_id"]), row
        assert row["evidence"] and all(ev["doc"] == "kia-zilina" for ev in row["evidence"])
    assert ("manufactures", "Kia Soul") in {(r["relation"], r["tail"]) for r in rows}


@pytest.mark.model
def test_cli_facts_filtered_by_relation(runner, ingested):
    result = runner.invoke(app, ["facts", "--relation", "owns", "--format", "jsonl", "--db", ingested])
    assert result.exit_code == 0, result.output
    rows = _jsonl(result.stdout)
    assert rows and {r["relation"] for r in rows} == {"owns"}


@pytest.mark.model
def test_cli_entity_profile_as_json(runner, ingested):
    result = runner.invoke(app, ["entity", "Kia Motors", "--format", "json", "--db", ingested])
    assert result.exit_code == 0, result.output
    profile = json.loads(result.stdout)
    assert {"name", "aliases", "type", "facts"} <= set(profile)
    assert profile["name"] == "Kia" and profile["type"] == "ORG"
    assert "Kia Motors" in profile["aliases"]
    assert set(profile["facts"]) <= set(RELATIONS) and "manufactures" in profile["facts"]
    for relation, facts in profile["facts"].items():
        assert facts and all(f["relation"] == relation for f in facts)


@pytest.mark.model
def test_cli_entity_profile_as_text_keeps_status_and_share(runner, ingested):
    """Bracketed notes are data, not Rich markup: "[confirmed, share 5%, ...]" reaches the terminal."""
    result = runner.invoke(app, ["entity", "Toyota", "--db", ingested])
    assert result.exit_code == 0, result.output
    owns = [line for line in result.stdout.splitlines() if line.strip().startswith("Toyota -> Mazda")]
    assert owns and "[confirmed, share 5%" in owns[0]


@pytest.mark.model
def test_cli_unknown_entity_exits_1_with_one_line(runner, ingested):
    result = runner.invoke(app, ["entity", "Zorblax Motors", "--db", ingested])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Zorblax Motors" in lines[0], result.stderr


@pytest.mark.parametrize("args", [["facts"], ["entity", "Kia"], ["stats"]], ids=lambda a: a[0])
def test_cli_query_without_a_store_exits_1_with_one_line(runner, tmp_path, args):
    missing = str(tmp_path / "missing.db")
    result = runner.invoke(app, [*args, "--db", missing])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "ingest" in lines[0], result.stderr
    assert not (tmp_path / "missing.db").exists()


def test_cli_has_the_documented_commands():
    assert {"ingest", "extract", "facts", "entity", "stats"} <= set(COMMANDS)


@pytest.mark.parametrize("flag", ["--help", "-h"])
@pytest.mark.parametrize("command", COMMANDS)
def test_cli_every_command_has_help_with_an_example(runner, command, flag):
    result = runner.invoke(app, [command, flag])
    assert result.exit_code == 0, result.output
    examples = re.findall(r"^\s*Example:\s*(alliancegraph .+?)\s*$", result.stdout, re.M)
    assert examples, result.stdout
    assert examples[0].split()[1] == command


def test_cli_without_arguments_shows_help(runner):
    result = runner.invoke(app, [])
    assert "Usage" in result.output
    for command in COMMANDS:
        assert command in result.output

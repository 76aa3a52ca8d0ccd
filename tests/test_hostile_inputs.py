"""Hostile files through `pipeline.run` and `alliancegraph ingest`: binary data, a zip named .txt, invalid
UTF-8, HTML nested 100,000 deep, JSON of the wrong types, truncated gzip, empty, special and unreadable
files, and (slow) 200 MB files. Each is recorded and skipped with a reason naming it; the rest of the
batch is stored and nothing stored before is lost.
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import pathlib
import random
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from store_dump import dump
from synthetic_news import write_batch
from typer.testing import CliRunner

from alliancegraph.cli import app
from alliancegraph.config import Settings
from alliancegraph.ingest import MAX_FILE_BYTES, iter_articles
from alliancegraph.model import Article, SkippedInput
from alliancegraph.pipeline import run

pytestmark = pytest.mark.model

PLANT = "Zorvik Motor Corp will build the Arro at its plant in Tarnow, Poland."
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", PLANT * 20)
    return buffer.getvalue()


def _truncated(data: bytes) -> bytes:
    packed = gzip.compress(data)
    return packed[: len(packed) * 2 // 3]


_LINES = "\n".join(json.dumps({"id": f"line-{n}", "text": f"{PLANT} ({n})"}) for n in range(60)).encode()

HOSTILE: dict[str, tuple[bytes, str]] = {
    # name: (content, what the skipped reason says)
    "photo.png": (PNG, "unsupported file type 'photo.png'"),
    "[red]markup.md": (b"notes", "unsupported file type '[red]markup.md'"),
    "photo-png.txt": (PNG, "binary data (contains NUL bytes)"),
    "random.txt": (random.Random(6).randbytes(4096), "binary data (contains NUL bytes)"),
    "random.html": (random.Random(7).randbytes(4096), "binary data (contains NUL bytes)"),
    "archive-zip.txt": (_zip(), "binary data (contains NUL bytes)"),
    "invalid-utf8.txt": (
        b"Zorvik Motor Corp \xff\xfe opened a plant.",
        "not valid UTF-8 text (byte 0xff at offset 18)",
    ),
    "latin1.html": (f"<p>{PLANT} Citro\u00ebn</p>".encode("latin-1"), "not valid UTF-8 text"),
    "nested-100000.html": (
        ("<html><body>" + "<div>" * 100_000 + f"<p>{PLANT}</p>" + "</div>" * 100_000).encode(),
        "more than 10,000 tags (setting max_html_tags)",
    ),
    "nested-1000.html": (
        ("<html><body>" + "<div>" * 1000 + f"<p>{PLANT}</p>" + "</div>" * 1000).encode(),
        "nest deeper than the parser's limit of 256",
    ),
    "published-number.json": (
        json.dumps({"id": "n", "date": 20140312, "text": PLANT}).encode(),
        "field 'date' must be a string or null, not a number",
    ),
    "text-list.json": (
        json.dumps({"id": "l", "text": [PLANT]}).encode(),
        "field 'text' must be a string, not an array",
    ),
    "strings.json[0]": (b"", "a record must be a JSON object"),
    "strings.json[1]": (b"", "a record must be a JSON object"),
    "scalar.json": (b"42", "JSON must be one record (an object) or an array of records"),
    "truncated.json": (b'{"id": "t", "text": "Zorvik', "invalid JSON"),
    "truncated.txt.gz": (_truncated(((PLANT + "\n") * 2000).encode()), "not a valid gzip file"),
    "truncated.jsonl.gz": (_truncated(_LINES), "not a valid gzip file"),
    "empty.txt": (b"", "empty file"),
    "empty.json": (b"", "empty file"),
    "empty.jsonl": (b"", "empty file"),
    "empty.html": (b"", "empty file"),
    "empty.txt.gz": (gzip.compress(b""), "empty file"),
    "blank.txt": (b" \n\t\n", "empty file"),
    "surrogate.jsonl:1": (b"", "the article text holds an unpaired surrogate (U+D800)"),
    "nul-escape.json": (
        json.dumps({"id": "z", "text": PLANT + "\x00"}).encode(),
        "the article text holds a NUL character",
    ),
    "too-long.json": (
        json.dumps({"id": "long", "text": PLANT * 3000}).encode(),
        f"the article text is {len(PLANT) * 3000:,} characters long, over the limit of 200,000",
    ),
    "future.json": (
        json.dumps({"id": "f", "date": "2999-01-01", "text": PLANT}).encode(),
        "the publication date 2999-01-01 is not plausible",
    ),
    "pipe.txt": (b"", "is a named pipe, not a regular file"),
    "dangling.txt": (b"", "cannot open the file (No such file or directory)"),
    "locked.txt": (PLANT.encode(), "cannot open the file (Permission denied)"),
}
"""Every hostile input, by the name its skip gives (a file, or a record of one), with its reason."""

WRITTEN_APART = {"strings.json[0]", "strings.json[1]", "surrogate.jsonl:1", "pipe.txt", "dangling.txt"}

ACCEPTED = {"null-title.json": json.dumps({"id": "null-title", "title": None, "text": PLANT})}
"""Inputs that look odd but are fine: they are stored."""


def _write_hostile(folder: Path) -> None:
    folder.mkdir()
    for name, (content, _) in HOSTILE.items():
        if name in WRITTEN_APART:
            continue
        (folder / name).write_bytes(content)
    (folder / "strings.json").write_text(json.dumps(["Zorvik Motor Corp", "Halden Motor Co"]))
    (folder / "surrogate.jsonl").write_text('{"id": "s", "text": "Zorvik \\ud800 Motor Corp"}\n')
    os.mkfifo(folder / "pipe.txt")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    for name, content in ACCEPTED.items():
        (folder / name).write_text(content)
    (folder / "locked.txt").chmod(0)


@pytest.fixture
def locked_out(monkeypatch):
    """Make locked.txt unreadable for root too, who ignores its mode: opening it fails as it does
    for anyone else."""
    real_open = pathlib.Path.open

    def open_(self, *args, **kwargs):
        if self.name == "locked.txt":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", open_)


@pytest.fixture
def inputs(tmp_path) -> dict[str, Path]:
    """A store's first batch, a second batch of good articles, and a folder of hostile files."""
    first, second = tmp_path / "first", tmp_path / "second"
    ids = write_batch(tmp_path / "all", 12)
    first.mkdir()
    second.mkdir()
    for n, path in enumerate(sorted((tmp_path / "all").iterdir())):
        path.rename((first if n < 6 else second) / path.name)
    assert len(ids) == 12
    _write_hostile(tmp_path / "bad")
    return {"first": first, "second": second, "bad": tmp_path / "bad", "db": tmp_path / "graph.db"}


def _reason_of(skipped: list[SkippedInput], bad: Path) -> dict[str, str]:
    return {s.source.removeprefix(f"{bad}{os.sep}"): s.reason for s in skipped}


def test_hostile_inputs_are_skipped_and_the_rest_stored(inputs, locked_out):
    settings = Settings(db=str(inputs["db"]))
    first = run([inputs["first"]], settings)
    assert (first.documents, first.skipped) == (6, [])
    before = dump(inputs["db"])

    report = run([inputs["second"], inputs["bad"], inputs["bad"] / "nowhere.txt"], settings)

    reasons = _reason_of(report.skipped, inputs["bad"])
    assert reasons.pop("nowhere.txt") == "no such file or directory"
    assert set(HOSTILE) - set(reasons) == set(), "not skipped"
    assert set(reasons) - set(HOSTILE) == set(), "skipped unexpectedly"
    for name, (_, reason) in HOSTILE.items():
        assert reason in reasons[name], (name, reasons[name])
    truncated_lines = sum(1 for r in dump(inputs["db"])["documents"] if dict(r)["id"].startswith("line-"))
    assert report.documents == 6 + len(ACCEPTED) + truncated_lines
    assert truncated_lines > 0  # the lines before the break in the gzip stream are read

    after = dump(inputs["db"])
    for table in ("documents", "evidence", "aliases", "entities", "story_keys"):
        assert set(before[table]) <= set(after[table]), f"{table}: rows stored before were lost"
    fact_ids = {dict(r)["id"] for r in after["facts"]}
    assert {dict(r)["id"] for r in before["facts"]} <= fact_ids
    stored = {dict(r)["id"] for r in after["documents"]}
    assert {"null-title", "story-0011"} <= stored
    assert report.facts > 0


def test_hostile_inputs_through_the_cli(inputs, locked_out):
    result = CliRunner().invoke(
        app, ["ingest", str(inputs["bad"]), str(inputs["second"]), "--db", str(inputs["db"])]
    )
    assert result.exit_code == 0, result.output
    stderr = " ".join(result.stderr.split())
    for name, (_, reason) in HOSTILE.items():
        assert f"skipped {inputs['bad'] / name}: " in stderr, name
        assert reason in stderr, name
    assert "Fix or remove the skipped inputs and re-run; stored articles are kept." in stderr
    assert f"skipped {len(HOSTILE)}," in " ".join(result.stdout.split())


BIG = 200 * 1024 * 1024


def _write_big(path: Path, line: bytes, newlines: bool = True) -> None:
    chunk = (line.rstrip(b"\n") + (b"\n" if newlines else b" ")) * (1024 * 1024 // len(line))
    with path.open("wb") as raw:
        out = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1) if path.suffix == ".gz" else raw
        written = 0
        while written < BIG:
            out.write(chunk)
            written += len(chunk)
        out.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    "name,newlines,reason",
    [
        ("big.txt", True, "file is larger than the 50 MB limit"),
        ("big.json", True, "file is larger than the 50 MB limit"),
        ("bomb.txt.gz", True, "file is larger than the 50 MB limit once decompressed"),
        ("one-line.jsonl", False, f"line 1 is longer than the {MAX_FILE_BYTES} byte limit"),
    ],
)
def test_hostile_200_mb_file_is_refused_in_modest_memory(tmp_path, name, newlines, reason):
    """200 MB of input, on disk or once decompressed: refused after reading at most the limit, so
    memory stays near the 50 MB limit rather than the file's size."""
    path = tmp_path / name
    _write_big(path, json.dumps({"id": "x", "text": PLANT}).encode() + b"\n", newlines)
    assert path.stat().st_size >= BIG or path.suffix == ".gz"
    tracemalloc.start()
    try:
        items = list(iter_articles([path]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        path.unlink()
    skipped = [i for i in items if isinstance(i, SkippedInput)]
    assert [s.source for s in skipped] == [f"{path}:1" if name.endswith(".jsonl") else str(path)]
    assert reason in skipped[0].reason
    assert not any(isinstance(i, Article) for i in items)
    assert peak < 2 * MAX_FILE_BYTES + 16 * 1024 * 1024, f"peak {peak / 2**20:.0f} MB"

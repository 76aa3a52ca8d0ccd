"""The rows of the Parquet output of `spark-extract`: one per article, or per record that was skipped.

A row is a plain dict (the Spark job writes it, `load` reads it back with pyarrow):

- ``input``, ``record``: the index of the input file in the job's listing and the position of the
  record in that file (from 1); `load` writes articles in this order, as a local ingest would.
- ``source``: where the record was read (``file.jsonl:3``, ``crawl.warc.gz@1234``, ``rows.parquet[7]``).
- ``error``: why the record was skipped, or null for an article.
- ``id``, ``title``, ``published``, ``url``, ``text``: the `Article` (``id`` also on skipped rows once
  known).
- ``facts``: the article's `Fact`s, each with every field of the model: ``relation``, ``head``,
  ``tail``, ``status``, ``future``, ``time``, ``head_type``, ``tail_type``, ``attributes`` (a list of
  name/value pairs, in order) and ``evidence`` (``doc``, ``text``, ``start``, ``end``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from alliancegraph.model import Article, Evidence, Fact, SkippedInput

COLUMNS: tuple[str, ...] = (
    "input",
    "record",
    "source",
    "error",
    "id",
    "title",
    "published",
    "url",
    "text",
    "facts",
)


def article_row(input: int, record: int, article: Article, facts: Sequence[Fact]) -> dict[str, Any]:
    return {
        "input": input,
        "record": record,
        "source": article.source,
        "error": None,
        "id": article.id,
        "title": article.title,
        "published": article.published,
        "url": article.url,
        "text": article.text,
        "facts": [_fact_row(f) for f in facts],
    }


def skipped_row(
    input: int, record: int, skipped: SkippedInput, article: Article | None = None
) -> dict[str, Any]:
    return {
        "input": input,
        "record": record,
        "source": skipped.source,
        "error": skipped.reason,
        "id": article.id if article is not None else None,
        "title": None,
        "published": None,
        "url": None,
        "text": None,
        "facts": [],
    }


def _fact_row(fact: Fact) -> dict[str, Any]:
    ev = fact.evidence
    return {
        "relation": fact.relation,
        "head": fact.head,
        "tail": fact.tail,
        "status": fact.status,
        "future": fact.future,
        "time": fact.time,
        "head_type": fact.head_type,
        "tail_type": fact.tail_type,
        "attributes": [{"name": k, "value": v} for k, v in fact.attributes],
        "evidence": {"doc": ev.doc, "text": ev.text, "start": ev.start, "end": ev.end},
    }


def read_row(row: Mapping[str, Any]) -> tuple[Article, list[Fact]] | SkippedInput:
    """The article and facts of a row, or the `SkippedInput` it records."""
    if row["error"] is not None:
        return SkippedInput(row["source"] or row["id"] or f"input {row['input']}", row["error"])
    article = Article(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        published=row["published"],
        url=row["url"],
        source=row["source"],
    )
    return article, [_read_fact(f) for f in row["facts"] or ()]


def _read_fact(f: Mapping[str, Any]) -> Fact:
    ev = f["evidence"]
    return Fact(
        relation=f["relation"],
        head=f["head"],
        tail=f["tail"],
        evidence=Evidence(doc=ev["doc"], text=ev["text"], start=ev["start"], end=ev["end"]),
        status=f["status"],
        future=bool(f["future"]),
        time=f["time"],
        head_type=f["head_type"],
        tail_type=f["tail_type"],
        attributes=tuple((a["name"], a["value"]) for a in f["attributes"] or ()),
    )

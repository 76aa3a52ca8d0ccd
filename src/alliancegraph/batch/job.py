"""The Spark job of `alliancegraph spark-extract`: input files in, one Parquet row per article out.

The driver lists the input files (`batch.inputs`) and spreads them over partitions, in order, with
`parallelize`; each task builds one `Extractor` for its partition (`mapPartitions`), reads its files with
`batch.readers` and extracts their articles in batches, falling back to one article at a time when a
batch fails so that one bad text costs only itself. Nothing is shuffled, so the part files keep the
order of the inputs; `load` relies on the ``input``/``record`` columns, not on that.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any

from alliancegraph.batch import require
from alliancegraph.batch.inputs import InputFile, list_inputs
from alliancegraph.batch.readers import Item, read_file
from alliancegraph.batch.rows import article_row, skipped_row
from alliancegraph.errors import AllianceGraphError
from alliancegraph.ingest.readers import DEFAULT_LIMITS, Limits
from alliancegraph.model import Article, Fact, SkippedInput

DEFAULT_MASTER = "local[*]"


class SparkJobError(AllianceGraphError):
    """Spark could not start or the job failed as a whole (a bad record never fails it)."""


@dataclass(frozen=True, slots=True)
class ExtractReport:
    """What a `spark_extract` job wrote: counts over the whole output and the time taken."""

    output: str
    files: int
    partitions: int
    articles: int
    skipped: int
    facts: int
    seconds: float


def spark_schema() -> Any:
    """The Spark schema of the output rows (see `batch.rows` for what each column means)."""
    t = require("pyspark.sql.types", "spark-extract")
    s, i = t.StringType(), t.IntegerType()

    def field(name: str, kind: Any, nullable: bool = True) -> Any:
        return t.StructField(name, kind, nullable)

    attribute = t.StructType([field("name", s, False), field("value", s, False)])
    evidence = t.StructType(
        [field("doc", s, False), field("text", s, False), field("start", i, False), field("end", i, False)]
    )
    fact = t.StructType(
        [
            *(field(n, s, False) for n in ("relation", "head")),
            field("tail", s),
            field("status", s, False),
            field("future", t.BooleanType(), False),
            *(field(n, s) for n in ("time", "head_type", "tail_type")),
            field("attributes", t.ArrayType(attribute, False), False),
            field("evidence", evidence, False),
        ]
    )
    return t.StructType(
        [
            field("input", i, False),
            field("record", t.LongType(), False),
            *(field(n, s) for n in ("source", "error", "id", "title")),
            field("published", t.DateType()),
            *(field(n, s) for n in ("url", "text")),
            field("facts", t.ArrayType(fact, False), False),
        ]
    )


def extract_partition(
    files: Iterable[InputFile], batch_size: int = 32, limits: Limits = DEFAULT_LIMITS
) -> Iterator[dict[str, Any]]:
    """The output rows of one partition's files (runs on an executor, with one `Extractor`)."""
    from alliancegraph.extract.extractor import Extractor
    from alliancegraph.extract.workers import extract_batch

    extractor: Extractor | None = None
    records = ((f.index, n, item) for f in files for n, item in enumerate(read_file(f, limits), 1))
    while chunk := list(islice(records, batch_size)):
        articles = [item for _, _, item in chunk if isinstance(item, Article)]
        if articles and extractor is None:
            extractor = Extractor()
        outcomes = extract_batch(extractor, articles, batch_size=batch_size) if extractor is not None else []
        results = iter(outcomes)
        for index, n, item in chunk:
            yield _row(index, n, item, next(results) if isinstance(item, Article) else None)


def _row(index: int, n: int, item: Item, facts: list[Fact] | str | None) -> dict[str, Any]:
    if isinstance(item, SkippedInput):
        return skipped_row(index, n, item)
    if isinstance(facts, str):
        return skipped_row(index, n, SkippedInput(item.source or item.id, facts), item)
    return article_row(index, n, item, facts or [])


def spark_extract(
    spark: Any,
    input: str,
    output: str,
    *,
    format: str | None = None,
    partitions: int | None = None,
    batch_size: int = 32,
    limits: Limits = DEFAULT_LIMITS,
    overwrite: bool = False,
) -> ExtractReport:
    """Extract the facts of the files named by `input` on `spark`, writing Parquet rows to `output`.
    `limits` are ingest's (a local ingest takes them from `Settings`)."""
    started = time.perf_counter()
    functions = require("pyspark.sql.functions", "spark-extract")
    files = list_inputs(input, format)
    if all(f.problem is not None for f in files):  # nothing to read: say so now rather than after a job
        first = files[0]
        raise SparkJobError(f"Nothing to read at {input}: {first.name}: {first.problem}. Check INPUT.")
    sc = spark.sparkContext
    slices = min(len(files), partitions or 2 * sc.defaultParallelism)
    work = partial(extract_partition, batch_size=batch_size, limits=limits)
    rows = sc.parallelize(files, slices).mapPartitions(work)
    try:
        frame = spark.createDataFrame(rows, spark_schema())
        frame.write.mode("overwrite" if overwrite else "errorifexists").parquet(output)
        counts = (
            spark.read.parquet(output)
            .agg(
                functions.count(functions.col("error")).alias("skipped"),
                functions.sum(functions.size("facts")).alias("facts"),
                functions.count(functions.lit(1)).alias("rows"),
            )
            .first()
        )
    except Exception as e:
        raise SparkJobError(_job_failure(e, output)) from e
    return ExtractReport(
        output=output,
        files=len(files),
        partitions=slices,
        articles=counts["rows"] - counts["skipped"],
        skipped=counts["skipped"],
        facts=counts["facts"] or 0,
        seconds=time.perf_counter() - started,
    )


def _first_line(e: Exception) -> str:
    text = str(e).strip()
    return f"{type(e).__name__}: {text.splitlines()[0]}" if text else type(e).__name__


def _job_failure(e: Exception, output: str) -> str:
    if "PATH_ALREADY_EXISTS" in str(e) or "already exists" in str(e):
        return f"The output {output} already exists. Choose another OUTPUT or pass --overwrite to replace it."
    return f"The Spark job failed ({_first_line(e)}). See the Spark log above for the failing task."


@contextmanager
def spark_session(master: str | None = None, app_name: str = "alliancegraph spark-extract") -> Iterator[Any]:
    """The active Spark session if there is one (left running), else a new one stopped on exit.

    Without `master`, a job launched by spark-submit keeps spark-submit's ``--master``; otherwise it
    runs locally on every core. Locally, Python workers use this interpreter, which has the package.
    """
    sql = require("pyspark.sql", "spark-extract")
    active = sql.SparkSession.getActiveSession()
    if active is not None:
        yield active
        return
    builder = sql.SparkSession.builder.appName(app_name)
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # set by spark-submit for the Python driver
    if master is not None or not submitted:
        builder = builder.master(master or DEFAULT_MASTER)
    if (master or DEFAULT_MASTER).startswith("local") and not submitted:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        session = builder.getOrCreate()
    except Exception as e:
        raise SparkJobError(
            f"Cannot start Spark ({_first_line(e)}). Spark needs a Java 17+ runtime: "
            "run scripts/install-java.sh or set JAVA_HOME."
        ) from e
    try:
        yield session
    finally:
        session.stop()

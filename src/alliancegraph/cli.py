"""The `alliancegraph` command: a thin Typer layer over the pipeline and the query API.

Errors of AllianceGraph are printed on one line and exit with code 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from alliancegraph.config import load_settings
from alliancegraph.errors import AllianceGraphError
from alliancegraph.model import RELATIONS, STATUSES, SkippedInput

app = typer.Typer(
    name="alliancegraph",
    help="Read automotive news into an evidence-backed graph of alliances, and query it.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="ALLIANCEGRAPH_DB",
        help="SQLite file or PostgreSQL URL (postgresql://user:pw@host/dbname); default alliancegraph.db, or ALLIANCEGRAPH_DB",
    ),
]
T = TypeVar("T")


class ListFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    json = "json"


class ProfileFormat(str, Enum):
    text = "text"
    json = "json"


@contextmanager
def _errors() -> Iterator[None]:
    """The CLI's one place that turns AllianceGraph errors into a one-line message and exit code 1."""
    try:
        yield
    except AllianceGraphError as e:
        # escaped: a message may hold brackets that are text, such as "pip install 'alliancegraph[spark]'"
        err_console.print(f"[red]error:[/red] {escape(str(e))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from e


def _count_inputs(paths: list[Path]) -> int | None:
    """How many articles a run will see, when cheap to tell (files, not records inside them)."""
    total = 0
    for p in paths:
        if p.is_dir():
            total += sum(1 for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
        elif p.suffix in {".txt", ".html", ".htm", ".json"}:
            total += 1
        else:
            return None
    return total


def _print_skipped(skipped: list[SkippedInput]) -> None:
    """One line on stderr per input that was skipped, with its reason."""
    for s in skipped:
        line = escape(f"{s.source}: {s.reason}")  # a file may be named "[red]x.txt"
        err_console.print(f"[yellow]skipped[/yellow] {line}", highlight=False, soft_wrap=True)


WorkersOption = Annotated[
    int | None, typer.Option(min=1, help="Extraction processes; default one per core (at most 4), 1 runs in-process")
]
TriageOption = Annotated[
    bool | None,
    typer.Option("--triage/--no-triage", help="Parse only the sentences that can state a fact (default), or every one"),
]


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Article files or directories (.txt .html .json .jsonl, .gz)")],
    db: DbOption = None,
    batch_size: Annotated[int | None, typer.Option(help="Articles per parsing batch")] = None,
    workers: WorkersOption = None,
    triage: TriageOption = None,
) -> None:
    """Read articles, extract their alliance facts and store them.

    Example: alliancegraph ingest samples/articles --db graph.db
    """
    from alliancegraph.extract.workers import prepare

    with _errors():
        settings = load_settings(db=db, batch_size=batch_size, workers=workers, triage=triage)
        prepare(settings.workers)  # the workers' pipeline loads while the store and the rest are imported
        from alliancegraph.pipeline import run
        from alliancegraph.store import shown

        columns = [TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
        with Progress(*columns, console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
            task = bar.add_task("ingest", total=_count_inputs(paths))
            report = run(paths, settings, progress=lambda n: bar.advance(task, n))
    console.print(
        f"documents {report.documents} (unchanged {report.unchanged}), skipped {len(report.skipped)}, "
        f"new entities {report.entities}, new facts {report.facts}, in {report.seconds:.1f}s -> {shown(settings.db)}"
    )
    _print_skipped(report.skipped)
    if report.skipped:
        err_console.print("Fix or remove the skipped inputs and re-run; stored articles are kept.")


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Article files or directories")],
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="jsonl (fact interchange) or table")] = ListFormat.jsonl,
    workers: WorkersOption = None,
    triage: TriageOption = None,
) -> None:
    """Print the facts of each article without storing them (one JSON line per distinct fact).

    Example: alliancegraph extract samples/articles --format jsonl
    """
    from alliancegraph.pipeline import extract_facts

    skipped: list[SkippedInput] = []
    with _errors():
        settings = load_settings(workers=workers, triage=triage)
        rows = [f.to_interchange() for _, facts in extract_facts(paths, skipped=skipped, settings=settings) for f in facts]
    _print_rows(rows, format, ["doc", "relation", "head", "tail", "status", "future", "time"])
    _print_skipped(skipped)


@app.command()
def facts(
    db: DbOption = None,
    entity: Annotated[str | None, typer.Option(help="Only facts about this entity (name or alias)")] = None,
    relation: Annotated[str | None, typer.Option(help=f"One of: {', '.join(RELATIONS)}")] = None,
    status: Annotated[str | None, typer.Option(help=f"One of: {', '.join(STATUSES)}")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many facts")] = 200,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Only facts known and holding on this day (YYYY-MM-DD)")
    ] = None,
    text: Annotated[str | None, typer.Option(help="Only facts whose evidence or names contain this text")] = None,
) -> None:
    """List stored facts, filtered by entity, relation, status, text, or as of a date.

    Example: alliancegraph facts --entity Renault --relation partner_of --as-of 2010-12-31
    """
    with _errors():
        when = _date(as_of, "--as-of")
        rows = _query(
            db,
            lambda g: [
                f.to_dict()
                for f in g.facts(
                    entity=entity, relation=relation, status=status, limit=limit, as_of=when, text=text
                )
            ],
        )
    _print_rows(rows, format, ["relation", "head", "tail", "status", "future", "time", "evidence_count"])


@app.command()
def entity(
    name: Annotated[str, typer.Argument(help="Entity name or alias, e.g. 'GM'")],
    db: DbOption = None,
    format: Annotated[ProfileFormat, typer.Option("--format", "-f")] = ProfileFormat.text,
) -> None:
    """Show an entity's profile: aliases, type, parent and its facts with their evidence.

    Example: alliancegraph entity Renault --format json
    """
    with _errors():
        profile = _query(db, lambda g: g.entity(name).to_dict())
    if format is ProfileFormat.json:
        console.print_json(json.dumps(profile, default=str))
        return
    _print_profile(profile)


@app.command()
def stats(db: DbOption = None) -> None:
    """Count the stored documents, entities, facts and evidence.

    Example: alliancegraph stats --db graph.db
    """
    with _errors():
        counts = _query(db, lambda g: g.stats().to_dict())
    console.print("  ".join(f"{k} {v}" for k, v in counts.items()))


def _query(db: str | None, fn: Callable[[Any], T]) -> T:
    from alliancegraph.query import open_graph

    settings = load_settings(db=db)
    if "://" not in settings.db and not Path(settings.db).exists():
        raise AllianceGraphError(f"No database at {settings.db}. Run `alliancegraph ingest PATH --db {settings.db}` first.")
    with open_graph(settings.db) as graph:
        return fn(graph)


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return str(len(value))
    return "" if value is None else str(value)


def _print_rows(rows: list[dict[str, Any]], format: ListFormat, columns: list[str]) -> None:
    if format is ListFormat.jsonl:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        return
    if format is ListFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, default=str, indent=2) + "\n")
        return
    table = Table(*columns, show_lines=False)
    for row in rows:
        if "evidence_count" in columns and "evidence_count" not in row:
            row = {**row, "evidence_count": len(row.get("evidence", []))}
        table.add_row(*(_cell(_flat(row, c)) for c in columns))
    console.print(table)
    console.print(f"{len(rows)} facts")


def _flat(row: dict[str, Any], column: str) -> Any:
    value = row.get(column)
    if isinstance(value, dict):
        return value.get("name")
    return value


def _print_profile(p: dict[str, Any]) -> None:
    # names, sentences and the "[confirmed]" notes are data: printed without Rich markup
    _line(f"{p['name']}  ({p['type']}{', ' + p['kind'] if p.get('kind') else ''})  id {p['id']}")
    if p.get("aliases"):
        _line(f"aliases: {', '.join(p['aliases'])}")
    if p.get("parent"):
        _line(f"parent: {p['parent']}")
    if p.get("wikidata"):
        _line(f"wikidata: {p['wikidata']}")
    for relation, items in (p.get("facts") or {}).items():
        console.print(f"\n[bold]{relation}[/bold]")
        for f in items:
            head, tail = _flat(f, "head"), _flat(f, "tail")
            details = [f"{k} {v}" for k, v in (f.get("attributes") or {}).items()]
            details += [x for x in (f.get("time"), "future" if f.get("future") else None) if x]
            _line(f"  {head} -> {tail}  [{', '.join([f['status'], *details])}]")
            for ev in f.get("evidence", [])[:3]:
                source = ev.get("title") or ev.get("doc")
                when = f" {ev['published']}" if ev.get("published") else ""
                _line(f"      \"{ev['sentence']}\"  ({source}{when})")

# -- history, network and export commands (issue 4) ------------------------------------------------


def _date(value: str | None, option: str) -> Any:
    from alliancegraph.query import parse_date

    return parse_date(value, option)


def _line(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _fact_line(f: dict[str, Any]) -> str:
    return f"{f['relation']} {f['head']} -> {f['tail'] or '-'}"


def _stories(n: int) -> str:
    return f"{n} {'story' if n == 1 else 'stories'}"


@app.command()
def timeline(
    name: Annotated[str, typer.Argument(help="Entity name or alias")],
    db: DbOption = None,
    min_corroboration: Annotated[
        int, typer.Option(min=1, help="Leave out facts with fewer independent statements")
    ] = 1,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Show the dated events of an entity's alliances, ownership and ventures, oldest first.

    Example: alliancegraph timeline Chrysler --min-corroboration 2
    """
    with _errors():
        events = _query(
            db, lambda g: [e.to_dict() for e in g.timeline(name, min_corroboration=min_corroboration)]
        )
    if format is not ListFormat.table:
        return _print_rows(events, format, [])
    for e in events:
        f, day = e["fact"], e["time"] if e["dated_by"] == "text" and e["time"] else e["date"]
        notes = f"{e['status']}; {_stories(f['corroboration'])}; by {e['dated_by']}"
        _line(f"{day:<10}  {e['kind']:<6}  {_fact_line(f)}  [{notes}]")
    _line(f"{len(events)} events")


@app.command()
def partners(
    name: Annotated[str, typer.Argument(help="Entity name or alias")],
    db: DbOption = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Ties known and holding on this day (YYYY-MM-DD)")
    ] = None,
    min_corroboration: Annotated[int, typer.Option(min=1, help="Leave out partners with fewer stories")] = 1,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List an entity's partners, owners, holdings and joint-venture partners, firmest first.

    Example: alliancegraph partners Renault --as-of 2010-12-31
    """
    with _errors():
        when = _date(as_of, "--as-of")
        rows = _query(db, lambda g: [p.to_dict() for p in g.partners(name, when, min_corroboration)])
    if format is not ListFormat.table:
        return _print_rows(rows, format, [])
    for p in rows:
        aka = f" (as {p['mentioned_as']})" if p["mentioned_as"] and p["mentioned_as"] != p["partner"] else ""
        via = f" via {', '.join(p['via'])}" if p["via"] else ""
        notes = f"{p['status']}; since {p['since']}; {_stories(p['corroboration'])}"
        _line(f"{p['partner']}{aka}  {'/'.join(p['links'])}{via}  [{notes}]")
    _line(f"{len(rows)} partners")


@app.command()
def diff(
    start: Annotated[str, typer.Option("--from", help="Start day, excluded (YYYY-MM-DD)")],
    end: Annotated[str, typer.Option("--to", help="End day, included (YYYY-MM-DD)")],
    entity: Annotated[str | None, typer.Option(help="Only facts about this entity")] = None,
    db: DbOption = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List the facts that appeared, changed status or ended between two dates.

    Example: alliancegraph diff --from 2009-01-01 --to 2009-12-31 --entity Chrysler
    """
    with _errors():
        first, last = _date(start, "--from"), _date(end, "--to")
        view = _query(db, lambda g: g.diff(first, last, entity=entity).to_dict())
    if format is not ListFormat.table:
        return _print_rows([view], format, [])
    for kind in ("appeared", "changed", "ended"):
        for c in view[kind]:
            status = f"{c['before']} -> {c['after']}" if kind == "changed" else c["after"]
            source = c["title"] or c["doc"] or ""
            _line(f"{kind:<8} {c['date']}  {_fact_line(c['fact'])}  [{status}]  {source}")
    _line(f"{sum(len(view[k]) for k in ('appeared', 'changed', 'ended'))} changes")


@app.command()
def path(
    a: Annotated[str, typer.Argument(help="First entity")],
    b: Annotated[str, typer.Argument(help="Second entity")],
    db: DbOption = None,
    max_hops: Annotated[int, typer.Option(min=1, help="Longest chain of facts to look for")] = 4,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Show how two entities are connected: the shortest chain of facts, with evidence on each step.

    Example: alliancegraph path Renault Daimler
    """
    with _errors():
        steps = _query(db, lambda g: [s.to_dict() for s in g.path(a, b, max_hops=max_hops)])
    if format is not ListFormat.table:
        return _print_rows(steps, format, [])
    if not steps:
        _line(f"No chain of at most {max_hops} facts links {a} and {b}.")
    for n, step in enumerate(steps, 1):
        f = step["fact"]
        _line(f"{n}. {_fact_line(f)}  [{f['status']}; {_stories(f['corroboration'])}]")
        for ev in f["evidence"][:2]:
            source = f"{ev['title'] or ev['doc']}, {ev['published'] or 'undated'}"
            _line(f"     \"{ev['sentence']}\"  ({source})")


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    graphml = "graphml"
    neo4j = "neo4j"
    turtle = "turtle"
    jsonld = "jsonld"


@app.command("export")
def export_graph(
    format: Annotated[
        ExportFormat, typer.Argument(help="jsonl, csv, graphml, neo4j (a folder), turtle or jsonld")
    ],
    out: Annotated[Path, typer.Argument(help="File to write (a folder for neo4j)")],
    db: DbOption = None,
) -> None:
    """Export the graph: fact interchange JSONL, CSV, GraphML, Neo4j import files, RDF with PROV-O.

    Example: alliancegraph export turtle graph.ttl --db graph.db
    """
    from alliancegraph.export import export as run_export

    with _errors():
        written = _query(db, lambda g: run_export(g, format.value, out))
    console.print(f"wrote {', '.join(str(p) for p in written)}", highlight=False, soft_wrap=True)


@app.command()
def rebuild(db: DbOption = None) -> None:
    """Recompute stories, corroboration and status histories of a store without re-extracting.

    Example: alliancegraph rebuild --db graph.db
    """
    from alliancegraph.store import Store

    with _errors(), Store.open(load_settings(db=db).db, create=False) as store:
        n = store.rebuild()
    console.print(f"rebuilt {n} facts")


def main() -> None:  # pragma: no cover - console entry point
    app()


@app.command()
def serve(
    db: DbOption = None,
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8000,
    host: Annotated[str, typer.Option(help="Interface to listen on; 0.0.0.0 exposes it to the network")] = "127.0.0.1",
) -> None:
    """Serve the REST API (/api, schema at /openapi.json) and the web explorer, reading the store read-only.

    Example: alliancegraph serve --db demo.db --port 8000
    """
    import uvicorn

    from alliancegraph.serve import create_app

    with _errors():
        web_app = create_app(load_settings(db=db).db)
    console.print(f"AllianceGraph at http://{host}:{port}/  (API docs at /docs, Ctrl-C stops)", highlight=False)
    uvicorn.run(web_app, host=host, port=port, log_level="warning", limit_concurrency=64)


# -- batch extraction on Apache Spark (issue 6) ----------------------------------------------------


class BatchFormat(str, Enum):
    jsonl = "jsonl"
    parquet = "parquet"
    warc = "warc"


@app.command("spark-extract")
def spark_extract(
    input: Annotated[str, typer.Argument(help="A file, directory or glob; a path or URI (s3a://, gs://...)")],
    output: Annotated[str, typer.Argument(help="Directory to write the Parquet output to (path or URI)")],
    format: Annotated[
        BatchFormat | None, typer.Option("--format", help="Read every file as this (default: by file name)")
    ] = None,
    master: Annotated[
        str | None, typer.Option(help="Spark master URL (default: local[*], or spark-submit's --master)")
    ] = None,
    partitions: Annotated[int | None, typer.Option(min=1, help="Spark partitions (1+ file each)")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per parsing batch")] = 32,
    overwrite: Annotated[bool, typer.Option(help="Replace OUTPUT if it exists")] = False,
) -> None:
    """Extract facts on Apache Spark from JSONL(.gz), Parquet or WARC files, as Parquet for `load`.

    Example: alliancegraph spark-extract 'crawl/*.warc.gz' facts.parquet --master local[2]
    """
    from alliancegraph.batch.job import spark_extract as run_job
    from alliancegraph.batch.job import spark_session
    from alliancegraph.ingest.readers import Limits

    fmt = format.value if format else None
    with _errors(), spark_session(master) as spark:
        s = load_settings()  # ingest's limits, as a local ingest takes them
        limits = Limits(s.max_file_bytes, s.max_article_chars, s.max_html_tags)
        r = run_job(spark, input, output, format=fmt, partitions=partitions, batch_size=batch_size,
                    limits=limits, overwrite=overwrite)  # fmt: skip
    console.print(
        f"files {r.files} in {r.partitions} partitions: articles {r.articles}, skipped {r.skipped}, "
        f"facts {r.facts}, in {r.seconds:.1f}s -> {r.output}",
        highlight=False,
        soft_wrap=True,
    )


@app.command()
def load(
    output: Annotated[str, typer.Argument(help="The OUTPUT directory of spark-extract (path or URI)")],
    db: DbOption = None,
) -> None:
    """Store the articles and facts written by spark-extract, as a local ingest would (no Spark needed).

    Example: alliancegraph load facts.parquet --db postgresql://alliancegraph@db/alliancegraph
    """
    from alliancegraph.batch.load import load as run_load
    from alliancegraph.store import shown

    with _errors():
        settings = load_settings(db=db)
        report = run_load(output, settings)
    console.print(
        f"documents {report.documents} (unchanged {report.unchanged}), skipped {len(report.skipped)}, "
        f"new entities {report.entities}, new facts {report.facts}, in {report.seconds:.1f}s -> {shown(settings.db)}"
    )
    _print_skipped(report.skipped[:20])
    if len(report.skipped) > 20:
        err_console.print(f"... and {len(report.skipped) - 20} more skipped", highlight=False)

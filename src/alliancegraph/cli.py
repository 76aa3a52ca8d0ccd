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
    typer.Option("--db", envvar="ALLIANCEGRAPH_DB", help="SQLite file or database URL [default: alliancegraph.db]"),
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
        err_console.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
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


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Article files or directories (.txt .html .json .jsonl, .gz)")],
    db: DbOption = None,
    batch_size: Annotated[int | None, typer.Option(help="Articles per parsing batch")] = None,
) -> None:
    """Read articles, extract their alliance facts and store them.

    Example: alliancegraph ingest samples/articles --db graph.db
    """
    from alliancegraph.pipeline import run

    with _errors():
        settings = load_settings(db=db, batch_size=batch_size)
        columns = [TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
        with Progress(*columns, console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
            task = bar.add_task("ingest", total=_count_inputs(paths))
            report = run(paths, settings, progress=lambda n: bar.advance(task, n))
    console.print(
        f"documents {report.documents} (unchanged {report.unchanged}), skipped {len(report.skipped)}, "
        f"new entities {report.entities}, new facts {report.facts}, in {report.seconds:.1f}s -> {settings.db}"
    )
    for skipped in report.skipped:
        err_console.print(f"[yellow]skipped[/yellow] {skipped.reason}", highlight=False, soft_wrap=True)


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Article files or directories")],
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="jsonl (fact interchange) or table")] = ListFormat.jsonl,
) -> None:
    """Print the facts of each article without storing them (one JSON line per distinct fact).

    Example: alliancegraph extract samples/articles --format jsonl
    """
    from alliancegraph.pipeline import extract_facts

    skipped: list[SkippedInput] = []
    with _errors():
        rows = [f.to_interchange() for _, facts in extract_facts(paths, skipped=skipped) for f in facts]
    _print_rows(rows, format, ["doc", "relation", "head", "tail", "status", "future", "time"])
    for s in skipped:
        err_console.print(f"[yellow]skipped[/yellow] {s.reason}", highlight=False, soft_wrap=True)


@app.command()
def facts(
    db: DbOption = None,
    entity: Annotated[str | None, typer.Option(help="Only facts about this entity (name or alias)")] = None,
    relation: Annotated[str | None, typer.Option(help=f"One of: {', '.join(RELATIONS)}")] = None,
    status: Annotated[str | None, typer.Option(help=f"One of: {', '.join(STATUSES)}")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many facts")] = 200,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List stored facts, filtered by entity, relation or status.

    Example: alliancegraph facts --entity Renault --relation partner_of
    """
    with _errors():
        rows = _query(db, lambda g: [f.to_dict() for f in g.facts(entity=entity, relation=relation, status=status, limit=limit)])
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
    console.print(f"[bold]{p['name']}[/bold]  ({p['type']}{', ' + p['kind'] if p.get('kind') else ''})  id {p['id']}")
    if p.get("aliases"):
        console.print(f"aliases: {', '.join(p['aliases'])}")
    if p.get("parent"):
        console.print(f"parent: {p['parent']}")
    if p.get("wikidata"):
        console.print(f"wikidata: {p['wikidata']}")
    for relation, items in (p.get("facts") or {}).items():
        console.print(f"\n[bold]{relation}[/bold]")
        for f in items:
            head, tail = _flat(f, "head"), _flat(f, "tail")
            extra = ", ".join(x for x in (f.get("time"), "future" if f.get("future") else None) if x)
            console.print(f"  {head} -> {tail}  [{f['status']}{', ' + extra if extra else ''}]", highlight=False)
            for ev in f.get("evidence", [])[:3]:
                source = ev.get("title") or ev.get("doc")
                when = f" {ev['published']}" if ev.get("published") else ""
                console.print(f"      \"{ev['sentence']}\"  ({source}{when})", highlight=False, soft_wrap=True)


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
    uvicorn.run(web_app, host=host, port=port, log_level="warning")

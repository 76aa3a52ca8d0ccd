"""The CLI commands over the query API: timeline, facts --as-of, diff, partners, path, export, rebuild."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from alliancegraph.cli import app

runner = CliRunner()
COMMANDS = ["timeline", "partners", "diff", "path", "export", "rebuild"]


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_commands_have_help_with_an_example(command):
    result = runner.invoke(app, [command, "-h"])
    assert result.exit_code == 0
    assert "Example: alliancegraph " + command in " ".join(result.output.split())


@pytest.mark.parametrize(
    "args,expected",
    [
        (
            ["timeline", "Corvan"],
            [
                "2001/2008   fact    owns Dunmore Holdings -> Corvan  [confirmed; 1 story; by text]",
                "2008-12-31  ended   owns Dunmore Holdings -> Corvan  [ended",
                "2011-09-01  status  partner_of Acme Motors -> Corvan  [denied",
                "6 events",
            ],
        ),
        (
            ["partners", "Acme", "--as-of", "2009-06-30"],
            [
                "Borealis Auto (as Borealis)  partner_of  [reported",
                "Dunmore Holdings (as Dunmore)",
                "2 partners",
            ],
        ),
        (
            ["partners", "Acme", "--as-of", "2010-12-31"],
            ["Borealis Auto (as Borealis)  owns/partner_of  [confirmed", "1 partners"],
        ),
        (
            ["diff", "--from", "2009-12-31", "--to", "2010-12-31"],
            [
                "changed  2010-04-07  partner_of Acme Motors -> Borealis Auto  [reported -> confirmed]",
                "appeared 2010-04-07  owns Acme Motors -> Borealis Auto",
                "ended    2009-12-31",
                "3 changes",
            ],
        ),
        (
            ["diff", "--from", "2011-01-01", "--to", "2011-12-31", "--entity", "Corvan"],
            ["appeared 2011-05-01", "[denied]", "1 changes"],
        ),
        (["path", "Kestrel", "Borealis"], ["1. owns Kestrel Trucks -> Corvan", "4. "]),
        (["path", "Kestrel", "Borealis", "--max-hops", "2"], ["No chain of at most 2 facts"]),
        (["facts", "--as-of", "2009-06-30", "--format", "jsonl"], ['"status": "reported"']),
    ],
)
def test_cli_renders_queries(world, args, expected):
    result = runner.invoke(app, [*args, "--db", world])
    assert result.exit_code == 0, result.output
    for text in expected:
        assert text in result.output


@pytest.mark.parametrize(
    "args,count",
    [
        (["timeline", "Borealis", "--format", "json"], 3),
        (["partners", "Corvan", "--format", "json"], 4),
        (["path", "Acme", "Borealis", "--format", "json"], 1),
        (["facts", "--as-of", "2010-12-31", "--format", "json"], 3),
        (["facts", "--text", "vans", "--format", "json"], 2),
    ],
)
def test_cli_json_output(world, args, count):
    result = runner.invoke(app, [*args, "--db", world])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == count


@pytest.mark.parametrize(
    "args,value,option",
    [
        (["facts", "--as-of", "2010-31-12"], "2010-31-12", "--as-of"),
        (["partners", "Acme", "--as-of", "last year"], "last year", "--as-of"),
        (["diff", "--from", "2010", "--to", "2011-01-01"], "2010", "--from"),
        (["diff", "--from", "2010-01-01", "--to", "01/01/2011"], "01/01/2011", "--to"),
    ],
)
def test_cli_bad_dates_give_one_line(world, args, value, option):
    result = runner.invoke(app, [*args, "--db", world])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert option in lines[0] and repr(value) in lines[0] and "YYYY-MM-DD" in lines[0]


@pytest.mark.parametrize("args", [["timeline", "Nobody Motors"], ["path", "Acme", "Nobody Motors"]])
def test_cli_unknown_entity_is_one_line(world, args):
    result = runner.invoke(app, [*args, "--db", world])
    assert result.exit_code == 1
    assert "No entity named 'Nobody Motors'" in result.output


@pytest.mark.parametrize("format,name", [("jsonl", "facts.jsonl"), ("neo4j", "neo4j")])
def test_cli_export(world, tmp_path, format, name):
    out = tmp_path / name
    result = runner.invoke(app, ["export", format, str(out), "--db", world])
    assert result.exit_code == 0, result.output
    assert out.exists() and "wrote" in result.output


@pytest.mark.parametrize("format", ["xml"])
def test_cli_export_unknown_format(world, tmp_path, format):
    result = runner.invoke(app, ["export", format, str(tmp_path / "x"), "--db", world])
    assert result.exit_code == 2  # rejected by the option parser, which lists the formats
    assert "jsonld" in result.output


def test_cli_rebuild(world):
    result = runner.invoke(app, ["rebuild", "--db", world])
    assert result.exit_code == 0 and "rebuilt 9 facts" in result.output

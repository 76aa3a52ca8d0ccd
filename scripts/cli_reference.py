"""Write docs/cli.md, the command reference, from the CLI's own definitions.

Run `python scripts/cli_reference.py` after changing a command; `tests/test_cli_reference.py` fails
while the committed page differs from what this prints, so the reference cannot drift from the code.
"""

from __future__ import annotations

import enum
import inspect
import sys
from pathlib import Path
from typing import Any

import typer.main

from alliancegraph.cli import app

PAGE = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _is_argument(param: Any) -> bool:
    return param.param_type_name == "argument"


def _default(param: Any) -> str:
    value = param.default
    if value is None or value is False or _is_argument(param) or callable(value):
        return ""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value)
    return f" (default: `{value}`)"


def _row(param: Any) -> str:
    if _is_argument(param):
        name = f"`{param.name.upper()}`{'' if param.required else ' (optional)'}"
        if param.nargs == -1:
            name = f"`{param.name.upper()}...`"
    else:
        name = ", ".join(f"`{opt}`" for opt in param.opts + param.secondary_opts)
    text = (getattr(param, "help", None) or "").replace("|", "\\|")
    return f"| {name} | {text}{_default(param)} |"


def render() -> str:
    """The reference page: one section per command, in the order `alliancegraph --help` lists them."""
    group: Any = typer.main.get_command(app)
    lines = [
        "# Command reference",
        "",
        "Every command of `alliancegraph`, generated from the CLI itself by `scripts/cli_reference.py`.",
        "`--db` takes an SQLite file (created on first use) or a PostgreSQL URL; it can also come from",
        "`ALLIANCEGRAPH_DB` or an `alliancegraph.toml` in the working directory. `alliancegraph COMMAND --help` prints the",
        "same text.",
        "",
    ]
    for name, command in group.commands.items():
        if command.hidden:
            continue
        usage = " ".join(
            (p.name or "").upper() + ("..." if getattr(p, "nargs", 1) == -1 else "")
            for p in command.params
            if _is_argument(p)
        )
        lines += [f"## `{name}`", "", f"`alliancegraph {name} {usage} [OPTIONS]`".replace("  ", " "), ""]
        lines += [inspect.cleandoc(command.help or ""), ""]
        params = [p for p in command.params if p.name != "help"]
        if params:
            lines += ["| argument or option | meaning |", "| --- | --- |", *(_row(p) for p in params), ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    PAGE.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {PAGE}\n")

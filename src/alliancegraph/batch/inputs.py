"""The input files of a batch job and access to their bytes.

An input is a file, a directory or a glob, as a local path or a URI of a filesystem pyarrow reaches
(``s3://`` and Spark's ``s3a://``, ``gs://``, ``hdfs://``, ``file://``). `list_inputs` runs on the driver
and lists the files in the order a local ingest reads them (directories walked recursively in sorted
order); names starting with "." or "_" inside directories are left out, as Spark and Hadoop do
(``_SUCCESS``). Each file's format comes from its name or from the format forced by the caller.
The executors open the files with `open_binary` and `ingest_path`.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from alliancegraph.batch import require
from alliancegraph.errors import UnsupportedFormat
from alliancegraph.ingest.files import FORMATS, format_of, stem_of, walk
from alliancegraph.model import SkippedInput

BATCH_FORMATS: tuple[str, ...] = ("jsonl", "parquet", "warc")
"""The formats `--format` may force; without it, every format ingest reads is recognised too."""

INGEST_SUFFIX = {kind: suffix for suffix, kind in reversed(FORMATS.items())}
"""The canonical file suffix of each ingest format (``jsonl`` -> ``.jsonl``)."""

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_GLOB = re.compile(r"[*?\[]")
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class InputFile:
    """One input file of a job. `index` orders the files; `name` is the file as given or listed, and
    names the source of its records; `location` is where an executor opens it (an absolute path or a
    URI). `problem` says why it cannot be read at all (then `format` is None)."""

    index: int
    name: str
    location: str
    format: str | None
    problem: str | None = None


def is_uri(location: str) -> bool:
    return bool(_URI.match(location))


def file_format(name: str, forced: str | None = None) -> str:
    """The format of a file named `name`: `forced` when given, else from its suffixes."""
    if forced is not None:
        return forced
    base = name.lower().removesuffix(".gz")
    if base.endswith(".parquet"):
        return "parquet"
    if base.endswith((".warc", ".arc")):
        return "warc"
    try:
        return format_of(Path(PurePosixPath(name).name))[0]
    except UnsupportedFormat as e:
        known = ", ".join(sorted([*FORMATS, ".parquet", ".warc"]))
        raise UnsupportedFormat(
            name,
            f"unsupported file type {PurePosixPath(name).name!r}; expected one of {known} "
            "(.gz allowed but for .parquet), or give --format",
        ) from e


def list_inputs(spec: str, forced: str | None = None) -> list[InputFile]:
    """The files named by `spec` in reading order, each with its format or the reason it cannot be read."""
    names = _list_uri(spec) if is_uri(spec) else _list_local(spec)
    files = []
    for index, (name, location, problem) in enumerate(names):
        kind = None
        if problem is None:
            try:
                kind = file_format(name, forced)
            except UnsupportedFormat as e:
                problem = e.reason
        files.append(InputFile(index, name, location, kind, problem))
    return files


def _list_local(spec: str) -> list[tuple[str, str, str | None]]:
    given = sorted(glob.glob(spec, recursive=True)) if _GLOB.search(spec) else [spec]
    if not given:
        return [(spec, spec, "no file matches this pattern")]
    out: list[tuple[str, str, str | None]] = []
    for root in given:
        for entry in walk([root]):
            if isinstance(entry, SkippedInput):
                out.append((entry.source, entry.source, entry.reason))
                continue
            inside = entry.relative_to(root).parts if Path(root).is_dir() else ()
            if not any(part.startswith("_") for part in inside):
                out.append((str(entry), os.path.abspath(entry), None))
    return out


def filesystem(uri: str) -> tuple[Any, str]:
    """The pyarrow filesystem of `uri` and the path in it (Spark's ``s3a://`` read as ``s3://``)."""
    fs = require("pyarrow.fs", "Reading input from a URI")
    scheme, rest = uri.split("://", 1)
    if scheme.lower() in ("s3a", "s3n"):
        uri = f"s3://{rest}"
    try:
        opened, path = fs.FileSystem.from_uri(uri)
    except Exception as e:  # pyarrow raises ArrowInvalid, ArrowNotImplementedError, OSError...
        raise UnsupportedFormat(uri, f"cannot open this filesystem ({e})") from e
    return opened, str(path)


def _list_uri(spec: str) -> list[tuple[str, str, str | None]]:
    scheme, rest = spec.split("://", 1)
    parts = rest.split("/")
    first_glob = next((i for i, p in enumerate(parts) if _GLOB.search(p)), len(parts))
    base = f"{scheme}://{'/'.join(parts[:first_glob])}".rstrip("/")
    pattern = [p for p in parts[first_glob:] if p]
    fs_module = require("pyarrow.fs", "Listing input from a URI")
    fs, base_path = filesystem(base)
    info = fs.get_file_info(base_path)
    if info.type == fs_module.FileType.NotFound:
        return [(spec, spec, "no such file or directory")]
    if info.type == fs_module.FileType.File and not pattern:
        return [(spec, spec, None)]
    found = []
    for item in fs.get_file_info(fs_module.FileSelector(base_path, recursive=True)):
        rel = PurePosixPath(item.path).relative_to(base_path.rstrip("/") or "/").parts
        if item.type != fs_module.FileType.File or any(p.startswith((".", "_")) for p in rel):
            continue
        if len(rel) >= len(pattern) and all(
            fnmatch.fnmatchcase(r, p) for r, p in zip(rel, pattern, strict=False)
        ):
            found.append(rel)
    if not found:
        return [(spec, spec, "no file matches this pattern" if pattern else "the directory holds no files")]
    names = [f"{base}/{'/'.join(rel)}" for rel in sorted(found)]
    return [(name, name, None) for name in names]


@contextmanager
def open_binary(location: str) -> Iterator[IO[bytes]]:
    """The file at `location`, streamed as bytes."""
    if not is_uri(location):
        with open(location, "rb") as fh:
            yield fh
        return
    fs, path = filesystem(location)
    with fs.open_input_stream(path) as fh:
        yield fh


@contextmanager
def ingest_path(file: InputFile) -> Iterator[Path]:
    """A local path whose name tells ingest the file's format: the file itself when it is local and
    named so, else a link to it or a copy of it in a temporary directory, named after it with the
    suffix of its format (so that record ids default to the same file stem)."""
    if not is_uri(file.location):
        try:
            named_so = format_of(Path(file.location))[0] == file.format
        except UnsupportedFormat:
            named_so = False
        if named_so:
            yield Path(file.location)
            return
    if file.format is None:
        raise UnsupportedFormat(file.name, file.problem or "unknown format")
    with tempfile.TemporaryDirectory(prefix="alliancegraph-") as tmp:
        with open_binary(file.location) as fh:
            head = fh.read(len(_GZIP_MAGIC))
            gz = ".gz" if head == _GZIP_MAGIC else ""
            target = Path(tmp, stem_of(Path(PurePosixPath(file.name).name)) + INGEST_SUFFIX[file.format] + gz)
            if is_uri(file.location):
                with target.open("wb") as out:
                    out.write(head)
                    shutil.copyfileobj(fh, out, 1024 * 1024)
        if not target.exists():
            target.symlink_to(Path(file.location).resolve())
        yield target

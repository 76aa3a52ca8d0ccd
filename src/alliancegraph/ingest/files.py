"""Bytes from disk: which format a file is, opening it (gzipped or not) within a size limit, decoding it,
and walking directories.

Everything here raises `ArticleParseError` (or `UnsupportedFormat`) naming the file, so the callers
never see a bare `OSError`, `UnicodeDecodeError` or gzip error.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from alliancegraph.errors import ArticleParseError, UnsupportedFormat
from alliancegraph.model import SkippedInput

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest file (after decompression) read whole; for JSON Lines, the largest single line."""

FORMATS: dict[str, str] = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
}
"""File suffix (before an optional ``.gz``) -> format."""

_SNIFF_BYTES = 8192
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


def format_of(path: Path) -> tuple[str, bool]:
    """The format of `path` from its suffixes, and whether it is gzipped."""
    suffixes = [s.lower() for s in path.suffixes]
    gzipped = bool(suffixes) and suffixes[-1] == ".gz"
    if gzipped:
        suffixes.pop()
    kind = FORMATS.get(suffixes[-1]) if suffixes else None
    if kind is None:
        known = ", ".join(sorted(FORMATS))
        raise UnsupportedFormat(
            str(path), f"unsupported file type {path.name!r}; expected one of {known} (optionally .gz)"
        )
    return kind, gzipped


def stem_of(path: Path) -> str:
    """The file name without its format suffix and ``.gz``: ``a/b.jsonl.gz`` -> ``b``."""
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    return Path(name).stem


def _open(path: Path, gzipped: bool) -> gzip.GzipFile | io.BufferedReader:
    try:
        _require_regular(path)
        return gzip.GzipFile(path, "rb") if gzipped else path.open("rb")
    except IsADirectoryError as e:
        raise ArticleParseError(str(path), "is a directory, not a file") from e
    except OSError as e:
        raise ArticleParseError(str(path), f"cannot open the file ({e.strerror or e})") from e


_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _require_regular(path: Path) -> None:
    """Refuse what is not a regular file before opening it: reading a named pipe would wait forever
    for a writer, and a device (``/dev/zero``) never ends."""
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        raise ArticleParseError(str(path), "is a directory, not a file")
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _SPECIAL_FILES if test(mode)), "a special file")
        raise ArticleParseError(str(path), f"is {kind}, not a regular file; give article files or folders")


def read_bytes(path: Path, gzipped: bool, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The whole content of `path` (decompressed), refusing more than `max_bytes`."""
    source = str(path)
    if not gzipped and path.is_file() and path.stat().st_size > max_bytes:
        raise ArticleParseError(source, f"file is larger than the {_size(max_bytes)} limit")
    with _open(path, gzipped) as fh:
        try:
            data = fh.read(max_bytes + 1)
        except _GZIP_ERRORS as e:
            raise ArticleParseError(source, f"not a valid gzip file ({e})") from e
        except OSError as e:
            raise ArticleParseError(source, f"cannot read the file ({e.strerror or e})") from e
    if len(data) > max_bytes:
        raise ArticleParseError(source, f"file is larger than the {_size(max_bytes)} limit once decompressed")
    return data


def decode(data: bytes, source: str) -> str:
    """`data` as text: UTF-8, with or without a byte-order mark; binary data and other encodings refused."""
    if b"\x00" in data:
        raise ArticleParseError(source, "binary data (contains NUL bytes), not UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            bad = data[e.start : e.start + 1].hex()
            raise ArticleParseError(source, f"not valid UTF-8 text (byte 0x{bad} at offset {e.start})") from e
    return text.removeprefix("\ufeff")


def require_content(text: str, source: str) -> str:
    if not text.strip():
        raise ArticleParseError(source, "empty file")
    return text


def iter_lines(
    path: Path, gzipped: bool, max_bytes: int = MAX_FILE_BYTES
) -> Iterator[tuple[int, bytes | None]]:
    """Numbered raw lines of `path`, streamed; a line over `max_bytes` comes as None (and is skipped over).

    Raises for a file that cannot be opened, is binary (a NUL byte in its first kilobytes) or breaks
    off as gzip.
    """
    source = str(path)
    with _open(path, gzipped) as fh:
        try:
            head = fh.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
            if b"\x00" in head:
                raise ArticleParseError(source, "binary data (contains NUL bytes), not UTF-8 text")
            number = 0
            while True:
                line = fh.readline(max_bytes + 1)
                if not line:
                    return
                number += 1
                if len(line) > max_bytes and not line.endswith(b"\n"):
                    while line and not line.endswith(b"\n"):  # skip the rest of the oversized line
                        line = fh.readline(1024 * 1024)
                    yield number, None
                    continue
                yield number, line
        except _GZIP_ERRORS as e:
            raise ArticleParseError(source, f"not a valid gzip file ({e})") from e
        except OSError as e:
            raise ArticleParseError(source, f"cannot read the file ({e.strerror or e})") from e


def walk(paths: Iterable[Path | str]) -> Iterator[Path | SkippedInput]:
    """Files named by `paths`, directories expanded recursively in sorted order, hidden entries left out.

    A path that does not exist or a directory that cannot be listed comes as a `SkippedInput`.
    A hidden file named explicitly is read; inside directories, names starting with "." are skipped.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk_dir(path)
        elif path.exists():
            yield path
        else:
            yield SkippedInput(str(path), "no such file or directory")


def _walk_dir(root: Path) -> Iterator[Path | SkippedInput]:
    problems: list[OSError] = []
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=problems.append):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(Path(dirpath, f) for f in filenames if not f.startswith("."))
    for problem in problems:
        yield SkippedInput(
            str(problem.filename or root), f"cannot list the directory ({problem.strerror or problem})"
        )
    yield from sorted(found, key=lambda p: p.relative_to(root).parts)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n} bytes"

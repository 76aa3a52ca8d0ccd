"""Which documents tell one story, and which evidence items are copies of one statement.

A wire story is republished by many outlets and updated several times a day; counting each copy as
one more confirmation would let one report look like ten. So every document gets a *story* when it is
stored: the story of an earlier document it is a near-copy or an update of, or a new story of its own.

Two documents are one story when any of these holds:

- their bodies are near-identical, or one is an update that keeps most of the other: the Jaccard
  similarity of their word 4-shingles, estimated by a MinHash signature (`SIGNATURE_SIZE` values), is
  at least `SAME_BODY`, or, from `MAYBE_BODY`, the share of the shorter body's shingles found in the
  longer one (`containment`, computed exactly) is at least `CONTAINED`. Candidates are found with
  locality-sensitive hashing: the signature is cut into `BANDS` bands, and documents sharing a band
  are compared;
- they share a headline (after dropping wire prefixes such as "UPDATE 2-") of at least three words
  and were published at most `TITLE_WINDOW` apart (updated versions keep the headline);
- they open with the same words (the first `LEAD_WORDS` words of the body, normalised).

Evidence items are grouped further by their sentences (`same_statement`): a background sentence
pasted into many stories ("X owns 44 percent of Y") is one statement, not many confirmations.

Everything here is pure and deterministic; the repository stores the keys and signatures. The MinHash
is computed with numpy, in exact modular arithmetic (see `_min_hashes`): its values are those of the
definition ``min((a * x + b) mod (2**61 - 1))`` over the shingle hashes ``x``, so signatures stored by
earlier releases stay comparable.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

import numpy as np

SIGNATURE_SIZE = 64
BANDS = 32
ROWS = SIGNATURE_SIZE // BANDS
SAME_BODY = 0.5
"""Estimated shingle Jaccard from which two bodies are one story (copies and most updates)."""
MAYBE_BODY = 0.2
"""Estimated Jaccard from which two bodies are compared exactly (an update may add a lot)."""
CONTAINED = 0.7
"""Share of the shorter body's shingles in the longer one from which they are one story."""
SAME_SENTENCE = 0.8
"""Word 3-shingle Jaccard from which two evidence sentences are one statement."""
TITLE_WINDOW = timedelta(days=7)
LEAD_WORDS = 30
SHINGLE = 4

_PRIME = (1 << 61) - 1
_MASK = (1 << 64) - 1
_WORD = re.compile(r"\w+", re.UNICODE)
_WIRE_PREFIX = re.compile(
    r"^(?:(?:update|rpt|refile|corrected|correction|wrapup|exclusive|analysis|insight|factbox|"
    r"instant view|timeline|scenarios|chronology|table|text|breakingviews)\s*\d*\s*[-:]\s*)+",
    re.IGNORECASE,
)


def _coefficients() -> tuple[tuple[int, int], ...]:
    """The fixed (a, b) pairs of the universal hashes ``(a * x + b) mod p``, derived from a seed so
    signatures stored by one release stay comparable with the next."""
    out = []
    for i in range(SIGNATURE_SIZE):
        digest = hashlib.blake2b(f"alliancegraph-minhash-{i}".encode(), digest_size=16).digest()
        a = int.from_bytes(digest[:8], "big") % (_PRIME - 1) + 1
        b = int.from_bytes(digest[8:], "big") % _PRIME
        out.append((a, b))
    return tuple(out)


_COEFFICIENTS = _coefficients()


class _Uncombined(dict[int, int | None]):
    """A `str.translate` table that drops combining characters (accents once NFKD has split them off),
    filled in as characters are met."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_UNCOMBINED = _Uncombined()


def words(text: str) -> list[str]:
    """Lowercase, accent-free words of a text (NFKD, case-folded, combining characters dropped)."""
    if text.isascii():  # NFKD leaves ASCII alone, and case-folds it as lower() does
        return _WORD.findall(text.lower())
    folded = unicodedata.normalize("NFKD", text).casefold()
    return _WORD.findall(folded if folded.isascii() else folded.translate(_UNCOMBINED))


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The set of `size`-word windows of a text (the whole text when it is shorter)."""
    w = words(text)
    if len(w) <= size:
        return {" ".join(w)} if w else set()
    windows = zip(*(w[i:] for i in range(size)), strict=False)  # ends with the shortest, w[size - 1 :]
    return set(map(" ".join, windows))


_BLAKE2B_8 = hashlib.blake2b(digest_size=8)
"""An empty 8-byte BLAKE2b hash: copying it is cheaper than making a new one (never updated itself)."""


def _hashes64(texts: Iterable[str]) -> np.ndarray:
    """The 64-bit hash of each text (its 8-byte BLAKE2b digest, read big-endian)."""
    digests = bytearray()
    for text in texts:
        h = _BLAKE2B_8.copy()
        h.update(text.encode("utf-8"))
        digests += h.digest()
    return np.frombuffer(digests, dtype=">u8").astype(np.uint64)


# The MinHash in numpy, exact. Every value stays below 2**64: x is first reduced mod p (p = 2**61 - 1, so
# 2**61 = 1 mod p), then a * x mod p is taken from 31-bit and 30-bit halves of a and x, whose partial
# products are below 2**62 (see `_min_hashes`). The working arrays are allocated once per call and
# reused, and a conditional subtraction is min(v, v - p) (v - p wraps around above v when v < p):
# fresh temporaries and masked operations cost more than the arithmetic.
_P = np.uint64(_PRIME)
_LOW31 = np.uint64((1 << 31) - 1)
_LOW30 = np.uint64((1 << 30) - 1)
_A = np.array([a for a, _ in _COEFFICIENTS], dtype=np.uint64)[:, None]
_A_HIGH, _A_LOW = _A >> np.uint64(31), _A & _LOW31
_B = np.array([b for _, b in _COEFFICIENTS], dtype=np.uint64)[:, None]
_BLOCK = 1024
"""Shingle hashes per step of `_min_hashes`: bounds its working arrays (3 x 64 x 1024 values)."""


def _fold(v: np.ndarray, spare: np.ndarray) -> None:
    """``v mod p`` in place, for values below 2**64 (`spare`: a scratch array of v's shape). As
    2**61 = 1 mod p, v = (v >> 61) + (v & p) mod p, which is below 2p: one subtraction at most."""
    np.right_shift(v, np.uint64(61), out=spare)
    v &= _P
    v += spare
    np.subtract(v, _P, out=spare)
    np.minimum(v, spare, out=v)


def _min_hashes(hashed: np.ndarray) -> tuple[int, ...]:
    """For each coefficient pair (a, b), the least ``(a * x + b) mod p`` over the 64-bit values `hashed`
    (non-empty), computed exactly.

    With x < p, a = ah * 2**31 + al and x = xh * 2**31 + xl (ah, xh below 2**30; al, xl below 2**31):
    a * x = ah * xh * 2**62 + m * 2**31 + al * xl, where m = ah * xl + al * xh < 2**62. Modulo p,
    2**62 = 2 and m * 2**31 = (m >> 30) + (m & (2**30 - 1)) * 2**31, so a * x mod p is that of
    2 * ah * xh + (m >> 30) + (m & (2**30 - 1)) * 2**31 + al * xl, a sum below
    2**61 + 2**32 + 2**61 + 2**62 < 2**64 that one `_fold` reduces."""
    width = min(len(hashed), _BLOCK)
    total, mid, spare = np.empty((3, SIGNATURE_SIZE, width), dtype=np.uint64)
    best = np.full(SIGNATURE_SIZE, _P, dtype=np.uint64)
    for start in range(0, len(hashed), _BLOCK):
        x = hashed[None, start : start + _BLOCK].copy()
        _fold(x, np.empty_like(x))
        x_high, x_low = x >> np.uint64(31), x & _LOW31
        n = x.shape[1]
        t, m, s = total[:, :n], mid[:, :n], spare[:, :n]
        np.multiply(_A_HIGH, x_low, out=m)
        np.multiply(_A_LOW, x_high, out=s)
        m += s
        np.multiply(_A_HIGH, x_high, out=t)
        t <<= np.uint64(1)
        np.right_shift(m, np.uint64(30), out=s)
        t += s
        m &= _LOW30
        m <<= np.uint64(31)
        t += m
        np.multiply(_A_LOW, x_low, out=s)
        t += s
        _fold(t, s)
        t += _B  # below 2p
        np.subtract(t, _P, out=s)
        np.minimum(t, s, out=t)
        np.minimum(best, t.min(axis=1), out=best)
    return tuple(best.tolist())


def signature(text: str) -> tuple[int, ...]:
    """The MinHash signature of a text's shingles; all-max for a text without words."""
    found = shingles(text)
    if not found:
        return (_MASK,) * SIGNATURE_SIZE
    return _min_hashes(_hashes64(found))


def encode(sig: Sequence[int]) -> str:
    """A signature as text (16 hex digits per value), for a text column."""
    return "".join(f"{v:016x}" for v in sig)


def decode(text: str) -> tuple[int, ...]:
    return tuple(int(text[i : i + 16], 16) for i in range(0, len(text), 16))


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """The estimated Jaccard similarity of two signatures: the share of positions that agree."""
    if not a or len(a) != len(b):
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


def band_keys(sig: Sequence[int]) -> list[str]:
    """The locality-sensitive keys of a signature: one per band of `ROWS` values."""
    out = []
    for band in range(BANDS):
        chunk = ",".join(str(v) for v in sig[band * ROWS : (band + 1) * ROWS])
        out.append(f"m{band}:{hashlib.blake2b(chunk.encode(), digest_size=8).hexdigest()}")
    return out


def title_key(title: str | None) -> str | None:
    """The key of a headline without wire prefixes, or None when too short to tell stories apart."""
    if not title:
        return None
    w = words(_WIRE_PREFIX.sub("", title.strip()))
    if len(w) < 3:
        return None
    return "t:" + hashlib.blake2b(" ".join(w).encode(), digest_size=10).hexdigest()


def lead_key(text: str) -> str | None:
    """The key of a body's opening words, or None for a body too short to have a lead."""
    w = words(text)
    if len(w) < LEAD_WORDS:
        return None
    return "l:" + hashlib.blake2b(" ".join(w[:LEAD_WORDS]).encode(), digest_size=10).hexdigest()


def story_keys(title: str | None, text: str, sig: Sequence[int]) -> list[str]:
    """Every key under which a document may meet another of its story."""
    keys = band_keys(sig)
    keys.extend(k for k in (title_key(title), lead_key(text)) if k is not None)
    return keys


def containment(a: str, b: str) -> float:
    """The share of the shorter text's 4-shingles that the other text has too."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def same_story(
    key: str,
    sig: Sequence[int],
    published: date | None,
    other_sig: Sequence[int],
    other_published: date | None,
    texts: tuple[str, str] | None = None,
) -> bool | None:
    """Whether a candidate document found under `key` is truly of the same story; None when that
    needs the two texts (`texts`) and they were not given."""
    if key.startswith("m"):
        estimate = similarity(sig, other_sig)
        if estimate >= SAME_BODY:
            return True
        if estimate < MAYBE_BODY:
            return False
        return None if texts is None else containment(*texts) >= CONTAINED
    if key.startswith("t:"):
        return (
            published is None or other_published is None or abs(published - other_published) <= TITLE_WINDOW
        )
    return True


class Candidate(NamedTuple):
    """A document met under one of a new document's story keys, as it is when the new one is stored."""

    key: str
    id: str
    story: str | None
    signature: tuple[int, ...]
    published: date | None


def story_of(
    id: str,
    text: str,
    published: date | None,
    sig: Sequence[int],
    candidates: Iterable[Candidate],
    texts_of: Callable[[list[str]], Mapping[str, str]],
) -> str:
    """The story of a document: that of the earliest candidate it is a copy or an update of (see
    `same_story`), else its own `id`, a new story. `texts_of` gives documents' texts by id; it is asked
    only for the candidates that need the exact comparison. The answer does not depend on the order of
    the candidates."""
    matches = []
    unsure = []
    for c in candidates:
        verdict = same_story(c.key, sig, published, c.signature, c.published)
        if verdict is None:
            unsure.append(c)
        elif verdict:
            matches.append(c)
    if unsure:
        texts = texts_of(sorted({c.id for c in unsure} - {c.id for c in matches}))
        matches += [c for c in unsure if c.id in texts and containment(text, texts[c.id]) >= CONTAINED]
    if not matches:
        return id
    first = min(matches, key=lambda c: (c.published or date.min, c.id))
    return first.story or first.id


def normal_sentence(text: str) -> str:
    return " ".join(words(text))


def same_statement(a: str, b: str) -> bool:
    """Whether two evidence sentences are one statement: equal once normalised, or near-identical."""
    if normal_sentence(a) == normal_sentence(b):
        return True
    sa, sb = shingles(a, 3), shingles(b, 3)
    if not sa or not sb:
        return False
    return len(sa & sb) / len(sa | sb) >= SAME_SENTENCE


NEAR_COPY_LIMIT = 80
"""Above this many groups, near-identical (not equal) sentences are not compared: the pass is
quadratic, and a fact with that many independent statements is well corroborated either way."""

# A fact's corroboration is recomputed from all its evidence whenever an article adds to it, so the same
# sentences are normalised again and again: their keys and 3-shingles are kept (a few MB at most).
_sentence_key = lru_cache(maxsize=4096)(normal_sentence)


@lru_cache(maxsize=4096)
def _sentence_grams(sentence: str) -> frozenset[str]:
    return frozenset(shingles(sentence, 3))


def corroboration(items: Iterable[tuple[str, str]]) -> int:
    """How many independent statements a fact has: its evidence items as (story, sentence) pairs,
    grouped when they share a story or a sentence (once normalised), then groups merged when their
    sentences are near-identical; the number of groups.

    Groups are compared by one sentence each, the least of their normalised sentences in code-point
    order, so the count depends on the items alone, never on their order: a store reads a fact's
    evidence back in whatever order its database gives."""
    items = list(items)
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_story: dict[str, int] = {}
    by_sentence: dict[str, int] = {}
    for i, (story, sentence) in enumerate(items):
        for index, key in ((by_story, story), (by_sentence, _sentence_key(sentence))):
            j = index.setdefault(key, i)
            if j != i:
                parent[find(i)] = find(j)
    # by_sentence maps each normalised sentence to one item; a group's least key names its sentence.
    least: dict[int, str] = {}
    for key, i in by_sentence.items():
        root = find(i)
        if root not in least or key < least[root]:
            least[root] = key
    if 1 < len(least) <= NEAR_COPY_LIMIT:
        ranked = sorted(least, key=least.__getitem__)
        grams = {r: _sentence_grams(items[by_sentence[least[r]]][1]) for r in ranked}
        for x, i in enumerate(ranked):
            for j in ranked[x + 1 :]:
                a, b = grams[i], grams[j]
                if a and b and find(i) != find(j):
                    common = len(a & b)  # the union has len(a) + len(b) - common shingles
                    if common >= SAME_SENTENCE * (len(a) + len(b) - common):
                        parent[find(j)] = find(i)
    return len({find(i) for i in range(len(items))})

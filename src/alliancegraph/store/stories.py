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

Everything here is pure and deterministic; the repository stores the keys and signatures.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

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


def words(text: str) -> list[str]:
    """Lowercase, accent-free words of a text."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    return _WORD.findall("".join(c for c in folded if not unicodedata.combining(c)))


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The set of `size`-word windows of a text (the whole text when it is shorter)."""
    w = words(text)
    if len(w) <= size:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i : i + size]) for i in range(len(w) - size + 1)}


def _hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def signature(text: str) -> tuple[int, ...]:
    """The MinHash signature of a text's shingles; all-max for a text without words."""
    hashed = [_hash64(s) for s in shingles(text)]
    if not hashed:
        return (_MASK,) * SIGNATURE_SIZE
    return tuple(min((a * x + b) % _PRIME for x in hashed) for a, b in _COEFFICIENTS)


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


def corroboration(items: Iterable[tuple[str, str]]) -> int:
    """How many independent statements a fact has: its evidence items as (story, sentence) pairs,
    grouped when they share a story or a near-identical sentence; the number of groups."""
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
        for index, key in ((by_story, story), (by_sentence, normal_sentence(sentence))):
            j = index.setdefault(key, i)
            if j != i:
                parent[find(i)] = find(j)
    roots = sorted({find(i) for i in range(len(items))})
    if 1 < len(roots) <= NEAR_COPY_LIMIT:
        grams = {i: shingles(items[i][1], 3) for i in roots}
        for x, i in enumerate(roots):
            for j in roots[x + 1 :]:
                a, b = grams[i], grams[j]
                if a and b and find(i) != find(j) and len(a & b) >= SAME_SENTENCE * len(a | b):
                    parent[find(j)] = find(i)
    return len({find(i) for i in range(len(items))})

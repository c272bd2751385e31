"""Name tokens for the keyed blind index used by name search.

Stable by contract: stored indexes depend on it. Change the rules only with a
new ``SEARCH_TOKENS_VERSION`` and a re-index (``lentera keys rotate`` rebuilds
every index).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["SEARCH_TOKENS_VERSION", "fold_spelling", "search_tokens"]

SEARCH_TOKENS_VERSION = "search-tokens/1"

#: pre-1972 (Van Ophuijsen / Soewandi) spellings → EYD, applied in this order
_REFORM = (("\x00", "j"), ("\x01", "c"), ("\x02", "sy"), ("\x03", "ny"), ("oe", "u"), ("ch", "kh"))
#: words that are not part of a person's own name for search purposes
_DROP = frozenset(
    {
        "bin",
        "binti",
        "bt",
        "bte",
        "bn",
        "i",
        "ni",
        "h",
        "hj",
        "haji",
        "hajjah",
        "dr",
        "ir",
        "drs",
        "st",
        "sh",
        "se",
    }
)


def fold_spelling(token: str) -> str:
    """Fold old Indonesian spelling to the current one (Soerjani → Suryani, Djoko → Joko).

    In the old spelling ``j`` wrote /y/ and ``dj`` wrote /j/; so when a token shows
    an old-spelling marker, its remaining ``j`` become ``y``. Without a marker the
    token is taken as current spelling (``Jajang`` stays).
    """
    old_style = bool(_REFORM_MARKERS.search(token))
    out = token
    for digraph, mark in _DIGRAPH_MARKS:
        out = out.replace(digraph, mark)
    if old_style:
        out = out.replace("j", "y")
    for old, new in _REFORM:
        out = out.replace(old, new)
    return out


_DIGRAPH_MARKS = (("dj", "\x00"), ("tj", "\x01"), ("sj", "\x02"), ("nj", "\x03"))
_REFORM_MARKERS = re.compile(r"oe|dj|tj|sj|nj")


def to_ascii(text: str) -> str:
    """``text`` without accents (NFKD, non-ASCII dropped): ``Ñoman Dédé`` → ``Noman Dede``."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def search_tokens(name: str) -> list[str]:
    """Lower-case, accent-free, spelling-folded name tokens without honorifics or bin/binti."""
    tokens = re.findall(r"[a-z]+", to_ascii(name or "").lower())
    return [fold_spelling(t) for t in tokens if t not in _DROP and len(t) > 1]

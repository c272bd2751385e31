"""``lentera-clk/2``: field-level keyed encodings, several keyed blocking keys, Fellegi–Sunter matching.

The first encoding (``lentera-clk/1``, :mod:`lentera.linkage.pprl`) put every field into one
Bloom filter, blocked on the birth year alone and matched on one record-level Dice. This one
keeps the fields apart, so they can be weighed as a plaintext model weighs them:
:mod:`.encoding` writes the encodings (and says what each schema revision carries),
:mod:`.matching` matches two files of them. docs/linkage.md has the threat model.
"""

from lentera.linkage.clk2.encoding import (
    BLOCK_CAP,
    ENCODING_VERSION,
    REVISION,
    REVISION_FIELDS,
    EncodingV2,
    check_version,
    encode,
    file_revision,
    iter_encode,
)
from lentera.linkage.clk2.matching import LEVELS, Match, match

__all__ = [
    "BLOCK_CAP",
    "ENCODING_VERSION",
    "LEVELS",
    "REVISION",
    "REVISION_FIELDS",
    "EncodingV2",
    "Match",
    "check_version",
    "encode",
    "file_revision",
    "iter_encode",
    "match",
]

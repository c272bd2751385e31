"""Record linkage: Indonesian name, date, NIK and phone normalisation; deduplication (Splink) and PPRL."""

from lentera.linkage import dedupe, pprl, synthetic
from lentera.linkage.dates import ParsedDate, parse_date
from lentera.linkage.names import NormalisedName, normalise_name, phonetic_key
from lentera.linkage.nik import NikInfo, decode_nik, normalise_nik, validate_nik
from lentera.linkage.phone import normalise_phone
from lentera.linkage.search import SEARCH_TOKENS_VERSION, fold_spelling, search_tokens

__all__ = [
    "SEARCH_TOKENS_VERSION",
    "NikInfo",
    "NormalisedName",
    "ParsedDate",
    "decode_nik",
    "dedupe",
    "fold_spelling",
    "normalise_name",
    "normalise_nik",
    "normalise_phone",
    "parse_date",
    "phonetic_key",
    "pprl",
    "search_tokens",
    "synthetic",
    "validate_nik",
]

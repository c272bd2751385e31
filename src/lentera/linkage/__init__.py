"""Record linkage: Indonesian name normalisation and (privacy-preserving) matching."""

from lentera.linkage.search import SEARCH_TOKENS_VERSION, fold_spelling, search_tokens

__all__ = ["SEARCH_TOKENS_VERSION", "fold_spelling", "search_tokens"]

"""The limits that keep every query's work bounded, each far above what a person types; past one
the query is refused with the limit named, instead of taking minutes. Both search paths (plain
and operator queries) check them here."""

from __future__ import annotations

from migarchive.errors import QuerySyntaxError

MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 64  # words, phrase words and filter values, after parsing
MAX_NESTING = 16  # parentheses inside parentheses
MAX_PHRASE_WORDS = 32
MAX_EXPANSION = 128  # the words one prefix or wildcard may stand for


def check_terms(count: int) -> None:
    if count > MAX_QUERY_TERMS:
        raise QuerySyntaxError(f"the query has more than {MAX_QUERY_TERMS} words; shorten it")


def check_phrase(words: int) -> None:
    if words > MAX_PHRASE_WORDS:
        raise QuerySyntaxError(f"the phrase has {words} words; a phrase may have at most {MAX_PHRASE_WORDS}")


def check_expansion(count: int, shown: str) -> None:
    """`count` words found for the prefix or wildcard `shown` (counting stops past the limit)."""
    if count > MAX_EXPANSION:
        raise QuerySyntaxError(f"'{shown}' stands for more than {MAX_EXPANSION} words in this archive; "
                               "give more letters before the *")

"""Acronym definitions a document makes: "Long Form (LF)", "LF (Long Form)" and abbreviation tables,
and short names given the same way ("… especially Women and Children (Palermo Protocol)").

The short form's letters must be found, in order, inside the long form, with its first letter at the
start of a word (the Schwartz-Hearst algorithm). Search uses the definitions so that `IOM` also finds
"International Organization for Migration".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from migarchive.core.model import DAMAGE_MARKER, AcronymDefinition
from migarchive.core.names import has_head_word

_PAREN = re.compile(r"\(([^()\n]{1,120})\)")
_SHORT = re.compile(r"^[A-Za-z][A-Za-z0-9&.\-]{0,9}(?: [A-Z][A-Za-z]{1,8})?$")
# Possessive where a tab and the spaces around it could be shared between two quantifiers (a row
# of many tabs backtracked in their square); the row is matched right-stripped, not with "\s*$".
_TABLE_ROW = re.compile(r"\s*+([A-Z][A-Za-z0-9&.\- ]{1,11}?)\t\s*+(\S.{2,120})")
_SMALL = frozenset({"of", "for", "on", "and", "the", "in", "to"})
_SENTENCE_START = re.compile(r"[.;:!?]\s|\n|\(|\)")
_WORD_BEFORE = re.compile(r"[A-Za-z][A-Za-z0-9&\-]{1,9}$")


def find_definitions(text: str) -> tuple[AcronymDefinition, ...]:
    text = text.replace(DAMAGE_MARKER, "\n")
    found: dict[tuple[str, str], AcronymDefinition] = {}
    for definition in [*_parenthesised(text), *_table_rows(text)]:
        found.setdefault((definition.acronym, definition.long_form.lower()), definition)
    return tuple(found.values())


def is_short_form(candidate: str) -> bool:
    uppers = sum(c.isupper() for c in candidate)
    return bool(_SHORT.match(candidate)) and uppers >= 2 and uppers >= len(candidate.replace(" ", "")) // 2


def match_long_form(short: str, long: str) -> str | None:
    """The shortest tail of `long` that contains the letters of `short` in order, or None."""
    s = len(short) - 1
    i = len(long) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while i >= 0 and (long[i].lower() != c or (s == 0 and i > 0 and long[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    start = long.rfind(" ", 0, i + 1) + 1
    result = long[start:].strip(" ,;:-")
    words = result.split()
    # A long form must be longer than its acronym and not a single stretched word.
    if len(words) < 2 or len(words) > len(short.replace(" ", "")) + 5:
        return None
    return result


def _parenthesised(text: str) -> Iterable[AcronymDefinition]:
    for match in _PAREN.finditer(text):
        inner = match.group(1).strip()
        # Only the words just before the parenthesis matter; the whole prefix would make this quadratic.
        before = text[max(0, match.start() - 300) : match.start()]
        if is_short_form(inner):
            # Long form first: at most min(|SF| + 5, 2 |SF|) words back, within the sentence.
            clause = _SENTENCE_START.split(before)[-1]
            words = clause.split()
            limit = min(len(inner) + 5, 2 * len(inner))
            candidate = " ".join(words[-limit:])
            long = match_long_form(inner, candidate)
            if long:
                yield AcronymDefinition(inner, _tidy(long))
        elif (named := _short_name(inner, before)) is not None:
            yield named
        else:
            # Short form first: "IOM (International Organization for Migration)".
            # Only the last ten characters can hold the word: searching the whole stretch for a
            # word followed by spaces to its end tried every place in it.
            previous = _WORD_BEFORE.search(before.rstrip()[-10:])
            if previous and is_short_form(previous.group()) and len(inner.split()) >= 2:
                long = match_long_form(previous.group(), inner)
                if long and long == inner.strip(" ,;:-"):
                    yield AcronymDefinition(previous.group(), _tidy(long))


def _short_name(inner: str, before: str) -> AcronymDefinition | None:
    """A short name given in parentheses after the full one: "… Trafficking in Persons, especially
    Women and Children (Palermo Protocol)". The short name's head word ("Protocol") is where the
    full name's head is: the full name runs from its last use before the parenthesis, with the
    capitalised words just before that ("United Nations Protocol to Prevent, …")."""
    words = inner.split()
    if not 2 <= len(words) <= 5 or not all(w[:1].isupper() or w in _SMALL for w in words) \
            or not words[-1][:1].isupper() or not has_head_word(words[-1]):
        return None
    clause = _SENTENCE_START.split(before)[-1]
    head = words[-1]
    found = [m for m in re.finditer(rf"(?<![\w-]){re.escape(head)}(?![\w-])", clause)]
    if not found:
        return None
    start = found[-1].start()
    for word in reversed(list(re.finditer(r"\S+", clause[:start]))):
        if not word.group()[:1].isupper():
            break
        start = word.start()
    long = clause[start:].strip(" ,;:-")
    if not len(words) < len(long.split()) <= 25 or long.lower() == inner.lower():
        return None
    return AcronymDefinition(inner, _tidy(long))


def _table_rows(text: str) -> Iterable[AcronymDefinition]:
    for line in text.splitlines():
        match = _TABLE_ROW.fullmatch(line.rstrip())
        if match and is_short_form(match.group(1).strip()):
            yield AcronymDefinition(match.group(1).strip(), _tidy(match.group(2)))


def _tidy(long_form: str) -> str:
    long_form = re.sub(r"[*_]+", "", " ".join(long_form.split()))
    long_form = re.sub(r"^(?:the|of|and|by|for)\s+", "", long_form, flags=re.I)
    return re.sub(r"['’]s$", "", long_form).strip(" ,;:")

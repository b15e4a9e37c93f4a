"""Finding candidate mentions (core.mentions): the quicker scans give what the plain ones gave."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from migarchive.core import mentions
from migarchive.core.model import DAMAGE_MARKER

PIECES = [*"AUNDESIOMabcsxyz /-_'’*\n9", DAMAGE_MARKER, "McD", "UN-", "A/RES/", "Mr ", "G7"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
_EVERY_CAPITAL_WORD = re.compile(r"(?<![\w-])(?<![^A-Z]/)(?<!^/)[A-Z][A-Za-z]*+")


def _acronyms_from_every_capital_word(text: str) -> list[tuple[int, int]]:
    """`_acronyms` as it was: each capitalised word matched, those with fewer than two capitals skipped."""
    found = []
    resume = 0
    for match in _EVERY_CAPITAL_WORD.finditer(text):
        start, end = match.span()
        if start < resume or sum(map(str.isupper, match.group())) < 2:
            continue
        after = text[end : end + 1]
        if after in ("-", " "):
            second = mentions._CAPITAL_WORD_END.match(text, end + 1)
            if second is not None and second.end() - second.start() >= 2 and text[second.end() - 1].isupper():
                resume = second.end()
                found.append((start, resume))
                continue
            if after == "-":
                continue
        elif after and (after.isalnum() or after == "_"):
            continue
        found.append((start, end))
    return found


@settings(max_examples=400)
@given(TEXT)
def test_acronyms_are_the_capitalised_words_with_two_capitals(text: str) -> None:
    assert list(mentions._acronyms(text)) == _acronyms_from_every_capital_word(text)


@settings(max_examples=300)
@given(TEXT)
def test_masking_keeps_every_offset_and_blanks_italics_and_damage(text: str) -> None:
    masked = mentions._masked(text)
    expected = mentions._ITALIC.sub(lambda m: " " * len(m.group()),
                                    mentions._SLASH.sub("|", text.replace(DAMAGE_MARKER, " " * len(DAMAGE_MARKER))))
    assert masked == expected and len(masked) == len(text)


def test_acronyms_in_running_text() -> None:
    text = "The IOM and UN DESA met UN-Habitat, McDonald and the MDGs team; G77 and Mr Smith did not."
    assert [text[s:e] for s, e in mentions._acronyms(text)] == ["IOM", "UN DESA", "McDonald", "MDGs"]

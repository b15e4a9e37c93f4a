"""Meeting numbers in words: "Second", "Twenty-first", and the title of the meeting they number.

Apart from `metadata`, which reads them in documents: the meeting tree and the search engine name
meetings, and a command that lists or searches an unchanged archive need not load the rest of
metadata's patterns.
"""

from __future__ import annotations

_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
          "seventeenth", "eighteenth", "nineteenth"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40}
_TENTHS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40}


def _ordinal_words() -> dict[str, int]:
    words = {w: i for i, w in enumerate(_UNITS, start=1)}
    words.update({w: i for i, w in enumerate(_TEENS, start=10)})
    words.update(_TENTHS)
    for tens, value in _TENS.items():
        for i, unit in enumerate(_UNITS, start=1):
            words[f"{tens}-{unit}"] = words[f"{tens} {unit}"] = value + i
    return words


ORDINALS = _ordinal_words()
_ORDINAL_NAMES = {n: w for w, n in ORDINALS.items() if " " not in w}


def ordinal_name(number: int) -> str:
    return _ORDINAL_NAMES.get(number, f"{number}th").capitalize()


def meeting_title(number: int) -> str:
    return f"{ordinal_name(number)} Coordination Meeting on International Migration"

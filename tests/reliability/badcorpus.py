"""A corpus folder holding, beside the five good seed documents, every kind of bad input we know of.

`make_bad_corpus` returns what each bad entry must come to: indexed (and found by a word only it
contains), or skipped with a reason that says why.
"""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from migarchive.paths import bundled_corpus

STRANGE_NAME = "Réunion «$(echo pwned)» `id`; a & b | c * ? # % 'x' \"y\" 中文 🙂.txt"
HOSTILE = "hostile.md"
HUGE_BYTES = 50 * 1024 * 1024
LONG_LINE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Expect:
    name: str  # the corpus-relative path as reported ("…" for a name that is not UTF-8)
    indexed: bool
    word: str = ""  # a word only this document contains, when indexed
    reason: str = ""  # a part of the reason given, when skipped


def make_bad_corpus(target: Path, outside: Path, long_line: bool = True) -> list[Expect]:
    """The corpus in `target`, a file linked to in `outside`; `long_line=False` leaves out the 1 MB
    line, which takes a second or two to index, where a test indexes many times."""
    shutil.copytree(bundled_corpus(), target)
    rng = random.Random(3)
    expect: list[Expect] = []

    def text(name: str, content: str | bytes, word: str = "", reason: str = "") -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        (target / name).write_bytes(data)
        expect.append(Expect(name, not reason, word, reason))

    text("empty.txt", b"", reason="empty file")
    text("blank.md", b"  \n\n\t\n", reason="empty file")
    text("binary.txt", b"\x89PNG\r\n\x1a\n" + rng.randbytes(20_000), reason="binary file")
    text("nul-many.txt", b"text\x00" * 2000, reason="binary file")
    text("cp1252.txt", "Réunion à Genève: the xylocpone remittances of migrants’ families.\n".encode("cp1252"),
         word="xylocpone")
    text("utf8-bom.txt", "\ufeffA report on xylobomone and circular migration.\n", word="xylobomone")
    text("utf16-le.txt", "Rapport sur la migration, xylosixteenle, à Genève.\n".encode("utf-16"), word="xylosixteenle")
    text("utf16-be.txt", b"\xfe\xff" + "A big-endian paper on xylosixteenbe.\n".encode("utf-16-be"),
         word="xylosixteenbe")
    text("crlf.txt", b"CRLF PAPER\r\n\r\nA paragraph on xylocrlf with CRLF line ends.\r\nSecond line.\r\n",
         word="xylocrlf")
    text("cr.txt", b"CR PAPER\r\rA paragraph on xylocarriage with old Mac line ends.\rSecond line.\r",
         word="xylocarriage")
    text("nul-stray.txt", b"A long paragraph on xylonul, with a stray\x00 NUL byte in it and enough words "
         b"around it to be ordinary text about migration statistics.\n" * 20, word="xylonul")
    text(STRANGE_NAME, "A paper with a strange name on xylostrange and migration governance.\n", word="xylostrange")
    text("broken-sidecar.txt", "A paper on xylosidecar whose sidecar is not JSON.\n", word="xylosidecar")
    (target / "broken-sidecar.txt.meta.json").write_text("{not json", encoding="utf-8")
    text("broken-front-matter.md", "---\nmeeting: banana\nstart_date: yesterday\n---\nA paper on xylofront.\n",
         word="xylofront")
    text(HOSTILE, "---\ntitle: <img src=\"file:///etc/hostname\"> <b>Hostile</b> paper\n---\n\n"
         "HOSTILE PAPER ON XYLOHOSTILE\n\n"
         "Before <script>alert('xylohostile')</script> after.\n\n"
         "An image <img src=x onerror=alert(1)> and a <a href=\"file:///etc/passwd\">local link</a>.\n\n"
         "Links: [js](javascript:alert(1)), [file](file:///etc/passwd), [data](data:text/html,hi), "
         "![picture](file:///etc/hostname), <javascript:alert(2)>, <ftp://example.org/x>, "
         "[JS upper](JAVASCRIPT:alert(3)), [spaced]( javascript:alert(4)) and [a site](https://example.org).\n\n"
         "[by reference][1]\n\n[1]: javascript:alert(5)\n", word="xylohostile")
    # one enormous line: 50 MB is refused unread; 1 MB (thousands of acronyms on one line, which
    # once took hours) is indexed in a second or two
    with open(target / "huge-line.txt", "wb") as handle:
        chunk = b"IOM and UNHCR discuss migration. " * 32768
        for _ in range(HUGE_BYTES // len(chunk) + 1):
            handle.write(chunk)
    expect.append(Expect("huge-line.txt", False, reason="too large"))
    if long_line:
        words = "IOM UNHCR ILO migration remittances the of and to Coordination Meeting xylolongline".split()
        line = " ".join(rng.choice(words) for _ in range(LONG_LINE_BYTES // 7))
        text("long-line.txt", line[:LONG_LINE_BYTES] + " xylolongline\n", word="xylolongline")
    # a folder named like a document: its documents are read, the folder itself is no file
    (target / "x.md").mkdir()
    text("x.md/inside.txt", "A paper on xylofolder inside a folder named x.md.\n", word="xylofolder")
    # links: to itself, to nowhere, out of the corpus, and a folder loop
    os.symlink("loop.txt", target / "loop.txt")
    expect.append(Expect("loop.txt", False, reason="symbolic link loop"))
    os.symlink("nowhere.txt", target / "dangling.txt")
    expect.append(Expect("dangling.txt", False, reason="cannot be read"))
    outside.write_text("A secret outside the corpus: xylooutside.\n", encoding="utf-8")
    os.symlink(outside, target / "outside.txt")
    expect.append(Expect("outside.txt", False, reason="outside the corpus"))
    os.symlink(".", target / "folder-loop")
    # a pipe, which a careless reader would wait on forever
    if hasattr(os, "mkfifo"):
        os.mkfifo(target / "pipe.txt")
        expect.append(Expect("pipe.txt", False, reason="not a regular file"))
    # a name that is not UTF-8 (possible on Linux): it cannot be stored in the index nor printed
    if os.name == "posix":
        try:
            (target / os.fsdecode(b"latin1-caf\xe9.txt")).write_text("A paper on xylolatinname.\n", encoding="utf-8")
            expect.append(Expect("latin1-caf\ufffd.txt", False, reason="not valid UTF-8"))
        except (OSError, UnicodeError):  # a file system that insists on UTF-8 names
            pass
    return expect

"""Inline Markdown taken off a passage, as the reader shows its text (without the `markdown`
package: a search that makes snippets has no use for it)."""

from __future__ import annotations

import re

# Inline Markdown, as `plain_inline` takes it off (block structure is not a snippet's concern).
# No brackets or backtick runs that a match could re-scan: each is linear in the text (a run of
# backticks once took seconds per thousand, cubically; image links quadratically).
_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\([^()\n]*\)")
_LINK = re.compile(r"\[([^\[\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)")
_CODE = re.compile(r"(?<!`)(`+)(?!`)(?=\S)([^`\n]+?)(?<=\S)\1(?!`)")
_STRONG = re.compile(r"(?<![*\\])\*\*(?=\S)(.+?)(?<=\S)\*\*(?!\*)")
_UNDER_STRONG = re.compile(r"(?<![\w_])__(?=\S)(.+?)(?<=\S)__(?![\w_])")
_EMPHASIS = re.compile(r"(?<![*\w\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*\w])")
_UNDER_EMPHASIS = re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?![\w_])")


def plain_inline(text: str, *, keep_bold: bool = True) -> str:
    """The text as the reader shows it, inline marks taken off: `([A/RES/71/1](#))` becomes
    "(A/RES/71/1)", `*italic*` and `` `code` `` their words, an image its description.

    `keep_bold` leaves `**…**` alone: in a snippet those are the search's highlight marks, which the
    results list draws as bold. Give passage text with `keep_bold=False` *before* highlighting it,
    so that a document's own bold is not taken for a match."""
    # Each pattern only where its mark occurs (looked for in the text as it is by then): most
    # passages of prose hold none, and the seven scans cost ~40 µs a passage, a tenth of a plain
    # query with its ten snippets.
    if "[" in text:
        text = _IMAGE.sub(lambda m: f"[image: {m.group(1) or 'not shown'}]", text)
        text = _LINK.sub(r"\1", text)
    if "`" in text:
        text = _CODE.sub(r"\2", text)
    if not keep_bold and "*" in text:
        text = _STRONG.sub(r"\1", text)
    if "_" in text:
        text = _UNDER_STRONG.sub(r"\1", text)
    if "*" in text:
        text = _EMPHASIS.sub(r"\1", text)
    if "_" in text:
        text = _UNDER_EMPHASIS.sub(r"\1", text)
    return text

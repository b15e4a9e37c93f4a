"""A cleaned document as HTML for the reader: Markdown rendered, nothing from the source executed.

Raw HTML in a document is shown as text, never interpreted; links other than http(s), mailto and
in-page anchors are made inert; images are replaced by their description (a document must not make
the reader load files or reach the network). Headings and passages carry anchors named after their
section and passage ids, so the reader can scroll to them.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from migarchive.core.inline_marks import plain_inline as plain_inline  # noqa: F401 - where the reader has it
from migarchive.core.model import DAMAGE_MARKER, Document

SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")
DAMAGE_HTML = (
    '<span class="damaged" style="color:#8a8a8a" title="The source is damaged here: text is missing">'
    f"{DAMAGE_MARKER}</span>"
)
_FRAGMENT_MARK = re.compile("\ue000(\\d+)\ue001")
_LIST_START = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s")


class _TabTables(Preprocessor):
    """Blocks whose every line holds a tab (abbreviation lists) become tables.

    Runs before Markdown expands tabs; the table waits as a fragment mark until `_Fragments`.
    """

    def __init__(self, md: markdown.Markdown, fragments: list[str]) -> None:
        super().__init__(md)
        self.fragments = fragments

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        block: list[str] = []
        for line in lines + [""]:
            if line.strip():
                block.append(line)
                continue
            if len(block) >= 2 and all("\t" in row for row in block):
                rows = "".join(
                    "<tr>" + "".join(f"<td>{html.escape(cell.strip())}</td>" for cell in row.split("\t") if cell.strip())
                    + "</tr>"
                    for row in block
                )
                out.append(_mark(self.fragments, f'<table class="tabbed" cellpadding="3">{rows}</table>'))
            else:
                out.extend(block)
            out.append(line)
            block = []
        return out[:-1]


class _Fragments(Preprocessor):
    """Turns our fragment marks into stashed HTML; runs after Markdown strips control characters."""

    def __init__(self, md: markdown.Markdown, fragments: list[str]) -> None:
        super().__init__(md)
        self.fragments = fragments

    def run(self, lines: list[str]) -> list[str]:
        def stash(match: re.Match[str]) -> str:
            return self.md.htmlStash.store(self.fragments[int(match.group(1))])

        return [_FRAGMENT_MARK.sub(stash, line) for line in lines]


def _mark(fragments: list[str], fragment: str) -> str:
    fragments.append(fragment)
    return f"\ue000{len(fragments) - 1}\ue001"


class _SafeLinks(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "img":
                    span = etree.Element("span")
                    span.text = f"[image: {child.get('alt') or 'not shown'}]"
                    span.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, span)
                elif child.tag == "a":
                    href = (child.get("href") or "").strip()
                    if not href.lower().startswith(SAFE_SCHEMES) or href == "#":
                        child.attrib.pop("href", None)
                        child.set("class", "inert-link")


def _converter(fragments: list[str]) -> markdown.Markdown:
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")  # raw HTML stays text
    md.inlinePatterns.deregister("html")
    md.preprocessors.register(_TabTables(md, fragments), "tab_tables", 35)
    md.preprocessors.register(_Fragments(md, fragments), "fragments", 25)
    md.treeprocessors.register(_SafeLinks(md), "safe_links", 5)
    return md


def to_html(document: Document) -> str:
    """The document's body HTML with `<a name>` anchors for every section and passage."""
    anchors: dict[int, str] = {}
    for section in document.sections:
        anchors[section.start] = section.id
    for passage in document.passages:
        anchors[passage.start] = passage.id
    fragments: list[str] = []
    source = document.cleaned.replace("\ue000", "").replace("\ue001", "")
    pieces: list[str] = []
    cursor = 0
    for start in sorted(anchors):
        pieces.append(source[cursor:start])
        block_end = source.find("\n", start)
        block = source[start : block_end if block_end != -1 else len(source)]
        placeholder = _mark(fragments, f'<a name="{html.escape(anchors[start])}"></a>')
        heading = re.match(r"#{1,6}\s+", block)
        if heading:
            pieces.append(block[: heading.end()] + placeholder)
            cursor = start + heading.end()
        elif _LIST_START.match(block) or "\t" in block:
            # Inside a list item or table row the mark would break the structure: it stands alone before.
            pieces.append(placeholder + "\n\n")
            cursor = start
        else:
            pieces.append(placeholder)
            cursor = start
    pieces.append(source[cursor:])
    body = _converter(fragments).convert("".join(pieces))
    return body.replace(html.escape(DAMAGE_MARKER), DAMAGE_HTML).replace(DAMAGE_MARKER, DAMAGE_HTML)

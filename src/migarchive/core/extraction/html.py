"""Text out of an HTML page, with the standard library's parser: headings, paragraphs, lists, tables.

Only what a reader sees is kept: scripts, styles, navigation and comments are dropped, and nothing is
ever run. The page's `<title>` becomes its heading when it has no `<h1>`.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from migarchive.core.extraction.markdown import Block, assemble, collapse, heading, tidy
from migarchive.core.extraction.result import Extracted

_HIDDEN = {"script", "style", "nav", "noscript", "template", "svg", "iframe", "object", "select"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "html", "legend",
    "li", "main", "ol", "p", "pre", "section", "summary", "ul",
}
_CELLS = {"td", "th"}
# What a <head> holds; any other element means the body began without saying so.
_HEAD_ELEMENTS = {"head", "title", "meta", "link", "base", "style", "script", "noscript", "template"}
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# What browsers read a declared Latin-1 or ASCII page as (the WHATWG encoding standard).
_AS_BROWSERS_DO = {"latin_1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "utf-16-le": "utf-8",
                   "utf-16-be": "utf-8", "utf-16": "utf-8"}


def extract_html(data: bytes, subject: str) -> Extracted:
    text, warnings = decode(data, subject)
    parser = _Collector()
    parser.feed(text)
    parser.close()
    blocks = parser.finish()
    markdown, _ = assemble([Block(block) for block in blocks], 0)
    return Extracted(markdown, (), 0, tuple(warnings))


def decode(data: bytes, subject: str) -> tuple[str, list[str]]:
    """The page's text: by its byte-order mark, else its `<meta charset>`, else UTF-8."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), []
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            encoding = "utf-8"
        return data.decode(_AS_BROWSERS_DO.get(encoding, encoding), errors="replace"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        return text, [f"{subject} is not valid UTF-8 and declares no encoding; "
                      f"{text.count(chr(0xFFFD))} characters could not be read"]


class _Collector(HTMLParser):
    """Collects the page's blocks of text as Markdown, one string each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.title = ""
        self._text: list[str] = []
        self._prefix = ""  # "## " for a heading, "- " for a list item
        self._hidden = 0  # depth inside elements whose text is not shown
        self._in_head = False
        self._in_title = False
        self._tables = 0  # depth of nested tables; only the outermost makes rows
        self._rows: list[str] = []
        self._cells: list[str] | None = None
        self._cell: list[str] | None = None
        self._has_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HEAD_ELEMENTS:
            self._in_head = False
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag == "head":
            self._in_head = True
        elif tag == "title":
            self._in_title = True
        elif self._hidden:
            return
        elif tag == "table":
            self._tables += 1
            if self._tables == 1:
                self._end_block()
        elif self._tables:
            self._table_start(tag)
        elif tag in _HEADINGS:
            self._end_block()
            self._prefix = heading(_HEADINGS[tag], "")
            self._has_h1 |= tag == "h1"
        elif tag == "br" and self._prefix:
            self._text.append(" ")  # a heading or list item broken over two lines is still one
        elif tag == "li":
            self._end_block()
            self._prefix = "- "
        elif tag in _BLOCKS:
            self._end_block(keep_prefix=True)  # <li><p>item</p> is still a list item

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:  # <svg/> opens nothing to close
            return
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag == "head":
            self._in_head = False
        elif tag == "title":
            self._in_title = False
        elif self._hidden:
            return
        elif tag == "table" and self._tables:
            self._tables -= 1
            if not self._tables:
                self._end_row()
                if self._rows:
                    self.blocks.append("\n".join(self._rows))
                self._rows = []
        elif self._tables:
            if tag in _CELLS and self._tables == 1:
                self._end_cell()
            elif tag == "tr" and self._tables == 1:
                self._end_row()
        elif tag == "br":
            return  # its start ended the block, or was a space
        elif tag in _HEADINGS or tag in _BLOCKS:
            self._end_block()

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._in_title:
            self.title += data
        elif self._in_head:
            return  # only the title of the head is shown
        elif self._cell is not None:
            self._cell.append(data)
        elif self._tables:
            return  # between a table's cells: whitespace, or text browsers would move out of it
        else:
            self._text.append(data)

    def finish(self) -> list[str]:
        self._end_block()
        if self._tables:
            self._end_row()
            if self._rows:
                self.blocks.append("\n".join(self._rows))
        title = collapse(tidy(self.title))
        if title and not self._has_h1:
            return [heading(1, title)] + self.blocks
        return self.blocks

    def _table_start(self, tag: str) -> None:
        if tag in _CELLS and self._tables == 1:
            self._end_cell()
            self._cells = self._cells if self._cells is not None else []
            self._cell = []
        elif tag == "tr" and self._tables == 1:
            self._end_row()
        elif self._cell is not None:
            self._cell.append(" ")  # a block inside a cell: the cell stays one line

    def _end_cell(self) -> None:
        if self._cell is not None and self._cells is not None:
            self._cells.append(collapse(tidy("".join(self._cell))))
        self._cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self._cells and any(self._cells):
            self._rows.append("\t".join(self._cells))
        self._cells = None

    def _end_block(self, keep_prefix: bool = False) -> None:
        text = collapse(tidy("".join(self._text)))
        if text:
            self.blocks.append(self._prefix + text)
        elif keep_prefix:
            return
        self._text = []
        self._prefix = ""

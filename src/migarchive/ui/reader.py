"""The reader: a cleaned document rendered as HTML, with highlights, find, zoom and history.

Query terms are highlighted by comparing each word's stem with the query's stems, so a search for
"remittances" lights up "remittance" too, and a UN symbol (A/RES/71/1) is read whole as the index
reads it; F3 and Shift+F3 walk through them. Paragraphs are numbered in the margin, bookmarks
marked there; an acronym explains itself when the mouse rests on it. Links open only on an
explicit click, in the system browser.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QKeySequence, QPalette, QShortcut, QTextCharFormat, QTextCursor, QTextDocument, QTextOption
from PySide6.QtWidgets import QLabel, QTextEdit, QToolTip, QVBoxLayout, QWidget

from migarchive.core.analysis import TOKEN, analyze, stem
from migarchive.core.glossary import Glossary
from migarchive.core.model import Document
from migarchive.core.notes.anchoring import Anchorer, anchor
from migarchive.core.notes.model import Annotation, Bookmark, TextQuote
from migarchive.core.paragraphs import ParagraphNumbers, number_paragraphs
from migarchive.core.render import to_html
from migarchive.ui.find_bar import FindBar, MatchCounter
from migarchive.ui.plain_text import literal_tooltip, plain_label
from migarchive.ui.notes_panel import colour_of
from migarchive.ui.reader_margin import MarginBrowser, MarginMark, anchor_positions, bookmark_marks, paragraph_marks
HIT_COLOUR = QColor(255, 214, 10, 150)
MENTION_COLOUR = QColor(80, 170, 255, 120)


@dataclass(frozen=True)
class Place:
    """Where the reader is: a document and, optionally, an anchor (section or passage id)."""

    path: str
    anchor: str | None = None


class Reader(QWidget):
    """Document view with breadcrumb, find bar and history; emits `placeChanged` on navigation."""

    placeChanged = Signal(object)  # Place

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.breadcrumb = plain_label(QLabel(""))  # a document's title and headings, never markup
        self.breadcrumb.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.breadcrumb.setWordWrap(True)
        self.browser = MarginBrowser()
        self.browser.setOpenLinks(False)
        # Lines break between words only: the default also breaks inside a word that does not fit,
        # which cut headings in large type in two ("Migra-tion") on a narrow reader.
        self.browser.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.browser.anchorClicked.connect(self._link_clicked)
        self.browser.setPlaceholderText("Open a document from the meeting tree, or search the archive.")
        self.browser.viewport().installEventFilter(self)
        self._system_points = self.browser.font().pointSizeF()
        self.find_bar = FindBar()
        self.find_bar.hide()
        self.find_bar.field.textChanged.connect(lambda _t: self.find(forward=True, restart=True))
        self.find_bar.field.returnPressed.connect(lambda: self.find(forward=True))
        self.find_bar.next.clicked.connect(lambda: self.find(forward=True))
        self.find_bar.previous.clicked.connect(lambda: self.find(forward=False))
        self.find_bar.close_button.clicked.connect(self.close_find)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.breadcrumb)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.find_bar)
        # Widget-scoped: Escape in the search field must still clear the search, not close this bar.
        for keys, slot in ((QKeySequence("Shift+Return"), lambda: self.find(forward=False)),
                           (QKeySequence(Qt.Key.Key_Escape), self.close_find)):
            shortcut = QShortcut(keys, self.find_bar.field)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

        self.document: Document | None = None
        self._anchorer: Anchorer | None = None  # over the rendered text, rebuilt with each document
        self._notes: list[QTextEdit.ExtraSelection] = []
        self._note_spans: list[tuple[int, int, Annotation]] = []
        self._hits: list[QTextEdit.ExtraSelection] = []
        self._mention: list[QTextEdit.ExtraSelection] = []
        self._hit_index = -1
        self._matches = MatchCounter()
        self.paragraphs: ParagraphNumbers | None = None  # of the shown document's cleaned text
        self._anchors: dict[str, int] = {}  # section and passage ids -> rendered position
        self._paragraph_marks: list[MarginMark] = []
        self._bookmark_marks: list[MarginMark] = []
        self._glossary: Glossary | None = None
        self._back: list[Place] = []
        self._forward: list[Place] = []
        self.place: Place | None = None
        self.zoom = 0

    # -- showing ---------------------------------------------------------------------------------

    def show_document(self, document: Document, anchor: str | None = None, *, terms: list[str] | None = None,
                      mention: tuple[str, int] | None = None, breadcrumb: str = "", remember: bool = True) -> None:
        """Show `document` at `anchor`; highlight query `terms` and one `mention` (surface, occurrence)."""
        if remember and self.place is not None and self.place != Place(document.path, anchor):
            self._back.append(self.place)
            self._forward.clear()
        if self.document is None or self.document.path != document.path or self.document.cleaned != document.cleaned:
            self.browser.setHtml(to_html(document))
            self.browser.fit_margin()
            self.document = document
            self._anchorer = Anchorer(self.browser.document().toPlainText())
            self._notes, self._note_spans = [], []
            self._number_paragraphs(document)
        self.place = Place(document.path, anchor)
        self.breadcrumb.setText(breadcrumb)
        self._highlight_terms(terms or [])
        self._highlight_mention(mention)
        if anchor:
            self.browser.scrollToAnchor(anchor)
        else:
            self.browser.verticalScrollBar().setValue(0)
        if self._mention:
            self.browser.setTextCursor(self._mention[0].cursor)
            self.browser.ensureCursorVisible()
        self._hit_index = self._first_hit_after_view()
        self.placeChanged.emit(self.place)

    def clear(self) -> None:
        self.browser.clear()
        self.browser.set_marks([])
        self.paragraphs, self._anchors, self._paragraph_marks, self._bookmark_marks = None, {}, [], []
        self.document = None
        self.place = None
        self.breadcrumb.clear()
        self._hits, self._mention = [], []
        self._apply()

    # -- highlights ------------------------------------------------------------------------------

    def _highlight_terms(self, terms: list[str]) -> None:
        wanted = {t for term in terms for t in analyze(term)}
        self._hits = []
        if wanted:
            text = self.browser.document().toPlainText()
            fmt = QTextCharFormat()
            fmt.setBackground(HIT_COLOUR)
            for match in TOKEN.finditer(text):  # the index's words: symbols whole, "1,633" one number
                word = match.group().lower().removesuffix("'s").removesuffix("’s")
                if word in wanted or stem(word) in wanted:
                    self._hits.append(self._selection(match.start(), match.end(), fmt))
        self._apply()

    def _highlight_mention(self, mention: tuple[str, int] | None) -> None:
        self._mention = []
        if mention is not None:
            surface, occurrence = mention
            cursor = QTextCursor(self.browser.document())
            for _ in range(occurrence + 1):
                found = self.browser.document().find(surface, cursor, QTextDocument.FindFlag.FindCaseSensitively)
                if found.isNull():
                    break
                cursor = found
            if not cursor.isNull() and cursor.hasSelection():
                fmt = QTextCharFormat()
                fmt.setBackground(MENTION_COLOUR)
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format = fmt
                self._mention = [selection]
        self._apply()

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = fmt
        return selection

    def _apply(self) -> None:
        self.browser.setExtraSelections(self._notes + self._hits + self._mention)

    # -- notes -----------------------------------------------------------------------------------

    def set_annotations(self, annotations: list[Annotation]) -> None:
        """Draw the open document's anchored annotations in their colours."""
        self._notes, self._note_spans = [], []
        if self.document is not None and self._anchorer is not None:
            for annotation in annotations:
                if annotation.path != self.document.path or annotation.orphaned:
                    continue
                span = self._anchorer.anchor(annotation.quote)
                if span is None:
                    continue
                fmt = QTextCharFormat()
                fmt.setBackground(colour_of(annotation.colour))
                if annotation.note:
                    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                self._notes.append(self._selection(span[0], span[1], fmt))
                self._note_spans.append((span[0], span[1], annotation))
        self._apply()

    def select_annotation(self, annotation: Annotation) -> bool:
        """Select the annotation's text and bring it into view."""
        if self._anchorer is None:
            return False
        span = self._anchorer.anchor(annotation.quote)
        if span is None:
            return False
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        self.browser.setTextCursor(cursor)
        self.browser.ensureCursorVisible()
        return True

    def annotation_at(self, position: int) -> Annotation | None:
        return next((a for start, end, a in self._note_spans if start <= position < end), None)

    def selected_span(self) -> tuple[int, int] | None:
        """The selection as offsets into the document's cleaned text (what notes anchor to)."""
        cursor = self.browser.textCursor()
        if self.document is None or self._anchorer is None or not cursor.hasSelection():
            return None
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        rendered = self._anchorer.text
        exact = rendered[start:end]
        if not exact.strip():
            return None
        quote = TextQuote(exact, rendered[max(0, start - 32) : start], rendered[end : end + 32])
        # The cleaned text carries Markdown marks the rendering drops; anchoring bridges the two.
        return anchor(self.document.cleaned, quote)

    def eventFilter(self, watched, event) -> bool:  # type: ignore[no-untyped-def]
        if watched is self.browser.viewport() and event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), literal_tooltip(text), self.browser)
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)

    def tooltip_at(self, point: QPoint) -> str | None:
        """What the mouse resting at `point` of the view is told: a note, a margin mark, an acronym."""
        margin = self.browser.margin_tooltip(point)
        if margin:
            return margin
        position = self.browser.cursorForPosition(point).position()
        annotation = self.annotation_at(position)
        if annotation is not None:
            text = annotation.note or "(highlight without a note)"
            if annotation.tags:
                text += "\n" + " ".join(f"#{t}" for t in annotation.tags)
            return text
        word = self.word_at(position)
        explanation = self._glossary.explain(word, self.document) if word and self._glossary else None
        return explanation.text() if explanation else None

    def word_at(self, position: int) -> str | None:
        """The word (or symbol) of the rendered text at `position`, as the index reads words."""
        block = self.browser.document().findBlock(position)
        offset = position - block.position()
        return next((m.group() for m in TOKEN.finditer(block.text()) if m.start() <= offset < m.end()), None)

    def set_glossary(self, glossary: Glossary | None) -> None:
        """The archive's acronyms, for the tooltips (made again when the archive changes)."""
        self._glossary = glossary

    # -- paragraphs and bookmarks ----------------------------------------------------------------

    def _number_paragraphs(self, document: Document) -> None:
        self._anchors = anchor_positions(self.browser.document())
        self.paragraphs = number_paragraphs(document.cleaned)
        self._paragraph_marks = paragraph_marks(document, self.paragraphs, self._anchors)
        self._bookmark_marks = []
        self.browser.set_marks(self._paragraph_marks)

    def paragraph_marks(self) -> list[tuple[int, int]]:
        """(paragraph number, position in the rendered text) of each number in the margin."""
        return [(m.number, m.position) for m in self._paragraph_marks if m.number is not None]

    def paragraph_of(self, anchor: str | None) -> int | None:
        """The number of the paragraph a passage id begins (None for a section or no anchor)."""
        if self.document is None or self.paragraphs is None or not anchor:
            return None
        passage = next((p for p in self.document.passages if p.id == anchor), None)
        return self.paragraphs.number_at(passage.start) if passage else None

    def current_paragraph(self) -> int | None:
        """The paragraph to cite: the selection's, else the one at the top of the view."""
        span = self.selected_span()
        if span is not None and self.paragraphs is not None:
            return self.paragraphs.number_at(span[0])
        return self.paragraph_of(self.current_anchor())

    def set_bookmarks(self, bookmarks: list[Bookmark]) -> None:
        """Mark the open document's bookmarks in the margin: at their text, their passage, or (a
        bookmark of the whole document) at its start."""
        self._bookmark_marks = []
        if self.document is not None and self._anchorer is not None:
            self._bookmark_marks = bookmark_marks(bookmarks, self.document.path, self._anchorer, self._anchors)
        self.browser.set_marks(self._paragraph_marks + self._bookmark_marks)

    def bookmark_positions(self) -> list[int]:  # where the margin marks them, in the rendered text
        return [m.position for m in self._bookmark_marks]

    @property
    def hit_count(self) -> int:
        return len(self._hits)

    def _first_hit_after_view(self) -> int:
        top = self.browser.cursorForPosition(self.browser.viewport().rect().topLeft()).position()
        for index, hit in enumerate(self._hits):
            if hit.cursor.selectionStart() >= top:
                return index - 1
        return -1

    def next_hit(self, step: int = 1) -> None:
        """F3 / Shift+F3: select the next or previous highlighted term."""
        if not self._hits:
            return
        self._hit_index = (self._hit_index + step) % len(self._hits)
        cursor = QTextCursor(self._hits[self._hit_index].cursor)
        self.browser.setTextCursor(cursor)
        self.browser.ensureCursorVisible()

    # -- find, zoom, history ---------------------------------------------------------------------

    def open_find(self) -> None:
        self.find_bar.show()
        self.find_bar.field.setFocus()
        self.find_bar.field.selectAll()

    def close_find(self) -> None:
        self.find_bar.hide()
        self.browser.setFocus()

    # Shadows QWidget.find(window id), a static lookup nothing here calls, with the find bar's search.
    def find(self, forward: bool = True, restart: bool = False) -> bool:  # type: ignore[override]
        text = self.find_bar.field.text()
        if not text:
            self.find_bar.status.setText("")
            return False
        if restart:
            cursor = self.browser.textCursor()
            cursor.setPosition(cursor.selectionStart())
            self.browser.setTextCursor(cursor)
        flags = QTextDocument.FindFlag(0) if forward else QTextDocument.FindFlag.FindBackward
        found = self.browser.find(text, flags)
        if not found:  # wrap around
            cursor = self.browser.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.Start if forward else QTextCursor.MoveOperation.End)
            self.browser.setTextCursor(cursor)
            found = self.browser.find(text, flags)
        cursor = self.browser.textCursor()
        self.find_bar.status.setText(self._matches.status(self.browser.document(), text, cursor.selectionStart())
                                     if found else "not found")
        palette = self.find_bar.field.palette()
        palette.setColor(QPalette.ColorRole.Base, self.palette().color(QPalette.ColorRole.Base) if found
                         else QColor(255, 200, 200))
        self.find_bar.field.setPalette(palette)
        return found

    def set_text_size(self, points: int | None) -> None:
        """The reader's type size before zooming (a preference); None: the system's size for text."""
        font = self.browser.font()
        font.setPointSizeF((points or self._system_points) + self.zoom)  # zooming adds points to it
        self.browser.setFont(font)
        self.browser.fit_margin()

    def zoom_by(self, steps: int) -> None:
        if -5 <= self.zoom + steps <= 10:
            self.zoom += steps
            (self.browser.zoomIn if steps > 0 else self.browser.zoomOut)(abs(steps))
            self.browser.fit_margin()

    def can_go_back(self) -> bool:
        return bool(self._back)

    def can_go_forward(self) -> bool:
        return bool(self._forward)

    def take_back(self) -> Place | None:
        """The place to return to (Alt+Left); the current one becomes the way forward."""
        if not self._back:
            return None
        if self.place is not None:
            self._forward.append(self.place)
        return self._back.pop()

    def take_forward(self) -> Place | None:
        if not self._forward:
            return None
        if self.place is not None:
            self._back.append(self.place)
        return self._forward.pop()

    def current_anchor(self) -> str | None:
        """The passage or section at the top of the view, for citations and for the next start."""
        if self.document is None:
            return None
        cursor = self.browser.cursorForPosition(QPoint(8, 8))
        cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
        fragment = " ".join(cursor.selectedText().split())[:60]
        if not fragment:
            return None
        for passage in self.document.passages:
            if fragment[:40] and fragment[:40] in " ".join(passage.text.replace("*", "").split()):
                return passage.id
        return None

    def _link_clicked(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment() and not url.scheme():
            self.browser.scrollToAnchor(url.fragment())

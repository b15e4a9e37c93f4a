"""The Notes tab: bookmarks and annotations grouped by meeting and document, orphans apart.

A filter (words of the quote, note or tags) and a tag menu narrow the list; Enter opens the passage,
F2 edits, Delete deletes (undo with Ctrl+Z).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QMenu, QTreeView, QVBoxLayout, QWidget

from migarchive.core.archive import Archive
from migarchive.core.model import DocumentInfo
from migarchive.core.notes.model import Annotation, Bookmark
from migarchive.ui.meeting_model import Node, NodeTreeModel, document_label, meeting_label
from migarchive.ui.roles import KeyRole

COLOURS = {
    "yellow": QColor(255, 221, 0, 120),
    "green": QColor(70, 200, 110, 120),
    "blue": QColor(80, 160, 255, 120),
    "pink": QColor(255, 110, 180, 120),
    "purple": QColor(165, 110, 255, 120),
}


def colour_of(name: str) -> QColor:
    if name in COLOURS:
        return COLOURS[name]
    colour = QColor(name)
    if colour.isValid():
        colour.setAlpha(120)
        return colour
    return COLOURS["yellow"]


def _short(text: str, length: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def build_notes_tree(archive: Archive, annotations: list[Annotation], bookmarks: list[Bookmark]) -> Node:
    root = Node("")
    infos: dict[str, DocumentInfo] = {info.path: info for info in archive.documents()}
    by_path: dict[str, list[Annotation | Bookmark]] = {}
    orphans: list[Annotation | Bookmark] = []
    items: list[Annotation | Bookmark] = [*bookmarks, *annotations]
    for item in items:
        if item.status == "orphaned" or item.path not in infos:
            orphans.append(item)
        else:
            by_path.setdefault(item.path, []).append(item)
    meetings: dict[int | None, Node] = {}
    def meeting_first(path: str) -> tuple[int, str]:
        meeting = infos[path].metadata.meeting
        return (meeting.number if meeting else 10_000), path

    for path in sorted(by_path, key=meeting_first):
        info = infos[path]
        number = info.metadata.meeting.number if info.metadata.meeting else None
        if number not in meetings:
            meeting = archive.meeting_of(path)
            label = f"{meeting_label(meeting)} meeting" if meeting else "Not assigned to a meeting"
            meetings[number] = root.add(Node(label, meeting.title if meeting else ""))
        doc = meetings[number].add(Node(document_label(info), info.metadata.title, path=path))
        for item in sorted(by_path[path], key=lambda i: (i.start if i.start is not None else -1)):
            doc.add(_item_node(item))
    if orphans:
        group = root.add(Node(f"Orphaned ({len(orphans)})", "Notes whose text is no longer found in their "
                              "document. They are kept; delete them yourself if they are no longer needed."))
        for item in orphans:
            group.add(_item_node(item, show_path=True))
    return root


def _item_node(item: Annotation | Bookmark, show_path: bool = False) -> Node:
    """Two lines: what the note is on, then what it says (the note, its tags), so that a narrow
    panel, which cuts a line short, still shows the note."""
    where = f"  ({item.path})" if show_path else ""
    if isinstance(item, Bookmark):
        quote = f"“{_short(item.quote.exact, 80)}”" if item.quote is not None else None
        if item.label:
            label = f"Bookmark · {item.label}" + (f"\n{quote}" if quote else "")
        else:
            label = f"Bookmark · {quote or 'whole document'}"
        tip = item.label or (item.quote.exact if item.quote else item.path)
        return Node(label + where, tip, path=item.path, key=f"b:{item.id}")
    said = " · ".join(x for x in (_short(item.note, 90) if item.note else "",
                                  " ".join(f"#{t}" for t in item.tags)) if x)
    label = f"“{_short(item.exact, 80)}”" + where + (f"\n{said}" if said else "")
    tip = f"“{item.exact}”" + (f"\n\n{item.note}" if item.note else "") + (f"\n\ntags: {', '.join(item.tags)}"
                                                                           if item.tags else "")
    return Node(label, tip, path=item.path, key=f"a:{item.id}", colour=colour_of(item.colour))


class NotesModel(NodeTreeModel):
    pass


class NotesPanel(QWidget):
    noteActivated = Signal(str)  # "a:<id>" or "b:<id>"
    editRequested = Signal(str)
    deleteRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit(placeholderText="Filter notes")
        self.filter.setClearButtonEnabled(True)
        self.tag = QComboBox()
        self.tag.setToolTip("Only notes with this tag")
        self.model = NotesModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterRole(Qt.ItemDataRole.ToolTipRole)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(False)  # a note's row has a second line
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.tree.activated.connect(self._activate)
        self.empty = QLabel("No notes yet. Select text in the reader, then Highlight (Ctrl+H), "
                            "Annotate (Ctrl+Shift+A) or Bookmark the passage (Ctrl+D).")
        self.empty.setWordWrap(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.tag.currentIndexChanged.connect(lambda _i: self._apply_filter())
        controls = QHBoxLayout()
        controls.addWidget(self.filter, 1)
        controls.addWidget(self.tag)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.empty)
        layout.addWidget(self.tree, 1)

    def show_notes(self, archive: Archive, annotations: list[Annotation], bookmarks: list[Bookmark],
                   tags: list[str]) -> None:
        current = self.tag.currentText()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem("All tags")
        self.tag.addItems(tags)
        if current in tags:
            self.tag.setCurrentText(current)
        self.tag.blockSignals(False)
        self.model.set_root(build_notes_tree(archive, annotations, bookmarks))
        self.empty.setVisible(not annotations and not bookmarks)
        self._apply_filter()

    def _apply_filter(self, _text: str | None = None) -> None:
        words = self.filter.text()
        tag = self.tag.currentText() if self.tag.currentIndex() > 0 else ""
        # Tags appear in the tooltip as "tags: a, b"; the filter matches any part of the tooltip.
        self.proxy.setFilterRegularExpression(_pattern(words, tag))
        self.tree.expandAll()

    def selected_key(self) -> str | None:
        index = self.tree.currentIndex()
        return index.data(KeyRole) if index.isValid() else None

    def _activate(self, index: QModelIndex) -> None:
        key = index.data(KeyRole)
        if key:
            self.noteActivated.emit(key)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = self.selected_key()
        if key and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.deleteRequested.emit(key)
            return
        if key and event.key() == Qt.Key.Key_F2:
            self.editRequested.emit(key)
            return
        super().keyPressEvent(event)

    def _menu(self, position: QPoint) -> None:
        key = self.selected_key()
        if not key:
            return
        menu = QMenu(self)
        menu.addAction("Open", lambda: self.noteActivated.emit(key))
        menu.addAction("Edit…", lambda: self.editRequested.emit(key))
        menu.addAction("Delete", lambda: self.deleteRequested.emit(key))
        menu.exec(self.tree.viewport().mapToGlobal(position))


def _pattern(words: str, tag: str) -> str:
    import re

    parts = [re.escape(w) for w in words.split()]
    if tag:
        parts.append(r"tags: (?:.*, )?" + re.escape(tag) + r"(?:,|$)")
    return "".join(f"(?=[\\s\\S]*{p})" for p in parts) if parts else ""

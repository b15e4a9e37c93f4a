"""Tree models over plain nodes; the meeting tree: meetings › documents › sections."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from migarchive.core import labels
from migarchive.core.meetings import Meeting
from migarchive.core.model import DocumentInfo, Section
from migarchive.ui.roles import KeyRole, PathRole, SectionRole


_ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(eq=False)
class Node:
    label: str
    tooltip: str = ""
    path: str | None = None
    section: str | None = None
    muted: bool = False
    key: str | None = None  # what the row stands for beyond its document (a note's id)
    colour: object | None = None  # a QColor swatch
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    # A document whose section rows are made the first time they are asked for: an archive of
    # thousands of documents has tens of thousands of sections, most never looked at.
    unbuilt: DocumentInfo | None = None
    _row: int = 0

    def add(self, child: Node) -> Node:
        child.parent = self
        child._row = len(self.children)  # asked for each time a view walks up the tree
        self.children.append(child)
        return child

    def row(self) -> int:
        return self._row

    def rows(self) -> list[Node]:
        """The children, made now if they were left for later."""
        if self.unbuilt is not None:
            info, self.unbuilt = self.unbuilt, None
            _add_sections(self, info)
        return self.children

    def has_rows(self) -> bool:
        return bool(self.children) or (self.unbuilt is not None and bool(self.unbuilt.sections))


def short_ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def meeting_label(meeting: Meeting) -> str:
    ordinal = short_ordinal(meeting.number)
    if meeting.start_date and meeting.end_date:
        s, e = meeting.start_date, meeting.end_date
        if (s.year, s.month) == (e.year, e.month):
            days = f"{s.day}–{e.day} {e:%b %Y}" if s != e else f"{s.day} {s:%b %Y}"
        else:
            days = f"{s.day} {s:%b} – {e.day} {e:%b %Y}"
        return f"{ordinal} · {days}"
    if meeting.month:
        year, month = meeting.month.split("-")
        return f"{ordinal} · {calendar.month_abbr[int(month)]} {year}"
    return ordinal


def build_tree(meetings: list[Meeting], unassigned: list[DocumentInfo]) -> Node:
    root = Node("")
    for meeting in meetings:
        label = meeting_label(meeting) + ("  (referenced only)" if meeting.referenced_only else "")
        tip = meeting.title + ("\nNo document of this meeting is in the archive; other documents mention it."
                               if meeting.referenced_only else "")
        node = root.add(Node(label, tip, muted=meeting.referenced_only))
        for info in meeting.documents:
            _add_document(node, info)
    if unassigned:
        other = root.add(Node("Not assigned to a meeting", "Documents whose meeting could not be read"))
        for info in unassigned:
            _add_document(other, info)
    return root


def _add_document(parent: Node, info: DocumentInfo) -> None:
    meta = info.metadata
    tip = "\n".join(x for x in (meta.title, meta.kind, meta.organization, meta.symbol, info.path) if x)
    parent.add(Node(document_label(info), tip, path=info.path, unbuilt=info))


def _add_sections(node: Node, info: DocumentInfo) -> None:
    stack: list[tuple[Section, Node]] = []
    for section in info.sections:
        while stack and stack[-1][0].level >= section.level:
            stack.pop()
        owner = stack[-1][1] if stack else node
        child = owner.add(Node(section.title, section.title, path=info.path, section=section.id))
        stack.append((section, child))


def document_label(info: DocumentInfo) -> str:
    """Short, because the meeting is already the parent row (see `core.labels`)."""
    return labels.document_label(info)


class NodeTreeModel(QAbstractItemModel):
    """A read-only tree over `Node` values; subclasses say how the tree is built."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = Node("")

    def set_root(self, root: Node) -> None:
        self.beginResetModel()
        self._root = root
        self.endResetModel()

    def _node(self, index: _ModelIndex) -> Node:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int, parent: _ModelIndex = QModelIndex()) -> QModelIndex:
        children = self._node(parent).rows()
        if column != 0 or not 0 <= row < len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: _ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent = self._node(index).parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row(), 0, parent)

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        return len(self._node(parent).rows())

    def hasChildren(self, parent: _ModelIndex = QModelIndex()) -> bool:
        # Asked for every visible row to draw its arrow: answered without making the rows.
        return parent.column() <= 0 and self._node(parent).has_rows()

    def canFetchMore(self, parent: _ModelIndex) -> bool:
        # Says "there may be rows here" to a filter proxy, which otherwise counts a row's children
        # to answer hasChildren (and so made every document's sections when the tree was expanded).
        node = self._node(parent)
        return parent.column() <= 0 and node.unbuilt is not None and node.has_rows()

    def fetchMore(self, parent: _ModelIndex) -> None:
        # rowCount already reports the rows (making them on demand), so there is nothing to insert.
        self._node(parent).rows()

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:
        return 1

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        node = self._node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return node.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return node.tooltip
        if role == PathRole:
            return node.path
        if role == SectionRole:
            return node.section
        if role == KeyRole:
            return node.key
        if role == Qt.ItemDataRole.DecorationRole and node.colour is not None:
            return node.colour
        if role == Qt.ItemDataRole.ForegroundRole and node.muted:
            return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.FontRole and node.muted:
            font = QFont()
            font.setItalic(True)
            return font
        return None


class MeetingTreeModel(NodeTreeModel):
    def set_meetings(self, meetings: list[Meeting], unassigned: list[DocumentInfo]) -> None:
        self.set_root(build_tree(meetings, unassigned))

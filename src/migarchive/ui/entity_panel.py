"""The agencies & initiatives panel: who a document (or the archive) talks about, and where.

Two groups with counts, a filter and a scope; selecting an entity lists its mentions and shows
how they spread over the meetings; activating a mention asks the window to open it.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from migarchive.core.archive import Archive
from migarchive.core.entities import Entity, Mention
from migarchive.core.gazetteer import AGENCY, INITIATIVE
from migarchive.ui.meeting_model import document_label, short_ordinal
from migarchive.ui.mentions_view import MeetingStrip, MentionsModel
from migarchive.ui.results_model import snippet_html
from migarchive.ui.rich_delegate import RichTextDelegate
from migarchive.ui.roles import EntityRole

_Index = QModelIndex | QPersistentModelIndex
# The United Nations as a whole is named in nearly every paragraph: a group of its own, after the
# bodies, so that it does not head the agencies.
SYSTEM = "system"
GROUPS = ((AGENCY, "Agencies"), (INITIATIVE, "Initiatives"), (SYSTEM, "United Nations system"))


@dataclass(frozen=True)
class _Row:
    entity: Entity
    count: int  # mentions within the current scope


class EntityModel(QAbstractItemModel):
    """Groups (agencies, initiatives, the United Nations system), each listing entities with their
    mention counts."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, list[_Row]]] = [(label, []) for _kind, label in GROUPS]

    def set_entities(self, entities: list[Entity], scope: str | None) -> None:
        """`scope`: a document path to count only its mentions, or None for the whole archive."""
        self.beginResetModel()
        groups = []
        for kind, label in GROUPS:
            rows = []
            for entity in entities:
                if (SYSTEM if entity.system else entity.kind) != kind:
                    continue
                count = len(entity.mentions) if scope is None else sum(1 for m in entity.mentions if m.path == scope)
                if count:
                    rows.append(_Row(entity, count))
            rows.sort(key=lambda r: (-r.count, r.entity.name.lower()))
            groups.append((label, rows))
        self._groups = groups
        self.endResetModel()

    # Internal ids: 0 for a group row; group number + 1 for an entity row inside that group.
    # Column 0 is the name, column 1 the number of mentions (or of entities, for a group).
    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        if not 0 <= column < 2:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if 0 <= row < len(self._groups) else QModelIndex()
        if not self._is_group(parent) or parent.column() != 0:
            return QModelIndex()
        group = parent.row()
        return self.createIndex(row, column, group + 1) if 0 <= row < len(self._groups[group][1]) else QModelIndex()

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or self._is_group(index):
            return QModelIndex()
        return self.createIndex(int(index.internalId()) - 1, 0, 0)

    def _is_group(self, index: _Index) -> bool:
        return index.internalId() == 0

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.column() > 0 or not self._is_group(parent):
            return 0
        return len(self._groups[parent.row()][1])

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 2

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if self._is_group(index):
            label, rows = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return label if index.column() == 0 else str(len(rows))
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        row = self._groups[int(index.internalId()) - 1][1][index.row()]
        entity = row.entity
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 1:
                return str(row.count)
            return f"{entity.name} ({entity.acronym})" if entity.acronym and entity.acronym != entity.name else entity.name
        if role == Qt.ItemDataRole.ToolTipRole:
            aliases = ", ".join(entity.aliases[:8])
            editions = ", ".join(entity.editions[:8])
            return f"{entity.name}\n{entity.kind}" + (f"\nalso: {aliases}" if aliases else "") \
                + (f"\neditions: {editions}" if editions else "")
        if role == EntityRole:
            return entity.id
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | (Qt.ItemFlag.NoItemFlags if self._is_group(index)
                                            else Qt.ItemFlag.ItemIsSelectable)


class EntityFilter(QSortFilterProxyModel):
    """Filters the entities by name, kind and aliases; a group row says how many it shows of how
    many ("Agencies 1 of 49"), so the count follows the filter. Group rows span both columns."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and not index.parent().isValid():
            if index.column() == 1:
                return None  # spanned over by the group's label
            source = self.mapToSource(index)
            label = self.sourceModel().data(source, role)
            total, shown = self.sourceModel().rowCount(source), self.rowCount(index)
            return f"{label} {shown} of {total}" if self.filtering() else f"{label} {total}"
        return super().data(index, role)

    def filtering(self) -> bool:
        return bool(self.filterRegularExpression().pattern())


class EntityPanel(QWidget):
    mentionActivated = Signal(object, str)  # Mention, and the entity's display name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive: Archive | None = None
        self.current_path: str | None = None
        self.filter = QLineEdit(placeholderText="Filter agencies and initiatives")
        self.filter.setClearButtonEnabled(True)
        self.scope = QComboBox()
        self.scope.addItems(["This document", "Whole archive"])
        self.scope.setCurrentIndex(1)
        self.scope.setToolTip("Count mentions in the open document, or in the whole archive")
        self.model = EntityModel(self)
        self.proxy = EntityFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterRole(Qt.ItemDataRole.ToolTipRole)  # name, kind and aliases
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Wide enough for a five-digit count. Not ResizeToContents: that asks the model for every row
        # at each layout, which is slow with many entities, and very slow while indexing runs.
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.tree.header().resizeSection(1, self.tree.fontMetrics().horizontalAdvance("000000") + 12)
        self.heading = QLabel("Select an agency or initiative to see where it is mentioned.")
        self.heading.setWordWrap(True)
        self.strip = MeetingStrip()
        self.mentions_model = MentionsModel(self)
        self.mentions = QListView()
        self.mentions.setModel(self.mentions_model)
        self.mentions.setItemDelegate(RichTextDelegate(self.mentions))
        self.mentions.setWordWrap(True)
        self.mentions.setAlternatingRowColors(True)
        # Rows are measured (and so made, a passage lookup each) in batches between events, not all
        # before the list first shows: the rows in sight come first.
        self.mentions.setLayoutMode(QListView.LayoutMode.Batched)
        self.mentions.setBatchSize(50)
        self.mentions.activated.connect(self._activate)
        self.mentions.clicked.connect(self._activate)

        self.filter.textChanged.connect(self._filter_changed)
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.tree.selectionModel().currentChanged.connect(lambda current, _prev: self._select(current))

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        controls = QHBoxLayout()
        controls.addWidget(self.filter, 1)
        controls.addWidget(self.scope)
        top_layout.addLayout(controls)
        top_layout.addWidget(self.tree)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.heading)
        bottom_layout.addWidget(self.strip)
        bottom_layout.addWidget(self.mentions, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([320, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self._selected: Entity | None = None
        self._meetings: dict[str, tuple[int | None, str]] = {}  # path -> meeting number, document label

    def bind(self, archive: Archive) -> None:
        self.archive = archive
        self.refresh()

    def set_document(self, path: str | None) -> None:
        self.current_path = path
        if self.scope.currentIndex() == 0:
            self.refresh()

    def set_scope(self, whole_archive: bool) -> None:
        self.scope.setCurrentIndex(1 if whole_archive else 0)

    def refresh(self) -> None:
        if self.archive is None:
            return
        # "This document" with no document open shows nothing rather than everything.
        scope = (self.current_path or "") if self.scope.currentIndex() == 0 else None
        selected = self._selected.id if self._selected else None
        self.model.set_entities(self.archive.entities(), scope)
        self._expand()
        if selected:
            self.select_entity(selected)

    def select_entity(self, entity_id: str) -> bool:
        for group in range(self.proxy.rowCount()):
            parent = self.proxy.index(group, 0)
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, 0, parent)
                if index.data(EntityRole) == entity_id:
                    self.tree.setCurrentIndex(index)
                    return True
        return False

    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._expand()

    def _expand(self) -> None:
        self.tree.expandAll()
        for group in range(self.proxy.rowCount()):
            self.tree.setFirstColumnSpanned(group, QModelIndex(), True)

    def group_labels(self) -> list[str]:
        """The group rows as shown: "Agencies 49", or "Agencies 1 of 49" while filtered."""
        return [self.proxy.index(group, 0).data() for group in range(self.proxy.rowCount())]

    def selected(self) -> Entity | None:
        """The agency or initiative whose mentions are listed, if any."""
        return self._selected

    def _select(self, proxy_index: QModelIndex) -> None:
        entity_id = proxy_index.data(EntityRole) if proxy_index.isValid() else None
        entity = next((e for e in self.archive.entities() if e.id == entity_id), None) if self.archive else None
        self._selected = entity
        if entity is None:
            self.mentions_model.set_mentions([], self._describe)
            self.strip.set_counts([])
            self.heading.setText("Select an agency or initiative to see where it is mentioned.")
            return
        self._show_mentions(entity)

    def _show_mentions(self, entity: Entity) -> None:
        assert self.archive is not None
        meetings: dict[str, tuple[int | None, str]] = {
            info.path: (info.metadata.meeting.number if info.metadata.meeting else None, document_label(info))
            for info in self.archive.documents()}
        ordered = sorted(entity.mentions, key=lambda m: (meetings.get(m.path, (None, ""))[0] or 999, m.path, m.start))
        self._meetings = meetings
        self.mentions_model.set_mentions(ordered, self._describe)
        per_meeting = Counter(meetings.get(m.path, (None, ""))[0] for m in entity.mentions)
        numbers = sorted(n for n in {info.metadata.meeting.number for info in self.archive.documents()
                                     if info.metadata.meeting})
        self.strip.set_counts([(short_ordinal(n), per_meeting.get(n, 0)) for n in numbers])
        label = f"{entity.name} ({entity.acronym})" if entity.acronym and entity.acronym != entity.name else entity.name
        docs = len(entity.documents())
        aliases = [a for a in entity.aliases if a not in (entity.name, entity.acronym)]
        also = f"<br>Also called: {html.escape('; '.join(aliases))}" if aliases else ""
        self.heading.setText(f"<b>{html.escape(label)}</b> — {entity.kind}, {len(entity.mentions)} mention"
                             f"{'s' if len(entity.mentions) != 1 else ''} in {docs} document{'s' if docs != 1 else ''}"
                             + also)

    def _describe(self, mention: Mention) -> str:
        """A mention's row: where (meeting and document), and the words around it."""
        number, title = self._meetings.get(mention.path, (None, mention.path))
        where = " · ".join(x for x in (f"{short_ordinal(number)} meeting" if number else None, title) if x)
        return f'<div style="font-size:small">{html.escape(where)}</div><div>{self._context(mention)}</div>'

    def _context(self, mention: Mention) -> str:
        assert self.archive is not None
        text = self.archive.passage_text(mention.path, mention.passage_id) or ""
        at = text.find(mention.surface)
        if at < 0:
            return html.escape(text[:160])
        start, end = max(0, at - 90), min(len(text), at + len(mention.surface) + 90)
        # Cut at word boundaries so the context never starts or ends inside a word.
        if start:
            start = text.find(" ", start, at) + 1 or start
        if end < len(text):
            end = text.rfind(" ", at + len(mention.surface), end) if text.rfind(" ", at + len(mention.surface), end) > 0 else end
        before = ("…" if start else "") + text[start:at]
        after = text[at + len(mention.surface) : end] + ("…" if end < len(text) else "")
        return snippet_html(f"{before}**{mention.surface}**{after}")

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid() and self._selected is not None:
            self.mentionActivated.emit(self.mentions_model.mention(index.row()), self._selected.name)

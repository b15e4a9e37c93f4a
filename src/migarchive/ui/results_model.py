"""Search results as a list model: one row per passage, with where it is and a highlighted snippet."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Mapping

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from migarchive.core.render import plain_inline
from migarchive.core.results import Hit
from migarchive.ui.meeting_model import short_ordinal
from migarchive.ui.roles import HtmlRole, PassageRole, PathRole

_Index = QModelIndex | QPersistentModelIndex
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def snippet_html(snippet: str) -> str:
    """`**word**` marks from the search become bold; everything else is shown as text, as the reader
    renders it (no Markdown link, emphasis or code marks)."""
    return _BOLD.sub(r"<b>\1</b>", html.escape(plain_inline(snippet).replace("⟦…⟧", "…")))


class LabelsOf(Mapping[str, str]):
    """Documents' short labels, each made the first time a row of that document is shown: making
    them all for an archive of thousands held the window up when it opened."""

    def __init__(self, paths: Callable[[], Iterator[str]], label: Callable[[str], str | None]) -> None:
        self._paths = paths
        self._label = label
        self._made: dict[str, str] = {}

    def __getitem__(self, path: str) -> str:
        made = self._made.get(path)
        if made is None:
            label = self._label(path)
            if label is None:
                raise KeyError(path)
            made = self._made[path] = label
        return made

    def __iter__(self) -> Iterator[str]:
        return self._paths()

    def __len__(self) -> int:
        return sum(1 for _ in self._paths())


class ResultsModel(QAbstractListModel):
    """The hits in rank order; grouped, only the best of each document, saying how many more it has."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[Hit] = []
        self._hits: list[Hit] = []  # the rows shown
        self._per_document: dict[str, int] = {}
        self.grouped = False
        # path -> short document label, as in the meeting tree; made as rows are shown
        self.labels: Mapping[str, str] = {}

    def set_hits(self, hits: list[Hit] | tuple[Hit, ...], per_document: dict[str, int] | None = None) -> None:
        self.beginResetModel()
        self._all = list(hits)
        self._per_document = dict(per_document or {})
        self._hits = self._rows(self._all)
        self.endResetModel()

    def add_hits(self, hits: list[Hit] | tuple[Hit, ...]) -> None:
        """More results after those shown (loading on demand), without moving the view."""
        known = {(h.path, h.passage_id) for h in self._all}
        fresh = [h for h in hits if (h.path, h.passage_id) not in known]
        shown = {h.path for h in self._hits}
        self._all.extend(fresh)
        rows = [h for h in self._rows(fresh) if not (self.grouped and h.path in shown)]
        if rows:
            self.beginInsertRows(QModelIndex(), len(self._hits), len(self._hits) + len(rows) - 1)
            self._hits.extend(rows)
            self.endInsertRows()

    def set_grouped(self, grouped: bool) -> None:
        self.grouped = grouped
        self.set_hits(self._all, self._per_document)

    def fetched(self) -> int:
        return len(self._all)

    def _rows(self, hits: list[Hit]) -> list[Hit]:
        if not self.grouped:
            return list(hits)
        seen: set[str] = set()
        rows = []
        for hit in hits:
            if hit.path not in seen:
                seen.add(hit.path)
                rows.append(hit)
        return rows

    def hit(self, row: int) -> Hit:
        return self._hits[row]

    def _more(self, hit: Hit) -> str | None:
        more = self._per_document.get(hit.path, 1) - 1 if self.grouped else 0
        return f"{more} more in this document" if more > 0 else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        meeting = f"{short_ordinal(hit.meeting)} meeting" if hit.meeting else None
        page = f"p. {hit.page}" if hit.page else None
        where = " › ".join(x for x in (meeting, self.labels.get(hit.path, hit.title), hit.section, page) if x)
        where = " · ".join(x for x in (where, self._more(hit)) if x)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{where}\n{plain_inline(hit.snippet, keep_bold=False)}"
        if role == HtmlRole:
            return f'<div style="font-size:small">{html.escape(where)}</div><div>{snippet_html(hit.snippet)}</div>'
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.path}\n{where}"
        if role == PathRole:
            return hit.path
        if role == PassageRole:
            return hit.passage_id
        return None

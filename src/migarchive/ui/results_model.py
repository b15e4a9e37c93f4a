"""Search results as a list model: one row per passage, with where it is and a highlighted snippet."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from migarchive.core.search import Hit
from migarchive.ui.meeting_model import short_ordinal
from migarchive.ui.roles import HtmlRole, PassageRole, PathRole

_Index = QModelIndex | QPersistentModelIndex
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def snippet_html(snippet: str) -> str:
    """`**word**` marks from the search become bold; everything else is shown as text."""
    return _BOLD.sub(r"<b>\1</b>", html.escape(snippet.replace("⟦…⟧", "…")))


class ResultsModel(QAbstractListModel):
    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._hits: list[Hit] = []
        self.labels: dict[str, str] = {}  # path -> short document label, as in the meeting tree

    def set_hits(self, hits: list[Hit] | tuple[Hit, ...]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> Hit:
        return self._hits[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        meeting = f"{short_ordinal(hit.meeting)} meeting" if hit.meeting else None
        page = f"p. {hit.page}" if hit.page else None
        where = " › ".join(x for x in (meeting, self.labels.get(hit.path, hit.title), hit.section, page) if x)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{where}\n{hit.snippet.replace('**', '')}"
        if role == HtmlRole:
            return f'<div style="font-size:small">{html.escape(where)}</div><div>{snippet_html(hit.snippet)}</div>'
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.path}\n{where}"
        if role == PathRole:
            return hit.path
        if role == PassageRole:
            return hit.passage_id
        return None

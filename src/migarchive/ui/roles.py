"""Item data roles shared by the models and the views, defined once."""

from PySide6.QtCore import Qt

PathRole = Qt.ItemDataRole.UserRole + 1
SectionRole = Qt.ItemDataRole.UserRole + 2
PassageRole = Qt.ItemDataRole.UserRole + 3
EntityRole = Qt.ItemDataRole.UserRole + 4
HtmlRole = Qt.ItemDataRole.UserRole + 5
MentionRole = Qt.ItemDataRole.UserRole + 6
KeyRole = Qt.ItemDataRole.UserRole + 7

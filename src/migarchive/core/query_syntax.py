"""What a query may say, for those who show or read queries without running one (the window's
help, the command line's, note search): kept apart from `search`, whose import brings numpy and
Whoosh's matchers with it."""

from __future__ import annotations

SYNTAX_HELP = (
    'words (all must match), "exact phrase", OR, NOT, (grouping), prefix*, '
    "meeting:5  year:2006  org:UNITAR  kind:report  entity:IOM  section:remittances  path:002*"
)
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})

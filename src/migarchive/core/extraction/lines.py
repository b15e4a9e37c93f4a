"""One PDF page's text runs made into lines, in reading order: baselines, two columns, note marks.

Pure geometry on `Run`s (where a piece of text starts, how wide and big it is), so it is tested
without any PDF. Coordinates are PDF points with y going up from the bottom of the page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from migarchive.core.extraction.markdown import superscript, tidy

FULL, LEFT, RIGHT = 0, 1, 2  # a line's column: across the page (or a one-column page), left, right

_MARK = re.compile(r"^(?:\d{1,3}|[*†‡]{1,3})$")


@dataclass(frozen=True)
class Run:
    """A piece of text as the PDF draws it."""

    x: float
    y: float  # the baseline
    width: float
    size: float
    text: str
    bold: bool = False
    order: int = 0  # position in the content stream


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    x1: float
    y: float
    size: float  # the size most of its characters are set in
    bold: bool
    column: int = FULL
    left: float = 0.0  # where the lines of its column begin and end on its page (`with_column_edges`)
    right: float = 0.0


@dataclass(frozen=True)
class Gutter:
    """The gap between two columns, and the band of the page the columns fill."""

    x: float  # where the right column's lines start
    top: float
    bottom: float
    slack: float  # how far an estimated line end may pass `x` and still belong to the left column


def page_lines(runs: Sequence[Run]) -> list[Line]:
    rows = baselines([run for run in runs if run.text.strip()])
    gutter = find_gutter(rows)
    return [make_line(row, FULL) for row in rows] if gutter is None else _two_columns(rows, gutter)


def baselines(runs: Sequence[Run]) -> list[list[Run]]:
    """Runs grouped by baseline, top of the page first; a raised note mark stays with its line."""
    rows: list[list[Run]] = []
    anchor = (0.0, 0.0)  # baseline and size of the row's biggest run
    for run in sorted(runs, key=lambda r: (-r.y, r.x)):
        if rows and abs(run.y - anchor[0]) <= 0.45 * max(run.size, anchor[1]):
            rows[-1].append(run)
            if run.size > anchor[1]:
                anchor = (run.y, run.size)
        else:
            rows.append([run])
            anchor = (run.y, run.size)
    return rows


def find_gutter(rows: Sequence[Sequence[Run]]) -> Gutter | None:
    """A two-column layout: lines starting at one x near the middle, lines ending before it, none across."""
    runs = [run for row in rows for run in row]
    if len(rows) < 6:
        return None
    left_edge = min(run.x for run in runs)
    right_edge = max(_end(run) for run in runs)
    span = right_edge - left_edge
    starts = Counter(round(run.x) for run in runs if left_edge + 0.25 * span < run.x < left_edge + 0.75 * span)
    best: tuple[int, Gutter] | None = None
    for x, _ in starts.most_common(8):
        gutter = _gutter_at(rows, float(x), left_edge, right_edge)
        if gutter is not None:
            score = sum(1 for row in rows if any(abs(run.x - x) <= 1.5 for run in row))
            if best is None or score > best[0]:
                best = (score, gutter)
    return best[1] if best else None


def _gutter_at(rows: Sequence[Sequence[Run]], x: float, left_edge: float, right_edge: float) -> Gutter | None:
    starting = [row for row in rows if any(abs(run.x - x) <= 1.5 for run in row)]
    if len(starting) < 3:
        return None
    reach = 1.6 * max(run.size for row in starting for run in row)
    top = max(_baseline(row) for row in starting) + reach
    bottom = min(_baseline(row) for row in starting) - reach
    gutter = Gutter(x - 1.5, top, bottom, slack=0.2 * (right_edge - x))
    left_widths, right_widths, across = [], [], 0
    for row in rows:
        if not bottom <= _baseline(row) <= top:
            continue
        left = [run for run in row if run.x < gutter.x]
        right = [run for run in row if run.x >= gutter.x]
        if left and not right and max(map(_end, left)) > gutter.x + gutter.slack:
            across += 1
            continue
        if left:
            left_widths.append(min(max(map(_end, left)), gutter.x) - min(run.x for run in left))
        if right:
            right_widths.append(max(map(_end, right)) - min(run.x for run in right))
    # Columns of running text are mostly full, and words; short cells side by side are a table, and
    # dot leaders with page numbers a table of contents: both are read row by row.
    if len(left_widths) < 3 or across > max(1, len(right_widths) // 6):
        return None
    if not _wordy(run for row in starting for run in row if run.x >= gutter.x):
        return None
    full_left, full_right = x - left_edge, right_edge - x
    if (sum(left_widths) / len(left_widths) < 0.5 * full_left
            or sum(right_widths) / len(right_widths) < 0.5 * full_right):
        return None
    return gutter


def _wordy(runs: Iterable[Run]) -> bool:
    characters = "".join(run.text for run in runs).replace(" ", "")
    return sum(c.isalpha() for c in characters) >= 0.6 * len(characters)


def _two_columns(rows: Sequence[Sequence[Run]], gutter: Gutter) -> list[Line]:
    """Left column before right; a line across the page (a title, a wide table) ends both columns' band."""
    out: list[Line] = []
    left_lines: list[Line] = []
    right_lines: list[Line] = []
    below = False  # past the band, after a line across the page
    for row in rows:
        left = [run for run in row if run.x < gutter.x]
        right = [run for run in row if run.x >= gutter.x]
        crosses = left and max(map(_end, left)) > gutter.x + gutter.slack
        above = _baseline(row) > gutter.top
        # A left column may run on below a shorter right one: its lines stay left of the gutter.
        outside = above or below or (_baseline(row) < gutter.bottom and (right or crosses))
        if outside or (not right and crosses):
            out += left_lines + right_lines + [make_line(row, FULL)]
            left_lines, right_lines = [], []
            below = below or not above
            continue
        if left:
            left_lines.append(make_line(left, LEFT))
        if right:
            right_lines.append(make_line(right, RIGHT))
    return out + left_lines + right_lines


def make_line(runs: Sequence[Run], column: int) -> Line:
    """One line's runs joined left to right; small raised digits become superscript note marks."""
    runs = sorted(runs, key=lambda r: (r.x, r.order))
    sizes: Counter[float] = Counter()
    for run in runs:
        sizes[round(run.size * 2) / 2] += len(run.text.strip())
    size = sizes.most_common(1)[0][0]
    baseline = max(runs, key=lambda r: r.size).y
    parts: list[str] = []
    previous: Run | None = None
    for run in runs:
        text = run.text.replace("\n", " ")
        if previous is not None and text == previous.text and abs(run.x - previous.x) < 1:
            continue  # drawn twice, slightly offset: a fake bold
        if _is_mark(run, size, baseline):
            if parts:
                parts[-1] = parts[-1].rstrip()
            text = superscript(text.strip())
        elif previous is not None and parts and _needs_space(parts[-1], text, previous, run):
            text = " " + text
        parts.append(text)
        previous = run
    text = " ".join("".join(parts).split())
    if text.endswith("\u00ad"):  # a soft hyphen where the line broke is a hyphen on paper
        text = text[:-1] + "-"
    words = [run for run in runs if any(c.isalnum() for c in run.text) and not _is_mark(run, size, baseline)]
    return Line(
        text=tidy(text),
        x0=min(run.x for run in runs),
        x1=max(_end(run) for run in runs),
        y=baseline,
        size=size,
        bold=bool(words) and all(run.bold for run in words),
        column=column,
    )


def _needs_space(before: str, text: str, previous: Run, run: Run) -> bool:
    if before[-1:].isspace() or text[:1].isspace():
        return False
    return run.x - _end(previous) > 0.15 * run.size


def _is_mark(run: Run, size: float, baseline: float) -> bool:
    return run.size <= 0.8 * size and run.y >= baseline + 0.2 * size and bool(_MARK.match(run.text.strip()))


def with_column_edges(lines: Sequence[Line]) -> list[Line]:
    """The lines, knowing where the lines of their column begin and end (measured on these lines)."""
    edges: dict[int, tuple[float, float]] = {}
    for line in lines:
        low, high = edges.get(line.column, (line.x0, line.x1))
        edges[line.column] = (min(low, line.x0), max(high, line.x1))
    return [replace(line, left=edges[line.column][0], right=edges[line.column][1]) for line in lines]


def _end(run: Run) -> float:
    return run.x + run.width


def _baseline(row: Sequence[Run]) -> float:
    return max(row, key=lambda r: r.size).y

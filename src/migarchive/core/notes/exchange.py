"""Notes out and in as W3C Web Annotation JSON-LD (Markdown out: `markdown_export`).

The JSON is an `AnnotationCollection` whose first page is embedded (W3C Web Annotation Data Model
§5), one `Annotation` per note: the note and each tag are `TextualBody`s (tags with purpose
"tagging"), and the target is the document's corpus-relative path with a TextQuoteSelector and a
TextPositionSelector. Bookmarks are annotations with the motivation "bookmarking".

`import_json` reads that format: its own exports, and hand-written annotations with only a
TextQuoteSelector. Each note is anchored in the current text of its document; one that cannot be
found is kept as orphaned. An id already in the store is skipped, so importing twice adds nothing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migarchive.core.notes.anchoring import Anchorer, make_quote
from migarchive.core.notes.model import (
    ANCHORED,
    COLOURS,
    DEFAULT_COLOUR,
    ORPHANED,
    Annotation,
    Bookmark,
    NoteId,
    TextQuote,
)
from migarchive.core.notes.store import NotesStore, normalize_tags, now, passage_at, sha256_text
from migarchive.errors import UserError

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
_ANNOTATION_TYPES = {"Annotation", "oa:Annotation"}
# Limits of what one notes file may hold, each far above what a person writes or selects: past
# them the file is refused with the limit named, before anything is written. A quote is anchored
# by searching the document for it, so its length bounds that work.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_QUOTE_CHARS = 20_000
MAX_CONTEXT_CHARS = 2_000  # a quote's prefix or suffix
MAX_NOTE_CHARS = 200_000
MAX_OFFSET = 2**31  # a TextPositionSelector's start and end (no document is that long)


def read_file(source: Path) -> Any:
    """The JSON of a notes file, or `UserError` saying why it cannot be read."""
    try:
        with open(source, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UserError(f"cannot read {source}: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise UserError(f"{source} is larger than {MAX_FILE_BYTES // 2**20} MB; that is not a notes file")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UserError(f"{source} is not UTF-8 text") from None
    except RecursionError:
        raise UserError(f"{source} is nested too deeply to be a notes file") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except ValueError as exc:  # a number too long to convert
        raise UserError(f"{source} is not valid JSON ({exc})") from None


def _checked(value: str, what: str, limit: int, bad: Any) -> str:
    """`value` if it is text a database can hold (no lone surrogates, no NUL) within `limit`."""
    if len(value) > limit:
        raise bad(f"its {what} is {len(value):,} characters long; the limit is {limit:,}")
    if "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise bad(f"its {what} holds characters that are not text (NUL or a lone surrogate)")
    return value


@dataclass(frozen=True)
class ImportReport:
    added: int
    anchored: int  # of those added
    orphaned: int  # of those added
    skipped_duplicates: int


# -- JSON out --------------------------------------------------------------------------------------


def to_json(store: NotesStore) -> dict[str, Any]:
    """Every annotation and bookmark as a W3C AnnotationCollection (JSON-LD)."""
    items = [annotation_to_json(a) for a in store.annotations()] + [bookmark_to_json(b) for b in store.bookmarks()]
    return {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": "migarchive notes",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def json_text(store: NotesStore) -> str:
    """`to_json` as the text of an export file."""
    return json.dumps(to_json(store), ensure_ascii=False, indent=2) + "\n"


def annotation_to_json(annotation: Annotation) -> dict[str, Any]:
    bodies: list[dict[str, Any]] = []
    if annotation.note:
        bodies.append({"type": "TextualBody", "value": annotation.note, "format": "text/plain",
                       "purpose": "commenting"})
    bodies.extend({"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in annotation.tags)
    item: dict[str, Any] = {
        "id": _urn(annotation.id),
        "type": "Annotation",
        "motivation": "commenting" if annotation.note else "highlighting",
        "created": annotation.created,
        "modified": annotation.modified,
    }
    if bodies:
        item["body"] = bodies
    item["target"] = {
        "source": annotation.path,
        "styleClass": annotation.colour,
        "selector": _selectors(annotation.quote, annotation.start, annotation.end),
    }
    return item


def bookmark_to_json(bookmark: Bookmark) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": _urn(bookmark.id),
        "type": "Annotation",
        "motivation": "bookmarking",
        "created": bookmark.created,
        "modified": bookmark.modified,
    }
    if bookmark.label:
        item["body"] = [{"type": "TextualBody", "value": bookmark.label, "format": "text/plain",
                         "purpose": "bookmarking"}]
    target: dict[str, Any] = {"source": bookmark.path}
    if bookmark.quote is not None and bookmark.start is not None and bookmark.end is not None:
        target["selector"] = _selectors(bookmark.quote, bookmark.start, bookmark.end)
    item["target"] = target
    return item


def _selectors(quote: TextQuote, start: int, end: int) -> list[dict[str, Any]]:
    return [
        {"type": "TextQuoteSelector", "exact": quote.exact, "prefix": quote.prefix, "suffix": quote.suffix},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def _urn(note_id: str) -> str:
    return f"urn:uuid:{uuid.UUID(hex=note_id)}"  # RFC 4122 wants the dashed form


# -- JSON in ---------------------------------------------------------------------------------------


def import_json(store: NotesStore, text_of: Callable[[str], str | None], data: Any) -> ImportReport:
    """Add the annotations of a W3C collection, page, list or single annotation; raises `UserError`
    (naming the item) for anything that is not one, before anything is written. `text_of(path)` is
    a document's cleaned text, or None when the archive does not hold it."""
    items = _items(data)
    texts: dict[str, str | None] = {}
    annotations: list[Annotation] = []
    bookmarks: list[Bookmark] = []
    seen: set[str] = set()
    duplicates = 0
    for number, item in enumerate(items, start=1):
        parsed = _parse(item, number)
        if parsed.id in seen or store.contains(parsed.id):
            duplicates += 1
            continue
        seen.add(parsed.id)
        if parsed.path not in texts:
            texts[parsed.path] = text_of(parsed.path)
        text = texts[parsed.path]
        if parsed.bookmark:
            bookmarks.append(_bookmark(parsed, text, number))
        else:
            annotations.append(_annotation(parsed, text, number))
    hashes = {path: sha256_text(text) for path, text in texts.items() if text is not None}
    added_a, added_b = store.import_notes(annotations, bookmarks, hashes)
    added = set(added_a) | set(added_b)
    notes: list[Annotation | Bookmark] = [*annotations, *bookmarks]
    statuses = [n.status for n in notes if n.id in added]
    return ImportReport(added=len(added), anchored=statuses.count(ANCHORED), orphaned=statuses.count(ORPHANED),
                        skipped_duplicates=duplicates + len(annotations) + len(bookmarks) - len(added))


@dataclass(frozen=True)
class _Parsed:
    id: NoteId
    path: str
    bookmark: bool
    quote: TextQuote | None
    start: int | None
    end: int | None
    note: str
    tags: tuple[str, ...]
    colour: str
    created: str
    modified: str


def _items(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise UserError("the notes file must hold a JSON object (a W3C AnnotationCollection) or a list of annotations")
    kinds = _types(data)
    if kinds & _ANNOTATION_TYPES:
        return [data]
    if "AnnotationCollection" in kinds or "AnnotationPage" in kinds or "items" in data or "first" in data:
        items: list[Any] = []
        page: Any = data
        while isinstance(page, dict):  # the page itself, or a collection's embedded pages in order
            found = page.get("items", [])
            if not isinstance(found, list):
                raise UserError("the 'items' of an annotation page must be a list")
            items.extend(found)
            page = page.get("first", page.get("next")) if page is data else page.get("next")
        return items
    raise UserError("the notes file is not a W3C AnnotationCollection, AnnotationPage or Annotation "
                    "(no 'type', 'items' or 'first')")


def _types(data: dict[str, Any]) -> set[str]:
    kind = data.get("type", data.get("@type"))
    return set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()


def _parse(item: Any, number: int) -> _Parsed:
    def bad(message: str) -> UserError:
        return UserError(f"annotation {number} in the notes file: {message}")

    if not isinstance(item, dict):
        raise bad("not a JSON object")
    target = item.get("target")
    if isinstance(target, list):
        target = next((t for t in target if isinstance(t, (dict, str))), None)
    if isinstance(target, str):
        target = {"source": target}
    if not isinstance(target, dict):
        raise bad("it has no 'target'")
    source = target.get("source")
    if not isinstance(source, str) or not source.strip():
        raise bad("its target has no 'source' (the document's path in the corpus folder)")
    path = _checked(source.strip().removeprefix("./"), "source", 4096, bad)
    quote, start, end = _selectors_of(target.get("selector"), bad)
    bookmark = _motivations(item) == {"bookmarking"}
    if quote is None and start is None and not bookmark:
        raise bad("its target has neither a TextQuoteSelector nor a TextPositionSelector")
    texts, tags = _bodies(item, bad)
    texts = [_checked(text, "note", MAX_NOTE_CHARS, bad) for text in texts]
    tags = [_checked(tag, "tag", 200, bad) for tag in tags]
    colour = target.get("styleClass")
    stamp = now()
    return _Parsed(
        id=_note_id(item), path=path, bookmark=bookmark, quote=quote, start=start, end=end,
        note="\n\n".join(texts), tags=normalize_tags(tags),
        colour=colour if isinstance(colour, str) and colour in COLOURS else DEFAULT_COLOUR,
        created=_timestamp(item.get("created"), stamp), modified=_timestamp(item.get("modified"), stamp),
    )


def _selectors_of(selector: Any, bad: Any) -> tuple[TextQuote | None, int | None, int | None]:
    selectors = selector if isinstance(selector, list) else [selector] if selector is not None else []
    quote: TextQuote | None = None
    start: int | None = None
    end: int | None = None
    for found in selectors:
        if not isinstance(found, dict):
            continue
        kind = _types(found)
        if "TextQuoteSelector" in kind:
            exact, prefix, suffix = found.get("exact"), found.get("prefix", ""), found.get("suffix", "")
            if not isinstance(exact, str) or not exact.strip():
                raise bad("its TextQuoteSelector has no 'exact' text")
            if not isinstance(prefix, str) or not isinstance(suffix, str):
                raise bad("the 'prefix' and 'suffix' of its TextQuoteSelector must be text")
            quote = TextQuote(_checked(exact, "quote", MAX_QUOTE_CHARS, bad),
                              _checked(prefix, "quote's prefix", MAX_CONTEXT_CHARS, bad),
                              _checked(suffix, "quote's suffix", MAX_CONTEXT_CHARS, bad))
        elif "TextPositionSelector" in kind:
            first, last = found.get("start"), found.get("end")
            if (not isinstance(first, int) or not isinstance(last, int) or isinstance(first, bool)
                    or isinstance(last, bool) or not 0 <= first < last <= MAX_OFFSET):
                raise bad(f"its TextPositionSelector needs whole numbers 0 <= start < end <= {MAX_OFFSET:,}")
            start, end = first, last
    return quote, start, end


def _motivations(item: dict[str, Any]) -> set[str]:
    found = item.get("motivation")
    values = found if isinstance(found, list) else [found]
    return {v.removeprefix("oa:") for v in values if isinstance(v, str)}


def _bodies(item: dict[str, Any], bad: Any) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    tags: list[str] = []
    if isinstance(item.get("bodyValue"), str):
        texts.append(item["bodyValue"])
    body = item.get("body")
    for part in body if isinstance(body, list) else [body] if body is not None else []:
        if isinstance(part, str):
            continue  # a link to a body elsewhere: nothing we can show
        if not isinstance(part, dict):
            raise bad("a body must be a JSON object")
        value = part.get("value")
        if value is None:
            continue
        if not isinstance(value, str):
            raise bad("the 'value' of a TextualBody must be text")
        purposes = part.get("purpose")
        purposes = set(purposes) if isinstance(purposes, list) else {purposes}
        (tags if "tagging" in purposes or "oa:tagging" in purposes else texts).append(value)
    return texts, tags


def _note_id(item: dict[str, Any]) -> NoteId:
    """Our id for an imported item: its own uuid, else one derived from its id or content, so that
    importing the same file again recognises what it added before."""
    raw = item.get("id", item.get("@id"))
    if isinstance(raw, str) and raw.strip():
        value = raw.strip()
        if value.lower().startswith("urn:uuid:"):
            try:
                return NoteId(uuid.UUID(value[9:]).hex)
            except ValueError:
                pass
        return NoteId(uuid.uuid5(uuid.NAMESPACE_URL, value).hex)
    canonical = json.dumps(item, sort_keys=True, ensure_ascii=False)
    return NoteId(uuid.uuid5(uuid.NAMESPACE_URL, f"migarchive:import:{canonical}").hex)


def _timestamp(value: Any, default: str) -> str:
    usable = isinstance(value, str) and value.strip() and len(value) <= 64 and value.isprintable()
    return value if usable else default


def _place(parsed: _Parsed, text: str | None, number: int) -> tuple[TextQuote, int, int, bool]:
    """(quote, start, end, anchored) of an imported note in the current text of its document."""
    quote, start, end = parsed.quote, parsed.start, parsed.end
    if quote is None:
        # Only a position: the quote is whatever is there now, if the document is here to say.
        if text is None or start is None or end is None or end > len(text) or not text[start:end].strip():
            raise UserError(f"annotation {number} in the notes file has only a TextPositionSelector, and "
                            f"'{parsed.path}' has no text there to quote")
        return make_quote(text, start, end), start, end, True
    if text is not None:
        span = Anchorer(text).anchor(quote, start, end)
        if span is not None:
            return make_quote(text, *span), span[0], span[1], True
    return quote, start if start is not None else 0, end if end is not None else 0, False


def _annotation(parsed: _Parsed, text: str | None, number: int) -> Annotation:
    quote, start, end, anchored = _place(parsed, text, number)
    return Annotation(
        id=parsed.id, path=parsed.path, sha256=sha256_text(text) if anchored and text is not None else "",
        quote=quote, start=start, end=end, note=parsed.note, colour=parsed.colour, tags=parsed.tags,
        status=ANCHORED if anchored else ORPHANED, created=parsed.created, modified=parsed.modified,
    )


def _bookmark(parsed: _Parsed, text: str | None, number: int) -> Bookmark:
    label = parsed.note
    if parsed.quote is None and parsed.start is None:  # the whole document
        return Bookmark(id=parsed.id, path=parsed.path, passage_id=None, label=label, quote=None, start=None,
                        end=None, status=ANCHORED if text is not None else ORPHANED, created=parsed.created,
                        modified=parsed.modified)
    quote, start, end, anchored = _place(parsed, text, number)
    return Bookmark(id=parsed.id, path=parsed.path,
                    passage_id=passage_at(text, start) if anchored and text is not None else None,
                    label=label, quote=quote, start=start, end=end, status=ANCHORED if anchored else ORPHANED,
                    created=parsed.created, modified=parsed.modified)

"""Finding the documents in a corpus folder and decoding them; source files are never written.

A file that cannot be used is reported as `Skipped` with a reason; it never stops the others.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import stat as stat_mode
from dataclasses import dataclass
from pathlib import Path

from migarchive.core.atomic import write_atomically
from migarchive.core.extraction import EXTRACTED_SUFFIXES, Extracted, ExtractionError, extract_bytes
from migarchive.core.model import DocPath, Skipped, SourceText
from migarchive.paths import IMPORTED

TEXT_SUFFIXES = (".txt", ".md")
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + EXTRACTED_SUFFIXES
# An original (a PDF with its images) may be much larger than its text; its text is still held to
# MAX_FILE_BYTES.
MAX_ORIGINAL_BYTES = 300 * 1024 * 1024
# Larger files are almost certainly not meeting documents (the biggest real report is ~100 KB, a
# 1,000-page book is ~3 MB of text); indexing runs at about 1 MB a second and needs ~50 times the
# file's size in memory, so a 50 MB dump would cost the user a minute and gigabytes for nothing.
MAX_FILE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class CorpusFile:
    path: DocPath
    # Where the file is, as text: a path object per file cost a listing of thousands of unchanged
    # files more than their system calls, and only a file that is read needs one (`abs_path`).
    location: str
    size: int
    mtime_ns: int
    # (size, mtime) of the metadata sidecar `NAME.meta.json`, so that editing it alone is noticed
    sidecar_stamp: tuple[int, int] | None = None
    # Where text extracted from PDF, HTML and Word files is kept, by content hash: extracting a
    # long PDF takes seconds, and the reader asks for a document's text each time it opens it.
    extracted_cache: Path | None = None
    # The metadata sidecar to read, when there is one inside the corpus; why one is not read.
    sidecar: Path | None = None
    sidecar_problem: str | None = None

    @property
    def abs_path(self) -> Path:
        return Path(self.location)

    @property
    def stamp(self) -> tuple[int, int, tuple[int, int] | None]:
        """What says the file (or its sidecar) changed: size, modification time, sidecar's stamp."""
        return (self.size, self.mtime_ns, self.sidecar_stamp)


def discover(root: Path, extracted_cache: Path | None = None,
             imported: Path | None = None) -> tuple[list[CorpusFile], list[Skipped]]:
    """All documents (`DOCUMENT_SUFFIXES`) under `root`, sorted by path; hidden files and folders
    are ignored.

    Symlinks are followed only when they stay inside the corpus, which also rules out loops, or
    when they are in `imported/`: `migarchive add --link` puts them there, pointing at the
    user's own files.

    `imported`, when given, is the folder that holds the corpus's `imported/` documents instead of
    `root/imported` (a read-only bundled corpus keeps the user's additions in the data directory);
    its documents are listed as `imported/…` all the same.
    """
    root = root.resolve()
    found: list[CorpusFile] = []
    skipped: list[Skipped] = []
    # With an `imported` folder of its own, a `root/imported` (one a checkout's corpus may hold
    # from before) is not read: two folders could both claim a name.
    _walk(root, "", extracted_cache, found, skipped, skip_imported=imported is not None)
    if imported is not None and imported.is_dir():
        _walk(imported.resolve(), IMPORTED + "/", extracted_cache, found, skipped)
    found.sort(key=lambda f: f.path)
    return found, skipped


def _walk(root: Path, prefix: str, extracted_cache: Path | None, found: list[CorpusFile],
          skipped: list[Skipped], skip_imported: bool = False) -> None:
    top = str(root)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and not (skip_imported and d == IMPORTED and dirpath == top))
        names = set(filenames)
        # The corpus-relative folder once per folder, as text: path objects per file were a third
        # of the time a re-open of thousands of files spent listing them.
        folder = prefix + (dirpath[len(top) + 1:].replace(os.sep, "/") + "/" if dirpath != top else "")
        base = dirpath + os.sep
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(DOCUMENT_SUFFIXES):
                continue
            abs_path = base + name
            rel = DocPath(folder + name)
            if not _is_text(rel):
                # Bytes that are not UTF-8 in a name: it could not be stored in the index or printed.
                shown = DocPath(rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
                skipped.append(Skipped(shown, "the file name is not valid UTF-8; rename the file"))
                continue
            examined = _examine(root, rel, abs_path, name + SIDECAR_SUFFIX in names, extracted_cache)
            if isinstance(examined, CorpusFile):
                found.append(examined)
            else:
                skipped.append(examined)


def corpus_file(root: Path, path: str, extracted_cache: Path | None = None,
                imported: Path | None = None) -> CorpusFile | Skipped | None:
    """The one document `path` (corpus-relative) as `discover` would find it, without walking the
    whole corpus; None when `discover` would not list it (gone, hidden, under a linked folder).
    `imported` as for `discover`."""
    parts = path.split("/")
    if not path.lower().endswith(DOCUMENT_SUFFIXES) or any(not p or p.startswith(".") for p in parts):
        return None
    if imported is not None:
        if parts[0] == IMPORTED and len(parts) > 1:
            root, parts = imported, parts[1:]
        elif parts[0] == IMPORTED:
            return None
    root = root.resolve()
    folder = root
    for part in parts[:-1]:
        folder = folder / part
        if folder.is_symlink() or not folder.is_dir():
            return None
    abs_path = folder / parts[-1]
    if not (abs_path.exists() or abs_path.is_symlink()):
        return None
    sidecar = abs_path.with_name(abs_path.name + SIDECAR_SUFFIX)
    has_sidecar = sidecar.exists() or sidecar.is_symlink()
    return _examine(root, DocPath(path), str(abs_path), has_sidecar, extracted_cache)


def location(root: Path, path: str, imported: Path | None = None) -> Path:
    """Where the file of corpus-relative `path` is (or goes) on disk; `imported` as for `discover`."""
    if imported is not None and path.startswith(IMPORTED + "/"):
        return imported / path[len(IMPORTED) + 1:]
    return root / path


def _examine(root: Path, rel: DocPath, abs_path: str, has_sidecar: bool,
             extracted_cache: Path | None) -> CorpusFile | Skipped:
    try:
        # One lstat for an ordinary file; resolving (a system call per path component) only
        # for links. Folders need no check: the walk does not follow linked folders.
        stat = os.lstat(abs_path)
        if stat_mode.S_ISLNK(stat.st_mode):
            real = Path(abs_path).resolve(strict=True)
            if not real.is_relative_to(root) and not _linked_import(rel):
                return Skipped(rel, "symbolic link pointing outside the corpus folder")
            stat = real.stat()
    except RuntimeError:  # a symlink loop, before Python 3.13
        return Skipped(rel, "cannot be read: symbolic link loop")
    except OSError as exc:
        return Skipped(rel, f"cannot be read: {_describe(exc)}")
    if not stat_mode.S_ISREG(stat.st_mode):
        return Skipped(rel, "not a regular file")  # a pipe or a device: reading could block
    cache = extracted_cache if rel.lower().endswith(EXTRACTED_SUFFIXES) else None
    sidecar, problem, stamp = None, None, None
    if has_sidecar:
        document = Path(abs_path)
        sidecar, problem = _sidecar(root, document)
        stamp = _sidecar_stamp(document) if sidecar is not None else None
    return CorpusFile(rel, abs_path, stat.st_size, stat.st_mtime_ns, stamp, cache, sidecar, problem)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_FORMATS = {".htm": "html"}


def _linked_import(rel: str) -> bool:
    return rel.startswith(IMPORTED + "/") and rel.count("/") == 1


def _sidecar(root: Path, document: Path) -> tuple[Path | None, str | None]:
    """The document's sidecar if it may be read: by the rule for documents, a link is followed
    only when it stays inside the corpus."""
    sidecar = document.with_name(document.name + SIDECAR_SUFFIX)
    try:
        if sidecar.is_symlink() and not sidecar.resolve(strict=True).is_relative_to(root):
            return None, f"ignored {sidecar.name}: a symbolic link pointing outside the corpus folder"
    except (OSError, RuntimeError):
        return None, f"ignored {sidecar.name}: a broken symbolic link"
    return sidecar, None


SIDECAR_SUFFIX = ".meta.json"


def _sidecar_stamp(document: Path) -> tuple[int, int] | None:
    try:
        stat = document.with_name(document.name + SIDECAR_SUFFIX).stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


def read_source(file: CorpusFile) -> SourceText | Skipped:
    """Decode one file; UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252 with a warning.

    The file may have changed since `discover` saw it: it is checked again once open (gone, grown
    past the limit, replaced by a pipe), and what is recorded is what was read."""
    extracted = file.path.lower().endswith(EXTRACTED_SUFFIXES)
    limit = MAX_ORIGINAL_BYTES if extracted else MAX_FILE_BYTES
    if file.size > limit:
        return _too_large(file.path, file.size, limit)
    try:
        # Non-blocking, so that a pipe put in the file's place cannot hang the open.
        with open(file.abs_path, "rb", opener=_open_nonblocking) as handle:
            opened = os.fstat(handle.fileno())
            if not stat_mode.S_ISREG(opened.st_mode):
                return Skipped(file.path, "not a regular file")
            data = handle.read(limit + 1)
    except OSError as exc:
        return Skipped(file.path, f"cannot be read: {_describe(exc)}")
    if len(data) > limit:
        return _too_large(file.path, opened.st_size, limit)
    if extracted:
        return _extracted_source(file, data, opened.st_mtime_ns)
    text, encoding, warnings = decode(data)
    if text is None:
        return Skipped(file.path, encoding)
    if not text.strip():
        return Skipped(file.path, "empty file")
    return SourceText(
        path=file.path,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        mtime_ns=opened.st_mtime_ns,
        warnings=tuple(warnings),
    )


def _too_large(path: DocPath, size: int, limit: int = MAX_FILE_BYTES) -> Skipped:
    return Skipped(path, f"too large to be a meeting document ({size / (1024 * 1024):.0f} MB; "
                         f"the limit is {limit // (1024 * 1024)} MB)")


def _extracted_source(file: CorpusFile, data: bytes, mtime_ns: int) -> SourceText | Skipped:
    """The text of a PDF, HTML or Word file, from the cache when this content was extracted before."""
    sha256 = hashlib.sha256(data).hexdigest()
    suffix = os.path.splitext(file.path)[1].lower()
    result = _cached_extraction(file.extracted_cache, sha256)
    if result is None:
        try:
            result = extract_bytes(data, suffix)
        except ExtractionError as exc:
            return Skipped(file.path, str(exc))
        # A PDF's text map may name half of a surrogate pair: text no file, index or terminal can
        # hold. One character for one, so page offsets stay right.
        result = dataclasses.replace(result, text=_LONE_SURROGATE.sub("\ufffd", result.text))
        _cache_extraction(file.extracted_cache, sha256, result)
    text = result.text
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        return _too_large(file.path, len(text.encode("utf-8")))
    return SourceText(
        path=file.path,
        text=text,
        encoding=suffix.lstrip("."),
        sha256=sha256,
        size=len(data),
        mtime_ns=mtime_ns,
        warnings=result.warnings,
        page_starts=result.page_starts,
        original_format=_FORMATS.get(suffix, suffix.lstrip(".")),
    )


def _cached_extraction(cache: Path | None, sha256: str) -> Extracted | None:
    if cache is None:
        return None
    try:
        data = json.loads((cache / f"{sha256}.json").read_text(encoding="utf-8"))
        return Extracted(data["text"], tuple(data["page_starts"]), data["pages"], tuple(data["warnings"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent or damaged: extract again


def _cache_extraction(cache: Path | None, sha256: str, result: Extracted) -> None:
    if cache is None:
        return
    data = {"text": result.text, "page_starts": list(result.page_starts), "pages": result.pages,
            "warnings": list(result.warnings)}
    try:
        cache.mkdir(parents=True, exist_ok=True)
        write_atomically(cache / f"{sha256}.json", json.dumps(data, ensure_ascii=False))
    except OSError:
        pass  # only a cache: the text is extracted again next time


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _is_text(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def decode(data: bytes) -> tuple[str | None, str, list[str]]:
    """Returns (text, encoding, warnings), or (None, reason, []) when the bytes are not text."""
    if not data.strip():
        return None, "empty file", []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _normalise_newlines(data.decode("utf-16")), "utf-16", []
        except UnicodeDecodeError:
            return None, "invalid UTF-16 text", []
    if _looks_binary(data):
        return None, "binary file, not text", []
    try:
        return _normalise_newlines(data.decode("utf-8-sig")), "utf-8", []
    except UnicodeDecodeError as exc:
        warning = f"not valid UTF-8 (byte {exc.start}); read as Windows-1252"
    # cp1252 leaves five bytes undefined; replacing them keeps the rest of the text usable.
    return _normalise_newlines(data.decode("cp1252", errors="replace")), "cp1252", [warning]


_CONTROL = bytes(set(range(32)) - {9, 10, 12, 13})


def _looks_binary(data: bytes) -> bool:
    # A stray NUL or control byte in a text file is damage; many of them mean it is not text at all
    # (compressed or image data is full of them, real text almost never has any).
    head = data[:8192]
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls > max(1, len(head) // 100)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__

"""From a decoded source file to a `Document`: overrides, cleaning, sections, metadata, definitions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath

from migarchive.core import acronyms, cleaning, metadata, overrides, sections
from migarchive.core.model import Document, DocumentInfo, SourceText, page_at
from migarchive.core.reading import CorpusFile


def build(source: SourceText, file: CorpusFile | None = None) -> Document:
    """The document from its decoded text; `file` (as discovered) says which sidecar may be read."""
    if source.original_format is not None:
        # Extracted text arrives clean; only plain-text headings are marked, keeping page offsets.
        front: dict[str, str] = {}
        text, page_starts = cleaning.mark_headings(source.text, source.page_starts)
        cleaned = cleaning.CleanResult(text, 0)
    else:
        front, body = overrides.split_front_matter(source.text)
        cleaned = cleaning.clean(body)
        page_starts = ()
    section_list, passages = sections.split(cleaned.text)
    if page_starts:
        passages = tuple(replace(p, page=page_at(page_starts, p.start)) for p in passages)
    meta = metadata.extract(cleaned.text, fallback_title=_title_from_name(source.path))
    warnings = list(source.warnings)
    fields: dict[str, object] = dict(front)
    if file is not None and file.sidecar_problem:
        warnings.append(file.sidecar_problem)
    if file is not None and file.sidecar is not None:
        sidecar, problem = overrides.read_sidecar(file.sidecar)
        fields.update(sidecar)
        if problem:
            warnings.append(problem)
    if fields:
        meta, problems = overrides.apply(meta, fields)
        warnings.extend(problems)
    return Document(
        path=source.path,
        source=replace(source, warnings=tuple(warnings)),
        cleaned=cleaned.text,
        metadata=meta,
        sections=section_list,
        passages=passages,
        damaged_spots=cleaned.damaged_spots,
        definitions=acronyms.find_definitions(cleaned.text),
        page_starts=page_starts,
    )


def info(document: Document, sidecar_stamp: tuple[int, int] | None = None) -> DocumentInfo:
    return DocumentInfo(
        path=document.path,
        sha256=document.source.sha256,
        size=document.source.size,
        mtime_ns=document.source.mtime_ns,
        metadata=document.metadata,
        sections=document.sections,
        passage_count=len(document.passages),
        damaged_spots=document.damaged_spots,
        definitions=document.definitions,
        warnings=document.source.warnings,
        sidecar_stamp=sidecar_stamp,
        page_starts=document.page_starts,
        original_format=document.source.original_format,
    )


def _title_from_name(path: str) -> str:
    stem = PurePosixPath(path).stem
    return stem.replace("_", " ").replace("-", " ").strip() or path

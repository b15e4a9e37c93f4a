"""An update resolves again only what a change can affect, and finds exactly what a resolution from
scratch finds (`entities.resolve_again`)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from dataclasses import replace
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migarchive.core import documents, entities, gazetteer, reading
from migarchive.core.mentions import find_candidates
from migarchive.core.model import DocPath, DocumentInfo, SourceText

CORPUS_DIR = (Path(__file__).resolve().parents[2] / "corpus")
KNOWN = gazetteer.load(None)
# Names that no gazetteer entry knows: resolving them adds entities, names and shortenings to the
# registry, which is what makes one document's result depend on the documents before it.
PHRASES = [
    "The Xylo Regional Forum on Mobility met the Xylo Regional Forum twice.",
    "Delegates of the Xylo Regional Forum and the Quorra Labour Mobility Partnership spoke.",
    "The Third Quorra Migration Dialogue followed the Second Quorra Migration Dialogue.",
    "The International Organization for Migration (IOM) and the UNHCR worked with the IOMM.",
    "The Quorra Labour Mobility Partnership (QLMP) reported; QLMP members agreed.",
    "Nothing here names a body; it speaks of remittances and of brain drain.",
    "The Zenith Platform on Displacement and the Zenith Platform held a joint session.",
]


def _info(path: str, text: str) -> DocumentInfo:
    source = SourceText(DocPath(path), text, "utf-8", hashlib.sha256(text.encode()).hexdigest(), len(text), 0)
    document = documents.build(source)
    return documents.info(document, None, find_candidates(document, KNOWN))


@functools.cache
def _seed_infos() -> dict[DocPath, DocumentInfo]:
    files, _ = reading.discover(CORPUS_DIR)
    built = {}
    for file in files:
        source = reading.read_source(file)
        assert isinstance(source, SourceText)
        document = documents.build(source, file)
        built[file.path] = documents.info(document, file.sidecar_stamp, find_candidates(document, KNOWN))
    return built


def _again(infos: dict[DocPath, DocumentInfo], before: entities.Resolved) -> tuple[list[entities.Entity], entities.Resolved]:
    # As an update has them: unchanged records without their candidates, which are asked for
    # only for a document that must be resolved again.
    stripped = [info if info.path not in before.documents or before.documents[info.path][0] != (info.sha256, info.sidecar_stamp)
                else replace(info, candidates=()) for info in infos.values()]
    return entities.resolve_again(stripped, KNOWN, before, lambda path: infos[path].candidates)


def test_an_edit_that_adds_no_names_resolves_that_document_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    infos = dict(_seed_infos())
    infos.update({DocPath(f"extra/{i}.md"): _info(f"extra/{i}.md", text) for i, text in enumerate(PHRASES)})
    found, before = entities.resolve_again(infos.values(), KNOWN)
    assert found == entities.resolve(infos.values(), KNOWN)
    decided: list[str] = []
    real = entities._decide
    monkeypatch.setattr(entities, "_decide", lambda path, *rest: decided.append(path) or real(path, *rest))
    edited = dict(infos)
    edited[DocPath("extra/5.md")] = _info("extra/5.md", PHRASES[5] + " It mentions the UNHCR again.")
    again, _ = _again(edited, before)
    assert decided == ["extra/5.md"], "unchanged documents are taken from the last resolution"
    monkeypatch.setattr(entities, "_decide", real)
    assert again == entities.resolve(edited.values(), KNOWN)


def test_removing_a_document_whose_definitions_others_share_resolves_nothing_again(monkeypatch: pytest.MonkeyPatch) -> None:
    infos = dict(_seed_infos())
    infos.update({DocPath(f"extra/{i}.md"): _info(f"extra/{i}.md", text) for i, text in enumerate(PHRASES)})
    infos[DocPath("extra/9.md")] = _info("extra/9.md", PHRASES[3])  # defines IOM, as extra/3.md does
    _found, before = entities.resolve_again(infos.values(), KNOWN)
    decided: list[str] = []
    real = entities._decide
    monkeypatch.setattr(entities, "_decide", lambda path, *rest: decided.append(path) or real(path, *rest))
    del infos[DocPath("extra/9.md")]
    again, _ = _again(infos, before)
    assert decided == []
    monkeypatch.setattr(entities, "_decide", real)
    assert again == entities.resolve(infos.values(), KNOWN)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["edit", "add", "remove"]), st.integers(0, 30),
                          st.lists(st.integers(0, len(PHRASES) - 1), min_size=1, max_size=3)),
                min_size=1, max_size=4))
def test_updates_find_what_a_resolution_from_scratch_finds(changes: list[tuple[str, int, list[int]]]) -> None:
    infos = dict(_seed_infos())
    infos.update({DocPath(f"extra/{i}.md"): _info(f"extra/{i}.md", text) for i, text in enumerate(PHRASES)})
    _found, before = entities.resolve_again(infos.values(), KNOWN)
    for what, which, phrases in changes:
        paths = sorted(infos)
        text = " ".join(PHRASES[p] for p in phrases)
        if what == "remove" and len(paths) > 1:
            del infos[paths[which % len(paths)]]
        elif what == "edit":
            path = paths[which % len(paths)]
            infos[path] = _info(path, text)
        else:
            path = f"extra/new-{which}.md"
            infos[DocPath(path)] = _info(path, text)
        found, before = _again(infos, before)
        assert found == entities.resolve(infos.values(), KNOWN)

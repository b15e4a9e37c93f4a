"""An update resolves again only what a change can affect, and finds exactly what a resolution from
scratch finds (`entities.resolve_again`)."""

from __future__ import annotations

import functools
import hashlib
from typing import Any
from pathlib import Path
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
    # Known by the part before "of the": a name another document adds.
    "The Quorra Labour Mobility Partnership of the Eastern Isles Region and the Zenith Platform of the North met.",
]


Doc = tuple[DocumentInfo, tuple[Any, ...]]  # a document's record and its entity candidates


def _info(path: str, text: str) -> Doc:
    source = SourceText(DocPath(path), text, "utf-8", hashlib.sha256(text.encode()).hexdigest(), len(text), 0)
    document = documents.build(source)
    return documents.info(document), tuple(map(tuple, find_candidates(document, KNOWN)))


@functools.cache
def _seed_infos() -> dict[DocPath, Doc]:
    files, _ = reading.discover(CORPUS_DIR)
    built = {}
    for file in files:
        source = reading.read_source(file)
        assert isinstance(source, SourceText)
        document = documents.build(source, file)
        built[file.path] = (documents.info(document, file.sidecar_stamp),
                            tuple(map(tuple, find_candidates(document, KNOWN))))
    return built


def _from_scratch(docs: dict[DocPath, Doc]) -> list[entities.Entity]:
    return entities.resolve([info for info, _ in docs.values()], KNOWN, {p: c for p, (_, c) in docs.items()})


def _again(docs: dict[DocPath, Doc], before: entities.Resolved | None) -> tuple[list[entities.Entity], entities.Resolved]:
    return entities.resolve_again([info for info, _ in docs.values()], KNOWN, before, lambda path: docs[path][1])


def test_an_edit_that_adds_no_names_resolves_that_document_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    infos = dict(_seed_infos())
    infos.update({DocPath(f"extra/{i}.md"): _info(f"extra/{i}.md", text) for i, text in enumerate(PHRASES)})
    found, before = _again(infos, None)
    assert found == _from_scratch(infos)
    decided: list[str] = []
    real = entities._decide
    monkeypatch.setattr(entities, "_decide", lambda path, *rest: decided.append(path) or real(path, *rest))
    edited = dict(infos)
    edited[DocPath("extra/5.md")] = _info("extra/5.md", PHRASES[5] + " It mentions the UNHCR again.")
    again, _ = _again(edited, before)
    assert decided == ["extra/5.md"], "unchanged documents are taken from the last resolution"
    monkeypatch.setattr(entities, "_decide", real)
    assert again == _from_scratch(edited)


def test_removing_a_document_whose_definitions_others_share_resolves_nothing_again(monkeypatch: pytest.MonkeyPatch) -> None:
    infos = dict(_seed_infos())
    infos.update({DocPath(f"extra/{i}.md"): _info(f"extra/{i}.md", text) for i, text in enumerate(PHRASES)})
    infos[DocPath("extra/9.md")] = _info("extra/9.md", PHRASES[3])  # defines IOM, as extra/3.md does
    _found, before = _again(infos, None)
    decided: list[str] = []
    real = entities._decide
    monkeypatch.setattr(entities, "_decide", lambda path, *rest: decided.append(path) or real(path, *rest))
    del infos[DocPath("extra/9.md")]
    again, _ = _again(infos, before)
    assert decided == []
    monkeypatch.setattr(entities, "_decide", real)
    assert again == _from_scratch(infos)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["edit", "add", "remove"]), st.integers(0, 30),
                          st.lists(st.integers(0, len(PHRASES) - 1), min_size=1, max_size=3)),
                min_size=1, max_size=4))
def test_updates_find_what_a_resolution_from_scratch_finds(changes: list[tuple[str, int, list[int]]]) -> None:
    infos = dict(_seed_infos())
    infos.update({DocPath(f"extra/{i}.md"): _info(f"extra/{i}.md", text) for i, text in enumerate(PHRASES)})
    _found, before = _again(infos, None)
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
        assert found == _from_scratch(infos)


def test_adding_a_document_resolves_again_only_those_that_look_at_what_it_adds(monkeypatch: pytest.MonkeyPatch) -> None:
    # "a-new.md" sorts before every other document and names the Xylo forum first: the documents
    # that name it too see the registry change; the seed documents, which never name it, do not.
    infos = dict(_seed_infos())
    infos.update({DocPath(f"extra/{i}.md"): _info(f"extra/{i}.md", text) for i, text in enumerate(PHRASES)})
    _found, before = _again(infos, None)
    decided: list[str] = []
    real = entities._decide
    monkeypatch.setattr(entities, "_decide", lambda path, *rest: decided.append(path) or real(path, *rest))
    infos[DocPath("a-new.md")] = _info("a-new.md", PHRASES[0])
    again, after = _again(infos, before)
    assert decided[0] == "a-new.md" and set(decided) <= {"a-new.md", "extra/0.md", "extra/1.md"}
    monkeypatch.setattr(entities, "_decide", real)
    assert again == _from_scratch(infos)
    decided.clear()
    monkeypatch.setattr(entities, "_decide", lambda path, *rest: decided.append(path) or real(path, *rest))
    del infos[DocPath("a-new.md")]
    again, _ = _again(infos, after)
    assert set(decided) <= {"extra/0.md", "extra/1.md"}
    monkeypatch.setattr(entities, "_decide", real)
    assert again == _from_scratch(infos)


@pytest.mark.parametrize("change", ["remove", "add"])
def test_a_name_known_by_its_part_before_of_follows_the_document_that_adds_that_part(change: str) -> None:
    # c.md names "the Quorra Labour Mobility Partnership of the Eastern Isles Region": one entity
    # with b.md's Partnership while b.md names it first, a body of its own once it does not.
    writer = {DocPath("b.md"): _info("b.md", PHRASES[1])}  # names it, defines nothing
    reader = {DocPath("c.md"): _info("c.md", PHRASES[7])}
    first, then = (writer | reader, reader) if change == "remove" else (reader, writer | reader)
    _found, before = _again(first, None)
    again, _ = _again(then, before)
    assert again == _from_scratch(then)

"""Acronyms explained: the document's own definition first, then the archive's, then its entities."""

from __future__ import annotations

from migarchive.core.archive import Archive
from migarchive.core.glossary import Glossary

DOC_001, DOC_000 = "001_2af6c4c605665e75.txt", "000_b26e33a0a508e853.txt"


def test_own_definition_then_another_documents_then_an_entity(archive: Archive) -> None:
    glossary = Glossary(archive.documents(), archive.entities())
    own = glossary.explain("IOM", archive.document(DOC_001))
    assert own is not None and own.long_form == "International Organization for Migration"
    assert own.where.startswith("defined in this document, para. ")
    # 000 does not define DESA; 001 does, and says so by its label.
    borrowed = glossary.explain("DESA", archive.document(DOC_000))
    assert borrowed is not None and borrowed.long_form == "Department of Economic and Social Affairs"
    assert borrowed.where == "defined in Report · Population Division"
    # No document defines GCIM: the archive's initiatives know it.
    gcim = glossary.explain("GCIM,", archive.document(DOC_000))
    assert gcim is not None and gcim.long_form == "Global Commission on International Migration"
    assert gcim.where.startswith("an initiative named in ") and gcim.where.endswith(" of the archive")
    assert glossary.explain("Migration", archive.document(DOC_000)) is None
    assert glossary.explain("ZZQX", None) is None

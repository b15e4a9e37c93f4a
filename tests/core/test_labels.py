"""Document labels and title case: what tells the documents of one meeting apart, in words people write."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from migarchive.core.labels import document_label, is_all_caps, title_case, without_meeting_words
from migarchive.core.model import AcronymDefinition, DocumentInfo, Kind, MeetingRef, Metadata, Section


def _info(title: str, kind: str = Kind.OTHER, organization: str | None = None, symbol: str | None = None,
          path: str = "doc.txt", headings: tuple[str, ...] = (),
          definitions: tuple[AcronymDefinition, ...] = ()) -> DocumentInfo:
    sections = tuple(Section(f"s{i}", h, 2, i * 10, i * 10 + 9, None) for i, h in enumerate(headings))
    meta = Metadata(title, kind, MeetingRef(2), organization, symbol)
    return DocumentInfo(path, "", 0, 0, meta, sections, 1, 0, definitions, ())


def test_title_case_keeps_acronyms_numerals_symbols_and_small_words() -> None:
    assert title_case("II. RECENT ACTIVITIES OF UNHCR AND IOM") == "II. Recent Activities of UNHCR and IOM"
    assert title_case("A. THE CRRF: A NEW APPROACH") == "A. The CRRF: A New Approach"
    assert title_case("UNITAR'S MIGRATION RELATED ACTIVITIES") == "UNITAR's Migration Related Activities"
    assert title_case("FOLLOW-UP TO A/RES/71/1 (NYD)") == "Follow-Up to A/RES/71/1 (NYD)"
    assert title_case("WORK OF THE GLOBAL FORUM", acronyms=["GLOBAL"]) == "Work of the GLOBAL Forum"
    assert title_case("Report of the Meeting") == "Report of the Meeting"  # the author's capitals stay


def test_meeting_words_are_left_to_the_meeting_row() -> None:
    assert without_meeting_words("Report of the Second Coordination Meeting on International Migration") == "Report"
    assert without_meeting_words("First Coordination Meeting on International Migration") == ""
    assert without_meeting_words("Note to the 15th United Nations Coordination Meeting on International "
                                 "Migration: data") == "Note: data"
    # Another meeting's name is the document's own.
    assert without_meeting_words("Regional Coordination Meeting on International Migration") == \
        "Regional Coordination Meeting on International Migration"


def test_labels_lead_with_kind_organization_own_title_and_symbol() -> None:
    assert document_label(_info("Report of the Second Coordination Meeting on International Migration",
                                Kind.REPORT, "Population Division")) == "Report · Population Division"
    assert document_label(_info("Contribution of the United Nations Institute for Training and Research (UNITAR)",
                                Kind.PAPER, "United Nations Institute for Training and Research (UNITAR)",
                                "UN/POP/MIG-FCM/2005/06")) == "Paper · UNITAR · Contribution · UN/POP/MIG-FCM/2005/06"
    assert document_label(_info("INTERNATIONAL MIGRATION AND THE CRRF", Kind.PAPER, "UNHCR")) == \
        "Paper · UNHCR · International Migration and the CRRF"


def test_documents_titled_only_by_their_meeting_are_told_apart() -> None:
    title = "Second Coordination Meeting on International Migration"
    infos = [_info(title, path=f"docs/doc_{n:03}.txt", headings=(title.upper(), f"Panel {n}")) for n in range(200)]
    labels = [document_label(info) for info in infos]
    assert len(set(labels)) == len(labels)
    assert labels[7] == "doc_007 · Panel 7"
    assert not any("Coordination Meeting" in label for label in labels)


_words = st.lists(st.sampled_from(["REPORT", "OF", "THE", "UNHCR", "IOM", "II.", "A.", "DATA:", "(GFMD)",
                                   "A/RES/71/1", "MIGRANTS'", "WORKERS'S", "Ü", "-", "CRRF", "AND", "ÉTUDE"]),
                  min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(_words)
def test_title_case_changes_only_the_case_of_letters(words: list[str]) -> None:
    text = " ".join(words)
    cased = title_case(text)
    assert cased.lower() == text.lower()
    assert title_case(cased) == cased  # once in title case, it is no longer ALL CAPS
    if not is_all_caps(text):
        assert cased == text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["First", "15th", "Second United Nations", "the Fifth"]),
       st.text(max_size=30))
def test_the_meeting_name_never_survives_in_a_label(before: str, ordinal: str, after: str) -> None:
    title = f"{before} {ordinal} Coordination Meeting on International Migration {after}"
    rest = without_meeting_words(title)
    if "Coordination Meeting on International Migration" not in f"{before} {after}":
        assert "Coordination Meeting on International Migration" not in rest

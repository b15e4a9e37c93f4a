"""Inline Markdown taken off for snippets: what the reader shows, with the search's bold marks kept."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from migarchive.core.render import plain_inline


def test_links_emphasis_code_and_images_become_their_words() -> None:
    assert plain_inline("and Migrants ([**A/RES/71/1**](#)) by") == "and Migrants (**A/RES/71/1**) by"
    assert plain_inline("the *Agenda*, _data_, __strong__, `code`, ![map](m.png)") == \
        "the Agenda, data, strong, code, [image: map]"
    assert plain_inline("[site](https://example.org/a_(b) \"title\") and snake_case_name") == \
        "site and snake_case_name"
    assert plain_inline("2 * 3 * 4 and a lone * star") == "2 * 3 * 4 and a lone * star"


def test_bold_is_kept_for_the_highlights_unless_asked() -> None:
    assert plain_inline("**remittances** and *data*") == "**remittances** and data"
    assert plain_inline("**remittances** and *data*", keep_bold=False) == "remittances and data"


_word = st.text(st.sampled_from("abcXYZ019/.-é"), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_word, st.sampled_from(["{}", "*{}*", "_{}_", "`{}`", "[{}](#)", "[{}](http://x.org/y)",
                                                  "**{}**", "[**{}**](#)"])), min_size=1, max_size=10))
def test_marked_words_come_out_as_the_words(pieces: list[tuple[str, str]]) -> None:
    text = " ".join(form.format(word) for word, form in pieces)
    plain = plain_inline(text, keep_bold=False)
    assert plain == " ".join(word for word, _form in pieces)
    kept = plain_inline(text)
    assert kept.replace("**", "") == plain
    assert plain_inline(kept) == kept  # taking marks off twice changes nothing more


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_characters="*_`[]!", exclude_categories=("Cs",)), max_size=80))
def test_text_without_marks_is_left_alone(text: str) -> None:
    assert plain_inline(text) == text


def _every_pattern(text: str, keep_bold: bool) -> str:
    """The seven patterns, each run whatever the text holds."""
    from migarchive.core import inline_marks as marks

    text = marks._IMAGE.sub(lambda m: f"[image: {m.group(1) or 'not shown'}]", text)
    text = marks._LINK.sub(r"\1", text)
    text = marks._CODE.sub(r"\2", text)
    if not keep_bold:
        text = marks._STRONG.sub(r"\1", text)
    text = marks._UNDER_STRONG.sub(r"\1", text)
    text = marks._EMPHASIS.sub(r"\1", text)
    return marks._UNDER_EMPHASIS.sub(r"\1", text)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("ab _*`[]()!#:/. \n\\"), max_size=60), st.booleans())
def test_skipping_the_patterns_whose_mark_is_absent_changes_nothing(text: str, keep_bold: bool) -> None:
    assert plain_inline(text, keep_bold=keep_bold) == _every_pattern(text, keep_bold)

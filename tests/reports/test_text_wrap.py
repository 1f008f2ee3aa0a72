"""The terminal report's own word wrap breaks lines exactly where Rich's does.

`to_text` wraps long lists itself (it is several times faster than Rich's
`Text.wrap` on a long comparison); these tests hold it to Rich's result for
any text and width, and show the plain and the styled paths agree.
"""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from assess.reports.formats.text import _plain_wrap, _wrap

CONSOLE = Console(file=io.StringIO(), width=200, color_system=None, markup=False)

words = st.lists(
    st.one_of(
        st.text(alphabet="abcdefghij–·→", min_size=1, max_size=12),
        st.text(alphabet="x", min_size=20, max_size=90),  # longer than a line: folded
        st.sampled_from(["漢字", "é", "[bold]", "<b>", "=SUM(A1)"]),
    ),
    max_size=40,
)
spaces = st.lists(st.sampled_from([" ", "  ", "   "]), min_size=41, max_size=41)


def _rich(text: str, width: int) -> list[str]:
    return [line.plain.rstrip() for line in Text(text).wrap(CONSOLE, width, overflow="fold")]


@given(words, spaces, st.integers(min_value=20, max_value=100), st.booleans())
def test_wrapping_matches_rich(
    chosen: list[str], gaps: list[str], width: int, leading: bool
) -> None:
    text = ("  " if leading else "") + "".join(w + g for w, g in zip(chosen, gaps, strict=False))
    expected = _rich(text, width)
    assert [line.rstrip() for line in _plain_wrap(text, width, CONSOLE)] == expected
    styled = Text(text[:5], style="bold") + Text(text[5:])
    assert [line.plain.rstrip() for line in _wrap(styled, width, CONSOLE)] == expected


def test_line_breaks_and_tabs_take_rich_s_own_path() -> None:
    text = "first line\nsecond\tline " + "word " * 30
    assert [line.rstrip() for line in _plain_wrap(text, 30, CONSOLE)] == _rich(text, 30)

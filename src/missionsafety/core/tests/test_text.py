"""Text for spreadsheets and download names: nothing in it runs or breaks out."""

from __future__ import annotations

import pytest

from missionsafety.core.text import (
    attachment_disposition,
    spreadsheet_cell,
    strip_control_characters,
)


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+31 6 1234", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1"],
)
def test_text_a_spreadsheet_would_read_as_a_formula_becomes_text(text: str) -> None:
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Munitie", "a=b", 42, -3, None])
def test_other_values_are_written_as_they_are(value: object) -> None:
    assert spreadsheet_cell(value) == value


def test_control_characters_go_but_tabs_and_line_breaks_stay() -> None:
    assert strip_control_characters("a\x00b\x0bc\x1bd\x7fe\tf\r\ng") == "abcde\tf\r\ng"
    assert spreadsheet_cell("\x0b=1") == "'=1"  # stripped first, then guarded


def test_a_download_name_keeps_readable_characters_in_filename_star() -> None:
    header = attachment_disposition("ISAF-Kunduz R3 (Ü)", "xlsx")
    assert header == (
        'attachment; filename="ISAF-Kunduz-R3-U.xlsx"; '
        "filename*=UTF-8''ISAF-Kunduz%20R3%20%28%C3%9C%29.xlsx"
    )

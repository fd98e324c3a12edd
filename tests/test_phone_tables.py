"""On a phone every table becomes a stack of cards, one line per column as
"label: value" (CSS takes the label from ``data-label``). So every data cell of a
table with column headers carries the header of its column, on every page."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse

from tests.test_access_control import all_targets


class Cells(HTMLParser):
    """Collects, per ``table.list``, its column headers and, for every data cell,
    its column's header and its ``data-label`` (or None)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self.stack: list[dict[str, Any] | None] = []
        self.section = ""
        self.in_th = False
        self.column = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        table = self.stack[-1] if self.stack else None
        if tag == "table":
            classes = (found.get("class") or "").split()
            entry = {"headers": [], "cells": []} if "list" in classes else None
            self.stack.append(entry)
            if entry is not None:
                self.tables.append(entry)
        elif tag in ("thead", "tbody"):
            self.section = tag
        elif table is not None and tag == "th" and self.section == "thead":
            table["headers"].append("")
            self.in_th = True
        elif tag == "tr":
            self.column = 0
        elif table is not None and tag == "th" and self.section == "tbody":
            self.column += 1  # a row header
        elif table is not None and tag == "td" and self.section == "tbody":
            headers = table["headers"]
            header = headers[self.column] if self.column < len(headers) else ""
            table["cells"].append((header, found.get("data-label")))
            self.column += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.stack:
            self.stack.pop()
        elif tag == "th":
            self.in_th = False

    def handle_data(self, data: str) -> None:
        table = self.stack[-1] if self.stack else None
        if self.in_th and table is not None:
            table["headers"][-1] += data.strip()


def html_pages(world: Any) -> list[tuple[str, Any]]:
    pages = []
    for name, target in sorted(all_targets(world).items()):
        if name.startswith("api:") or target.get("status", 200) != 200:
            continue
        if "get" not in target.get("methods", ["get"]):
            continue
        pages.append((reverse(name, kwargs=target.get("kwargs", {})), target))
    return pages


@pytest.mark.django_db
def test_every_data_cell_names_its_column(world: Any, client_for: Any) -> None:
    missing = []
    tables = 0
    for url, target in html_pages(world):
        client = client_for(target.get("insider", world.bde13_safety))
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        parser = Cells()
        parser.feed(response.content.decode())
        for table in parser.tables:
            if not table["headers"]:
                continue  # no column headers: nothing to repeat
            tables += 1
            # A column without a header (a row's buttons) needs no label.
            for header, label in table["cells"]:
                if header and not label:
                    missing.append(f"{url}: a cell of column {header!r} has no label")
    assert tables >= 10
    assert not missing, "\n".join(missing)

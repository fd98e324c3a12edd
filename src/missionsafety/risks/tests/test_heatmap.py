"""The register's heat maps are tables that screen readers and keyboards can use."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from missionsafety.risks.tests.factories import assess, make_risk


def heat_table(page: str, kind: str) -> str:
    match = re.search(
        rf'<table class="heatmap" id="heatmap-{kind}">(.*?)</table>', page, re.S
    )
    assert match, f"no {kind} heat-map table"
    return match.group(1)


def cells(table: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def register(client: Any, world: Any, query: str = "") -> str:
    url = reverse("risks:register", args=[world.dep.pk]) + query
    return client.get(url).content.decode()


def test_heat_map_is_a_table_with_full_axis_labels(world: Any, client_for: Any) -> None:
    client = client_for(world.bde13_safety)
    page = register(client, world)
    assert "<svg" not in page
    table = heat_table(page, "r")
    assert "<caption>" in table
    headers = [text(h) for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table)]
    assert headers[1:] == [
        "A frequent",
        "B waarschijnlijk",
        "C af en toe",
        "D zelden",
        "E onwaarschijnlijk",
    ]
    rows = [text(h) for h in re.findall(r'<th scope="row">(.*?)</th>', table)]
    assert rows == ["I catastrofaal", "II kritiek", "III matig", "IV verwaarloosbaar"]
    client.post(reverse("set_language"), {"language": "en"})
    english = heat_table(register(client, world), "i")
    assert "C occasional" in text(english) and "I catastrophic" in text(english)


def test_every_cell_writes_its_level_and_only_cells_with_risks_are_links(
    world: Any, client_for: Any
) -> None:
    assess(world, make_risk(world, title="Hoog"), residual=("C", "I"))
    assess(world, make_risk(world, title="Ook hoog"), residual=("C", "I"))
    assess(world, make_risk(world, title="Laag"), residual=("D", "III"))
    table = heat_table(register(client_for(world.bde13_safety), world), "r")
    found = cells(table)
    assert len(found) == 20  # 4 severities × 5 probabilities
    # Row I reads: A EH, B EH, C H, D H, E M; the level is text, not colour alone.
    first_row = [text(c) for c in found[:5]]
    assert first_row == [
        "0 EH (extreem hoog)",
        "0 EH (extreem hoog)",
        "2 H (hoog)",
        "0 H (hoog)",
        "0 M (midden)",
    ]
    links = re.findall(r'<a href="([^"]+)"', table)
    assert sorted(links) == sorted(
        [
            reverse("risks:register", args=[world.dep.pk]) + "?cell=r:C:I#register",
            reverse("risks:register", args=[world.dep.pk]) + "?cell=r:D:III#register",
        ]
    )


def test_the_chosen_cell_is_marked_current(world: Any, client_for: Any) -> None:
    assess(world, make_risk(world, title="Hoog"), residual=("C", "I"))
    page = register(client_for(world.bde13_safety), world, "?cell=r:C:I")
    table = heat_table(page, "r")
    current = re.findall(r'<td class="([^"]*)"><a [^>]*aria-current="true"', table)
    assert current == ["level-H selected"]
    assert 'aria-current="true"' not in heat_table(page, "i")

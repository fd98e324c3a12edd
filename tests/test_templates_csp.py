"""Every template of every app works under the Content-Security-Policy.

The policy allows scripts only from our own files, so a template must not
contain an inline ``<script>`` (JSON data blocks are fine), ``on*=`` event
handler attributes, ``javascript:`` links, htmx's ``hx-on`` (it evaluates
code) or ``style=""`` attributes (inline style is blocked too).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps

TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)
SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
DATA_TYPES = ("application/json", "application/ld+json", "text/template")
ATTRIBUTE_RULES = [
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler (on...=)"),
    (re.compile(r"\shx-on[:-]", re.I), "hx-on (evaluates inline code)"),
    (re.compile(r"\sstyle\s*=", re.I), "an inline style attribute"),
    (re.compile(r"=\s*[\"']?\s*javascript:", re.I), "a javascript: link"),
]


def project_templates() -> list[Path]:
    files: list[Path] = []
    for config in apps.get_app_configs():
        if config.name.startswith("missionsafety."):
            folder = Path(config.path) / "templates"
            files.extend(sorted(folder.rglob("*.html")))
    return files


def violations(text: str) -> list[str]:
    found = []
    for match in SCRIPT.finditer(text):
        attrs = match.group(1)
        if "src=" not in attrs and not any(t in attrs for t in DATA_TYPES):
            found.append("an inline <script>")
    for tag in TAG.findall(text):
        found.extend(message for rule, message in ATTRIBUTE_RULES if rule.search(tag))
    return found


def test_the_scanner_catches_what_the_policy_blocks() -> None:
    bad = '<script>alert(1)</script><a onclick="x()" style="color:red" hx-on:click="y">'
    assert len(violations(bad)) == 4
    good = (
        '<script src="/s.js" defer></script><script type="application/json">{}</script>'
    )
    assert violations(good + '<a class="on" data-onx="1" href="/">') == []


def test_no_template_needs_inline_script_or_style() -> None:
    templates = project_templates()
    assert len(templates) > 10
    problems = [
        f"{path.relative_to(path.parents[3])}: {problem}"
        for path in templates
        for problem in violations(path.read_text())
    ]
    assert not problems, "Blocked by the Content-Security-Policy:\n" + "\n".join(
        problems
    )

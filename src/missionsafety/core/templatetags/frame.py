"""``{% frame %}title{% framecontent %}content{% endframe %}``: the kept frame
(``core.frame``) around a page; used once, by ``base.html``."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import NodeList, Parser, Token
from django.utils.safestring import SafeString

from missionsafety.core.frame import render_frame

register = template.Library()


class FrameNode(template.Node):
    # The blocks inside are found by templates that extend base.html.
    child_nodelists = ("title", "content")

    def __init__(self, title: NodeList, content: NodeList):
        self.title = title
        self.content = content

    def render(self, context: Any) -> SafeString:
        return render_frame(
            context, self.title.render(context), self.content.render(context)
        )


@register.tag
def frame(parser: Parser, token: Token) -> FrameNode:
    title = parser.parse(("framecontent",))
    parser.delete_first_token()
    content = parser.parse(("endframe",))
    parser.delete_first_token()
    return FrameNode(title, content)

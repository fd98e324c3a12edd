"""WeasyPrint in a worker process: HTML in, PDF bytes and page count out.

Kept free of Django so that a freshly started process (``spawn``) imports
only WeasyPrint; the HTML is rendered from the templates by the caller.
"""

from __future__ import annotations


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """The PDF of ``html`` and its number of pages."""
    from weasyprint import HTML

    document = HTML(string=html).render()
    return bytes(document.write_pdf()), len(document.pages)


def warm_up() -> None:
    """Import WeasyPrint and load the fonts while the caller prepares the HTML."""
    html_to_pdf('<p style="font-family:DejaVu Sans">·</p>')

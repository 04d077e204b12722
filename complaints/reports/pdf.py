"""Reports as PDF files, drawn by WeasyPrint from the report's own HTML and print stylesheet.

WeasyPrint needs the Pango and HarfBuzz system libraries. It is imported only when a PDF is
asked for, so a machine without them still starts and serves every other page; a PDF request
there gets ``PdfUnavailable`` (the view shows a page pointing to the printable version).

The HTML is ours and holds no external resources (styles are inline, charts are inline
SVG), so the renderer fetches nothing: every URL is refused. The PDF is tagged (headings,
tables, reading order) for screen-reader users, as public sector documents must be.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}  # tagged, with the title and language screen readers need


class PdfUnavailable(Exception):
    """WeasyPrint or the libraries it draws with are not installed on this machine."""


def _weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango missing, raised while importing
        logger.warning("PDF reports are unavailable: WeasyPrint cannot be loaded (%s)", error)
        raise PdfUnavailable(str(error)) from error
    return weasyprint


def render_document(html: str):
    """The laid-out pages (a ``weasyprint.Document``): what ``write_pdf`` turns into bytes."""
    weasyprint = _weasyprint()
    refuse_all = weasyprint.URLFetcher(allowed_protocols=())
    return weasyprint.HTML(string=html, url_fetcher=refuse_all).render(**PDF_OPTIONS)


def pdf_bytes(html: str) -> bytes:
    return render_document(html).write_pdf(**PDF_OPTIONS)

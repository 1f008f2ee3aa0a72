"""The PDF report: the HTML report laid out on A4 pages by WeasyPrint.

The page is the HTML report's own (`formats/html.py`): A4, the title and
"Page N of M" in the footer, the protective marking at the top and bottom of
every page, table headers repeated on each page and no row split. The PDF is
tagged for screen readers (headings, tables, lists, reading order) and has
the report's title and language in its metadata. WeasyPrint fetches nothing:
the page has no external asset, and its URL fetcher allows no protocol.

One difference from the HTML: bidirectional control characters in data text
are shown by their code (`[U+202E]`) instead of reordering the printed line,
so a committee paper reads exactly as it was typed.

WeasyPrint is an optional extra (`pip install 'assess[pdf]'`) that needs the
Pango library; without it, asking for a PDF gives one line saying what to
install, and nothing else is affected.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from assess.domain.errors import BadInput
from assess.reports import report_layout
from assess.reports.document import Document, map_text
from assess.reports.escape import bidi_visible
from assess.reports.formats import html

if TYPE_CHECKING:
    from assess.domain.compare import Comparison
    from assess.reports.model import Report

INSTALL = (
    "PDF reports need WeasyPrint: install it with pip install 'assess[pdf]' "
    "(on Debian or Ubuntu it also needs: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
)


class PdfUnavailable(BadInput, OSError):
    """WeasyPrint (or the Pango library it draws text with) is not installed.

    Also an OSError, so that an export in the app reports it the way it
    reports a file that could not be written, instead of failing.
    """


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango's shared library is missing
        raise PdfUnavailable(f"{INSTALL} ({type(exc).__name__}: {exc})") from None
    # WeasyPrint reports CSS it does not support as warnings; the page's CSS is ours
    # and also serves browsers, so those are expected and not the officer's concern.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return weasyprint


def render_document(document: Document, *, marking: str = "") -> bytes:
    """The document as a tagged A4 PDF."""
    weasyprint = _weasyprint()
    from weasyprint.urls import URLFetcher

    page = html.render_document(map_text(document, bidi_visible), marking=marking)
    fetcher = URLFetcher(allowed_protocols=())
    # The fonts embedded in the PDF are stamped with the time they were cut down
    # to the letters used, which would make each export differ from the last;
    # fontTools takes that time from SOURCE_DATE_EPOCH when it is set.
    with _fixed_font_time():
        pdf: bytes = weasyprint.HTML(string=page, url_fetcher=fetcher).write_pdf(pdf_tags=True)
    return pdf


_FONT_TIME_LOCK = threading.Lock()


@contextlib.contextmanager
def _fixed_font_time() -> Iterator[None]:
    with _FONT_TIME_LOCK:
        earlier = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = "315532800"  # 1980-01-01, as the workbooks' zip times
        try:
            yield
        finally:
            if earlier is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = earlier


def render_report(report: Report, *, committee: bool = False, marking: str = "") -> bytes:
    """The readiness report (or its committee view) as a PDF."""
    return render_document(report_layout(report, committee=committee), marking=marking)


def render_comparison(comparison: Comparison, *, date: str = "", marking: str = "") -> bytes:
    """A comparison as a PDF, with as many assessments side by side as the HTML has."""
    from assess.reports import comparison_columns
    from assess.reports.compare_layout import comparison_document

    document = comparison_document(
        comparison, date=date, max_columns=comparison_columns("html", 80)
    )
    return render_document(document, marking=marking)

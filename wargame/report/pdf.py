"""The report as PDF: the report's own HTML laid out on A4 pages by WeasyPrint.

Why WeasyPrint and not Qt's printing: it is made for print layout from HTML and CSS (page
numbers "Page 3 of 10", running footers, table headers repeated across pages, no row split
across pages, SVG charts kept as vectors, fonts embedded and subset, a document outline from
the headings), it needs no display and no browser, and ``wargame.report`` stays Qt-free, so
the command line makes the same PDF on a server. It needs Pango from the system (Debian:
``libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0``; the Makefile installs them).

Nothing is fetched at run time: the HTML is self-contained (charts are data URIs), and the
URL fetcher is allowed data URIs only (and fails on anything else), so a crafted scenario text cannot make the PDF
writer reach the network or read local files.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


class PdfUnavailable(RuntimeError):
    """The PDF writer cannot run here (a system library is missing); says which."""


class ExternalResourceRefused(ValueError):
    """The HTML refers to a file or web address; the PDF writer loads data URIs only."""


def html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError, URLFetcher
    except OSError as exc:  # Pango or GObject missing: WeasyPrint cannot load them
        raise PdfUnavailable(
            f"the PDF writer needs the Pango libraries ({exc}); on Debian or Ubuntu: "
            "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0") \
            from None
    fetch_data_uris_only = URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
    try:
        return HTML(string=html, url_fetcher=fetch_data_uris_only).write_pdf()
    except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: made ordinary
        raise ExternalResourceRefused(f"the report refers to something outside itself, "
                                      f"which is not fetched ({exc})") from None


def write_pdf(html: str, path: Path) -> None:
    """Lay ``html`` out and write it to ``path`` (atomically: a temporary file renamed)."""
    data = html_to_pdf(html)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".pdf", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

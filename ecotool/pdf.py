"""Render HTML to PDF with WeasyPrint, loading only local files."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlparse

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from ecotool import stats
from ecotool.clock import format_day
from ecotool.config import PROJECT_ROOT

ALLOWED = (PROJECT_ROOT / "static", PROJECT_ROOT / "templates")

# A plain Jinja environment, so a document renders the same from a page, the CLI or a test, with no request.
_ENV = Environment(
    loader=FileSystemLoader(PROJECT_ROOT / "templates"),
    autoescape=select_autoescape(default=True),
    undefined=StrictUndefined,
)
# Filters documents and pages share: ISO text to a date, rates and differences in words.
DOCUMENT_FILTERS = {"isoday": date.fromisoformat, "percent": stats.percent, "points": stats.points,
                    "interval": lambda interval, points=False: stats.span(interval, as_points=points)}
_ENV.filters["day"] = format_day
_ENV.filters.update(DOCUMENT_FILTERS)


def document(template: str, **context) -> str:
    """Render a document template (under templates/) to HTML."""
    return _ENV.get_template(template).render(**context)


class LocalOnlyFetcher(URLFetcher):
    """A URL fetcher that refuses the network and any file outside static/ and templates/."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"})

    def fetch(self, url, headers=None):
        """Fetch a local file under an allowed folder, or a data: URL."""
        if url.startswith("file:"):
            path = Path(unquote(urlparse(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in ALLOWED):
                raise ValueError(f"blocked file outside static/ and templates/: {path.name}")
        return super().fetch(url, headers)


def render_pdf(html: str) -> bytes:
    """Return the PDF bytes of an HTML document whose relative links point into templates/reports/."""
    base = (PROJECT_ROOT / "templates" / "reports").as_uri() + "/"
    # PDF/UA-1: tagged, with the document's language and title, so a screen reader can follow the tables.
    return HTML(string=html, base_url=base, url_fetcher=LocalOnlyFetcher()).write_pdf(pdf_variant="pdf/ua-1")

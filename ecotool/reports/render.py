"""Drawing a brief's data as HTML and as PDF; the same template serves the preview and the PDF."""
from __future__ import annotations

from datetime import date

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ecotool.config import PROJECT_ROOT
from ecotool.pdf import render_pdf

# A plain Jinja environment, so a brief renders the same from a page, the CLI or a test, with no request.
_ENV = Environment(
    loader=FileSystemLoader(PROJECT_ROOT / "templates" / "reports"),
    autoescape=select_autoescape(default=True),
    undefined=StrictUndefined,
)


def html(data: dict, generated_on: date) -> str:
    """The brief as an HTML document."""
    return _ENV.get_template("brief.html").render(brief=data, generated_on=generated_on.isoformat())


def pdf(data: dict, generated_on: date) -> bytes:
    """The brief as PDF bytes."""
    return render_pdf(html(data, generated_on))

"""Drawing a brief's data as HTML and as PDF; the same template serves the preview and the PDF."""
from __future__ import annotations

from datetime import date

from ecotool.pdf import document, render_pdf


def html(data: dict, generated_on: date) -> str:
    """The brief as an HTML document."""
    return document("reports/brief.html", brief=data, generated_on=generated_on.isoformat())


def pdf(data: dict, generated_on: date) -> bytes:
    """The brief as PDF bytes."""
    return render_pdf(html(data, generated_on))

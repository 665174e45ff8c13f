"""Drawing a supervision session's record as a document for the supervisee's file."""
from __future__ import annotations

from ecotool.clock import local_today
from ecotool.pdf import document
from ecotool.supervision.models import SupervisionSession
from ecotool.vocab import PromptOrigin


def record_html(record: SupervisionSession) -> str:
    """The session's record (date, who, prompts discussed, notes, observations raised, proposals) as HTML."""
    return document("supervision/record_pdf.html", record=record, PromptOrigin=PromptOrigin,
                    printed_on=local_today())

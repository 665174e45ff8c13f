"""Drawing a supervision session's record as a document for the supervisee's file."""
from __future__ import annotations

from ecotool.clock import local_today
from ecotool.pdf import document
from ecotool.supervision import indicators, queries
from ecotool.supervision.models import SupervisionSession
from ecotool.vocab import PromptOrigin


def record_html(record: SupervisionSession) -> str:
    """The session's record (date, who, figures, prompts, notes for the supervisee, observations raised,
    comments, proposals) as HTML."""
    return document("supervision/record_pdf.html", record=record, PromptOrigin=PromptOrigin,
                    columns=queries.session_columns(record), definitions=indicators.DEFINITIONS,
                    population_names=indicators.POPULATION_NAMES, printed_on=local_today())

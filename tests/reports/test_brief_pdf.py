"""The brief's PDF as an accessible document: PDF/UA-1, tagged tables, headers repeated on every page a
table runs onto, and no group of rows split across pages."""
from __future__ import annotations

import io
import logging
import re
from datetime import date, timedelta

from pypdf import PdfReader

from ecotool.reports.operations import generate_brief
from ecotool.services.operations import add_pathway

END = date.today() - timedelta(days=1)
START = END - timedelta(days=89)
PATHWAY_HEAD = "Referred before Reached % before Engaged % before"


def _tags(node, found: set[str]) -> set[str]:
    """Every structure type under a node of the PDF's structure tree."""
    node = node.get_object()
    if isinstance(node, list):
        for kid in node:
            _tags(kid, found)
        return found
    if hasattr(node, "get"):
        if node.get("/S") is not None:
            found.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None and not isinstance(kids, int):
            _tags(kids, found)
    return found


def test_the_brief_is_pdf_ua_with_tagged_tables_that_repeat_their_headers_and_keep_rows_together(
        session, team, cohort, caplog):
    """Thirty pathways make the pathway table run over pages: each page it runs onto starts with its header
    again, and each pathway's three rows (target, other, all) stay on one page."""
    service = team["service"]
    for n in range(30):
        add_pathway(session, None, service, f"Route number {n + 1:02d}")
    session.commit()
    cohort(START + timedelta(days=2), 12, quintile=1, reached=3)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        stored = generate_brief(session, team["commissioner"].id, service, START, END)
    session.commit()
    assert not caplog.records  # WeasyPrint warns of anything PDF/UA-1 misses (a language, an image's words)
    reader = PdfReader(io.BytesIO(stored.pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB" and bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    metadata = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part(>|=\")1", metadata)
    tags = _tags(root["/StructTreeRoot"], set())
    assert {"/Table", "/TH", "/TD", "/TR", "/H1", "/H2"} <= tags
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    holding = [i for i, text in enumerate(pages) if "Route number" in text]
    assert len(holding) >= 2, "the pathway table should run over more than one page for this test"
    for i in holding:
        assert PATHWAY_HEAD in pages[i], f"page {i + 1} holds pathway rows without the table's header"
    for n in range(30):
        name = f"Route number {n + 1:02d}"
        on = [i for i in holding if name in pages[i]]
        assert len(on) == 1
        block = pages[on[0]].split(name, 1)[1]
        assert "Target group" in block and "Other women" in block and " All " in block, name

"""A decision's effect as an SVG chart and as text, against a cohort whose figures are worked out by hand."""
from __future__ import annotations

import base64
import logging
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from ecotool.decisions import effect as measured
from ecotool.decisions.render import chart_svg, chart_text
from ecotool.pdf import render_pdf
from tests.decisions.test_effect import AFTER, BEFORE, START, TODAY, _known_effect
from tests.test_stats import _wilson_by_hand

SVG = "{http://www.w3.org/2000/svg}"
# The chart's y axis, as render.py draws it: 100% at y = 60, 0% at y = 260.
TOP, HEIGHT = 60, 200


def _y(rate: float) -> float:
    """Where a rate falls on the y axis, worked out by hand."""
    return TOP + HEIGHT * (1 - rate)


def _panel(root: ET.Element, figure: str) -> ET.Element:
    return root.find(f"{SVG}g[@data-figure='{figure}']")


def _marker(panel: ET.Element, group: str, window: str) -> ET.Element | None:
    """The circle or square drawn for one group and window, or None."""
    holder = panel.find(f"{SVG}g[@data-marker='{group}'][@data-window='{window}']")
    return None if holder is None else holder[0]


def _marker_y(shape: ET.Element) -> float:
    if shape.tag == f"{SVG}circle":
        return float(shape.get("cy"))
    return float(shape.get("y")) + float(shape.get("height")) / 2


def _interval(panel: ET.Element, group: str, window: str) -> tuple[float, float]:
    """The y of an interval bar's top and bottom."""
    bar = panel.find(f"{SVG}g[@data-group='{group}'][@data-window='{window}']/{SVG}line[@data-interval]")
    return float(bar.get("y1")), float(bar.get("y2"))


def _texts(element: ET.Element) -> list[str]:
    return [text.text for text in element.iter(f"{SVG}text")]


def test_the_chart_draws_the_known_effect_where_the_rates_and_intervals_fall(make_decision, cohort, session):
    _known_effect(cohort)
    effect = measured.measure(session, make_decision(start_date=START, status="in effect"), TODAY)
    svg = chart_svg(effect)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    root = ET.fromstring(svg)   # well-formed XML

    assert root.get("viewBox") == "0 0 640 320" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text and desc.text == chart_text(effect)
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "script" not in svg

    engaged = _panel(root, "engaged")
    labels = _texts(engaged)
    assert {"Engaged", "Before", "After", "20%", "30%", "50%"} <= set(labels)
    assert {"0%", "25%", "50%", "75%", "100%"} <= set(labels)
    assert f"{BEFORE.day} {BEFORE:%b}" in " ".join(labels)       # the before window's dates under "Before"

    # Other women engaged 30/100 before and 50/100 after: y = 60 + 200 × (1 − rate).
    assert _marker_y(_marker(engaged, "other", "before")) == pytest.approx(60 + 200 * 0.7)    # 200
    assert _marker_y(_marker(engaged, "other", "after")) == pytest.approx(60 + 200 * 0.5)     # 160
    assert _marker_y(_marker(engaged, "target", "before")) == pytest.approx(60 + 200 * 0.8)   # 220
    # The bars run from the upper Wilson limit to the lower one.
    for group, window, count in (("other", "before", 30), ("other", "after", 50), ("target", "after", 20)):
        low, high = _wilson_by_hand(count, 100)
        assert _interval(engaged, group, window) == pytest.approx((_y(high), _y(low)), abs=0.01)
    assert _interval(engaged, "other", "after") == pytest.approx((60 + 200 * (1 - 0.5962), 60 + 200 * (1 - 0.4038)),
                                                                  abs=0.02)

    # Greyscale: the target series is solid black with filled circles, the other dashed with white squares.
    target_line = engaged.find(f"{SVG}line[@data-group='target']")
    other_line = engaged.find(f"{SVG}line[@data-group='other']")
    assert target_line.get("stroke-dasharray") is None and target_line.get("stroke") == "#000"
    assert other_line.get("stroke-dasharray")
    assert (float(other_line.get("y1")), float(other_line.get("y2"))) == pytest.approx((_y(0.3), _y(0.5)))
    assert _marker(engaged, "target", "before").tag == f"{SVG}circle"
    assert _marker(engaged, "target", "before").get("fill") == "#000"
    assert _marker(engaged, "other", "before").tag == f"{SVG}rect"
    assert _marker(engaged, "other", "before").get("fill") == "#fff"
    # The two groups' bars, caps included, keep apart at each window.
    for window in ("before", "after"):
        caps = {group: [float(line.get(x)) for line in engaged.findall(
                    f"{SVG}g[@data-group='{group}'][@data-window='{window}']/{SVG}line") for x in ("x1", "x2")]
                for group in ("target", "other")}
        assert max(caps["target"]) < min(caps["other"])
    legend = root.find(f"{SVG}g[@data-legend]")
    assert {"Target women", "Other women"} <= set(_texts(legend))
    assert legend.find(f"{SVG}line[@stroke-dasharray]") is not None and legend.find(f"{SVG}circle") is not None

    reached = _panel(root, "reached")
    assert _marker_y(_marker(reached, "other", "after")) == pytest.approx(_y(0.6))
    assert {"50%", "60%"} <= set(_texts(reached))


def test_the_text_gives_every_plotted_number_worked_by_hand(make_decision, cohort, session):
    _known_effect(cohort)
    effect = measured.measure(session, make_decision(start_date=START, status="in effect"), TODAY)
    # Wilson by hand: 20/100 is 13.3% to 28.9%; 30/100 21.9% to 39.6%; 50/100 40.4% to 59.6%; 60/100 50.2% to 69.0%.
    assert [round(x * 100) for x in _wilson_by_hand(20, 100) + _wilson_by_hand(30, 100) + _wilson_by_hand(60, 100)] == [
        13, 29, 22, 40, 50, 69]
    assert chart_text(effect) == (
        "Reached: target women 50% (95% interval 40% to 60%) before and 50% (40% to 60%) after; "
        "other women 50% (40% to 60%) before and 60% (50% to 69%) after. "
        "Engaged: target women 20% (95% interval 13% to 29%) before and 20% (13% to 29%) after; "
        "other women 30% (22% to 40%) before and 50% (40% to 60%) after.")


def test_an_empty_cell_draws_no_marker_and_no_line_and_says_no_cases(make_decision, cohort, session):
    cohort(BEFORE, 30, quintile=4, reached=3)          # other women before only
    cohort(AFTER, 10, quintile=1, reached=0)           # target women after only, none reached
    effect = measured.measure(session, make_decision(start_date=START), TODAY)
    root = ET.fromstring(chart_svg(effect))
    engaged = _panel(root, "engaged")
    assert _marker(engaged, "target", "before") is None and _marker(engaged, "other", "after") is None
    assert _marker_y(_marker(engaged, "other", "before")) == pytest.approx(_y(1.0))
    assert _marker_y(_marker(engaged, "target", "after")) == pytest.approx(_y(0.0))
    assert engaged.find(f"{SVG}line[@data-group]") is None            # one point each: nothing to join
    for group, window in (("target", "before"), ("other", "after")):
        label = engaged.find(f"{SVG}g[@data-label='{group}'][@data-window='{window}']")
        assert " ".join(dict.fromkeys(_texts(label))) == "no cases"
    assert chart_text(effect) == (
        "Reached: target women no cases before and 0% (95% interval 0% to 28%) after; "
        "other women 100% (89% to 100%) before and no cases after. "
        "Engaged: target women no cases before and 0% (95% interval 0% to 28%) after; "
        "other women 100% (89% to 100%) before and no cases after.")
    assert [round(x * 100) for x in _wilson_by_hand(0, 10) + _wilson_by_hand(30, 30)] == [0, 28, 89, 100]


def test_nothing_measured_gives_a_small_chart_that_says_so(make_decision, cohort, session):
    cohort(BEFORE, 20, quintile=4, reached=3)
    effect = measured.measure(session, make_decision(start_date=TODAY + timedelta(days=10)), TODAY)
    assert effect.days == 0
    root = ET.fromstring(chart_svg(effect))
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text == "Nothing measured yet."
    assert "Nothing measured yet" in _texts(root)
    assert root.find(f"{SVG}circle") is None and root.find(f"{SVG}g[@data-figure]") is None
    assert chart_text(effect) == "Nothing measured yet."


def test_the_chart_draws_inside_a_pdf_from_an_img_tag(make_decision, cohort, session, caplog):
    _known_effect(cohort)
    effect = measured.measure(session, make_decision(start_date=START, status="in effect"), TODAY)
    source = base64.b64encode(chart_svg(effect).encode()).decode()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf(f'<html lang="en-GB"><head><title>Chart</title></head><body>'
                         f'<img src="data:image/svg+xml;base64,{source}" alt="The effect chart"></body></html>')
    assert pdf.startswith(b"%PDF") and not caplog.records

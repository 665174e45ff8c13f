"""The gradient chart: the published rates and intervals by quintile, drawn where published, marked where not."""
from __future__ import annotations

import re

from ecotool.reports.render import gradient_svg, gradient_text


def _row(quintile, reached, engaged):
    """A published quintile row with only what the chart reads: (rate, interval) or None per figure."""
    row = {"quintile": quintile}
    for name, figure in (("reached", reached), ("engaged", engaged)):
        row[f"{name}_value"], row[f"{name}_interval"] = figure if figure else (None, None)
        row[f"{name}_rate"] = f"{figure[0]:.0%}" if figure else "—"
    return row


ROWS = [_row("1", (0.75, [0.53, 0.89]), (0.5, [0.3, 0.7])), _row("2", None, (0.0, [0.0, 0.2]))] + [
    _row(q, (0.25, [0.1, 0.5]), (0.25, [0.1, 0.5])) for q in "345"] + [_row("unknown", (1.0, [0.5, 1.0]), None)]


def test_points_and_bars_sit_at_their_rates_and_withheld_rates_are_marked():
    """The plot runs from 100% at y=44 to 0% at y=244: 75% sits at 244 - 200 * 0.75 = 94, its interval from
    244 - 200 * 0.53 = 138 to 244 - 200 * 0.89 = 66. Quintile 1's centre is 56 + 564 / 5 / 2 = 112.4; reached is
    drawn 9 to its left. The unknown row is not a quintile and is not drawn."""
    svg = gradient_svg(ROWS)
    assert '<circle cx="103.4" cy="94.0" r="5"' in svg
    assert 'data-figure="reached" data-quintile="1" stroke="#000" stroke-width="1.5"><line x1="103.4" y1="138.0" ' \
           'x2="103.4" y2="66.0"/>' in svg
    assert svg.count("not shown</text>") == 1  # quintile 2's reached rate
    assert 'data-quintile="unknown"' not in svg
    assert len(re.findall(r'<circle cx="[\d.]+" cy="[\d.]+" r="5" fill="#000"', svg)) == 1 + 4  # legend + drawn


def test_the_chart_says_in_words_what_it_draws():
    assert gradient_text(ROWS) == ("Reached: quintile 1 75%, quintile 2 not shown, quintile 3 25%, quintile 4 25%, "
                                   "quintile 5 25%. Engaged: quintile 1 50%, quintile 2 0%, quintile 3 25%, "
                                   "quintile 4 25%, quintile 5 25%.")
    assert "<desc id=\"gradient-desc\">Reached: quintile 1 75%" in gradient_svg(ROWS)

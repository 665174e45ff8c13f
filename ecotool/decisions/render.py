"""A decision's measured effect as a before/after SVG chart and in plain words.
The geometry is worked out here as plain numbers; templates/decisions/effect_chart.svg only draws it."""
from __future__ import annotations

from datetime import date
from itertools import pairwise

from ecotool.clock import format_day
from ecotool.stats import percent
from ecotool.decisions.effect import FIGURES, GROUP_NAMES, GROUPS, WINDOWS, Effect
from ecotool.pdf import document

WIDTH, HEIGHT = 640, 320
PANEL_WIDTH = WIDTH // len(FIGURES)
# Within a panel: the plot's left edge and width; the y axis runs from 100% at TOP to 0% at TOP + PLOT_HEIGHT.
PLOT_LEFT, PLOT_WIDTH = 46, 264
TOP, PLOT_HEIGHT = 60, 200
WINDOW_X = {"before": 64, "after": 200}           # from the plot's left edge
GROUP_DX = {"target": -9, "other": 9}             # each group's side of a window, so the bars never meet
LABEL_GAP, LABEL_LINE = 18, 15                    # a label's distance from its window's x, and its line height
GRIDLINES = (0, 25, 50, 75, 100)
CAP = 5                                           # half the width of an interval bar's caps
TITLE_Y, NAME_Y, DATES_Y, DATES_LINE = 44, TOP + PLOT_HEIGHT + 18, TOP + PLOT_HEIGHT + 33, 14
# The legend, one row across the top: per group its line (x1 to x2), its marker (at x) and its name (from text_x).
LEGEND_Y = 14
LEGEND = [{"group": "target", "x1": 46, "x": 66, "x2": 86, "text_x": 94, "text": "Target women"},
          {"group": "other", "x1": 244, "x": 264, "x2": 284, "text_x": 292, "text": "Other women"}]
LEGEND_INTERVAL = {"x": 430, "text_x": 440, "y1": 6, "y2": 22}
EMPTY_WIDTH, EMPTY_HEIGHT = 320, 60


def _y(rate: float) -> float:
    """The y coordinate of a rate (0 to 1) in a panel."""
    return round(TOP + PLOT_HEIGHT * (1 - rate), 2)


def _dates(span: tuple[str, str]) -> list[str]:
    """A window's dates as one line ("12 May – 9 Aug 2026"), or two when it runs across a new year."""
    start, end = (date.fromisoformat(day) for day in span)
    if start.year == end.year:
        return [f"{format_day(start).rsplit(' ', 1)[0]} – {format_day(end)}"]
    return [f"{format_day(start)} –", format_day(end)]


def _spread(labels: list[dict]) -> None:
    """Move one window's labels (centred on "y", "lines" high) apart until none overlaps, within the plot."""
    labels.sort(key=lambda label: label["y"])
    for upper, lower in pairwise(labels):
        least = LABEL_LINE * (len(upper["lines"]) + len(lower["lines"])) / 2
        if lower["y"] - upper["y"] < least:
            middle = (upper["y"] + lower["y"]) / 2
            upper["y"], lower["y"] = middle - least / 2, middle + least / 2
    first, last = labels[0], labels[-1]
    shift = (max(TOP - first["y"] + LABEL_LINE * (len(first["lines"]) - 1) / 2, 0)
             - max(last["y"] + LABEL_LINE * (len(last["lines"]) - 1) / 2 - (TOP + PLOT_HEIGHT), 0))
    for label in labels:
        label["y"] = round(label["y"] + shift, 2)
        # Each line's baseline, about a third of a line below its centre.
        label["baselines"] = [round(label["y"] + LABEL_LINE * (n - (len(label["lines"]) - 1) / 2) + 4, 2)
                              for n in range(len(label["lines"]))]


def _panel(effect: Effect, figure: str, left: int) -> dict:
    """One figure's panel: its axis, and per group its points, interval bars, labels and joining line."""
    plot_left = left + PLOT_LEFT
    points, lines = [], []
    for group in GROUPS:
        ends = []
        for window in WINDOWS:
            cell = effect.cell(group, window)
            x = plot_left + WINDOW_X[window] + GROUP_DX[group]
            point = {"group": group, "window": window, "x": x, "rate": cell.rate(figure)}
            if point["rate"] is not None:
                low, high = cell.interval(figure)
                point.update(y=_y(point["rate"]), low=_y(low), high=_y(high), cap1=x - CAP, cap2=x + CAP,
                             lines=[percent(point["rate"])])
                ends.append(point)
            else:
                point.update(y=None, lines=["no", "cases"])
            points.append(point)
        if len(ends) == 2:
            lines.append({"group": group, "x1": ends[0]["x"], "y1": ends[0]["y"],
                          "x2": ends[1]["x"], "y2": ends[1]["y"]})
    labels = []
    for window in WINDOWS:
        # Labels sit outside the pair of bars, left of "before" and right of "after", clear of the joining lines.
        side = -1 if window == "before" else 1
        column = [{"group": p["group"], "lines": p["lines"], "empty": p["y"] is None,
                   "y": p["y"] if p["y"] is not None else TOP + PLOT_HEIGHT / 2}
                  for p in points if p["window"] == window]
        _spread(column)
        for label in column:
            label.update(window=window, x=plot_left + WINDOW_X[window] + side * LABEL_GAP,
                         anchor="end" if side < 0 else "start")
        labels += column
    return {
        "figure": figure, "title": figure.capitalize(), "title_y": TITLE_Y,
        "left": plot_left, "right": plot_left + PLOT_WIDTH, "axis_x": plot_left - 6,
        "grid": [{"y": _y(percent / 100), "text": f"{percent}%"} for percent in GRIDLINES],
        "windows": [{"x": plot_left + WINDOW_X[window], "name": window.capitalize(), "name_y": NAME_Y,
                     "dates": [{"text": text, "y": DATES_Y + DATES_LINE * n} for n, text in enumerate(
                         _dates(effect.before if window == "before" else effect.after))]}
                    for window in WINDOWS],
        "points": [p for p in points if p["y"] is not None], "lines": lines, "labels": labels,
    }


def chart_svg(effect: Effect) -> str:
    """The effect as an SVG chart: reached and engaged, before and after, target and other women."""
    ids = {"title": f"effect-{effect.decision_id}-title", "desc": f"effect-{effect.decision_id}-desc"}
    title = "Women reached and engaged before and after the decision, target and other women"
    if effect.days == 0:
        return document("decisions/effect_chart.svg", ids=ids, title=title, desc=chart_text(effect), panels=[],
                        width=EMPTY_WIDTH, height=EMPTY_HEIGHT)
    panels = [_panel(effect, figure, n * PANEL_WIDTH) for n, figure in enumerate(FIGURES)]
    return document("decisions/effect_chart.svg", ids=ids, title=title, desc=chart_text(effect), panels=panels,
                    width=WIDTH, height=HEIGHT, legend=LEGEND, legend_y=LEGEND_Y, legend_interval=LEGEND_INTERVAL)


def chart_text(effect: Effect) -> str:
    """The chart in plain words, every plotted rate and interval given as a whole percentage."""
    if effect.days == 0:
        return "Nothing measured yet."
    sentences = []
    for figure in FIGURES:
        said_interval, parts = False, []
        for group in GROUPS:
            values = []
            for window in WINDOWS:
                cell = effect.cell(group, window)
                if not cell.referred:
                    values.append(f"no cases {window}")
                    continue
                low, high = cell.interval(figure)
                words = f"{percent(low)} to {percent(high)}"
                values.append(f"{percent(cell.rate(figure))} ({'' if said_interval else '95% interval '}{words}) "
                              f"{window}")
                said_interval = True
            parts.append(f"{GROUP_NAMES[group]} {' and '.join(values)}")
        sentences.append(f"{figure.capitalize()}: {'; '.join(parts)}.")
    return " ".join(sentences)

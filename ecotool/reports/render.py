"""Drawing a brief's data as HTML and as PDF; the same template serves the preview and the PDF."""
from __future__ import annotations

import json
from base64 import b64encode
from datetime import date

from ecotool.decisions.effect import Effect
from ecotool.decisions.render import chart_svg, chart_text
from ecotool.config import PROJECT_ROOT
from ecotool.pdf import document, render_pdf
from ecotool.supervision.indicators import RECURRING_CASES


def _chart(figures: dict) -> str:
    """A decision's before/after chart (the same SVG as its page) as a data: URL for an <img>."""
    return "data:image/svg+xml;base64," + b64encode(chart_svg(Effect.from_dict(figures)).encode()).decode()


# The PDF reads the stylesheet from the file; a page in the app links the same file under /static.
STYLESHEET = (PROJECT_ROOT / "static" / "brief.css").as_uri()


# The gradient chart's frame: the plot runs from LEFT to RIGHT and from 100% at TOP to 0% at BOTTOM.
GRADIENT_WIDTH, GRADIENT_HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 620, 44, 244
FIGURE_DX = {"reached": -9, "engaged": 9}  # each figure's side of its quintile, so the bars never meet


def _rate_y(rate: float) -> float:
    """The y coordinate of a rate (0 to 1)."""
    return round(BOTTOM - (BOTTOM - TOP) * rate, 2)


def gradient_svg(rows: list[dict]) -> str:
    """Reached and engaged rates with their intervals across quintiles 1 to 5, from a brief's published rows
    (a withheld rate is marked, never drawn), as an SVG document with its own text alternative."""
    quintiles = [row for row in rows if row["quintile"].isdigit()]
    step = (RIGHT - LEFT) / len(quintiles)
    drawn = []
    for i, row in enumerate(quintiles):
        x = round(LEFT + step * (i + 0.5), 2)
        points = []
        for figure, dx in FIGURE_DX.items():
            rate, interval = row[f"{figure}_value"], row[f"{figure}_interval"]
            point = {"figure": figure, "x": x + dx, "y": None}
            if rate is not None and interval is not None:
                point.update(y=_rate_y(rate), low=_rate_y(interval[0]), high=_rate_y(interval[1]))
            points.append(point)
        drawn.append({"label": row["quintile"], "x": x, "points": points})
    return document("reports/gradient_chart.svg", width=GRADIENT_WIDTH, height=GRADIENT_HEIGHT, left=LEFT,
                    right=RIGHT, bottom=BOTTOM, axis_y=BOTTOM + 18, quintiles=drawn,
                    grid=[{"y": _rate_y(p / 100), "text": f"{p}%"} for p in (0, 25, 50, 75, 100)],
                    legend={"y": 16, "reached_x": LEFT + 6, "engaged_x": LEFT + 120, "bar_x": LEFT + 240},
                    title="Reached and engaged by deprivation quintile", desc=gradient_text(rows))


def gradient_text(rows: list[dict]) -> str:
    """The gradient chart in words, for its text alternative."""
    parts = []
    for figure in FIGURE_DX:
        shown = [f"quintile {row['quintile']} {row[f'{figure}_rate']}" if row[f"{figure}_value"] is not None
                 else f"quintile {row['quintile']} not shown" for row in rows if row["quintile"].isdigit()]
        parts.append(f"{figure.capitalize()}: " + ", ".join(shown) + ".")
    return " ".join(parts)


def _gradient_chart(rows: list[dict]) -> str:
    """The gradient chart as a data: URL for an <img>."""
    return "data:image/svg+xml;base64," + b64encode(gradient_svg(rows).encode()).decode()


def html(data: dict, generated_on: date, made_by: str = "", stylesheet: str = STYLESHEET) -> str:
    """The brief as an HTML document."""
    template = "reports/region.html" if data.get("region") else "reports/brief.html"
    return document(template, brief=data, generated_on=generated_on.isoformat(), made_by=made_by,
                    stylesheet=stylesheet, chart=_chart, recurring_cases=RECURRING_CASES,
                    gradient_chart=_gradient_chart(data["by_quintile"]), gradient_words=gradient_text(data["by_quintile"]),
                    chart_words=lambda figures: chart_text(Effect.from_dict(figures)))


def pdf(data: dict, generated_on: date, made_by: str = "") -> bytes:
    """The brief as PDF bytes."""
    return render_pdf(html(data, generated_on, made_by))


def _effect_without_counts(shown: dict | None) -> dict | None:
    """A decision's effect as a brief publishes it: verdicts, windows, changes and differences, never the counts."""
    if shown is None:
        return None
    figures = shown.get("figures")
    return {"verdict": shown["verdict"], "reach_verdict": shown.get("reach_verdict"),
            **({k: figures[k] for k in ("before", "after", "follow_up_days", "changes", "differences")}
               if figures else {})}


def as_json(data: dict, generated_on: date) -> str:
    """The brief as JSON: the same published figures as its pages, and nothing a page does not show (the exact
    counts the brief was made from stay in the stored record)."""
    published = {k: v for k, v in data.items() if k != "raw"}
    if "decisions" in data:
        published["decisions"] = [{**d, "effect": _effect_without_counts(d.get("effect"))} for d in data["decisions"]]
    published["generated_on"] = generated_on.isoformat()
    return json.dumps(published, indent=2, sort_keys=True, ensure_ascii=False)

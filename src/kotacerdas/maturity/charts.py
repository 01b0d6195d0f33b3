"""The report's charts, drawn once with ReportLab and rendered to PDF or SVG.

A chart is a ``reportlab.graphics.shapes.Drawing``: the PDF embeds it as a
flowable, the web pages show ``to_svg(drawing)`` through an ``<img src>``.
Both take the same input, so the page and the printed report never differ:

    series = [(name, {code: Decimal | None})]   # e.g. this period, peers
    labels = [(code, label)]                    # the axes or bars, in order

Levels and indices lie on the 0–5 scale. A value of None (a dimension or an
indicator without a verified level) is drawn at zero and written "—", so an
unassessed dimension is visible as such instead of silently disappearing.

ReportLab is imported inside the functions: it costs a third of a second, and
only the processes that draw charts should pay it.
"""

import re
from decimal import Decimal

from kotacerdas.certificates.pdf import FONT, FONT_BOLD, register_fonts

SCALE_MAX = 5
SIDE = 40  # extra room left and right of the radar for the axis labels
# Brand blue, then amber and grey for the comparison series.
PALETTE = [
    (0.11, 0.27, 0.42),
    (0.85, 0.55, 0.10),
    (0.45, 0.48, 0.52),
    (0.20, 0.55, 0.35),
]
GRID = (0.80, 0.82, 0.85)
TEXT = (0.15, 0.15, 0.15)


def _colour(rgb, alpha=None):
    from reportlab.lib.colors import Color

    return Color(*rgb, alpha=1 if alpha is None else alpha)


def _number(value):
    return None if value is None else float(Decimal(value))


def _shown(value):
    return "—" if value is None else f"{Decimal(value):.2f}"


def _legend(drawing, series, x, y, *, size=8):
    """One coloured square and name per series, in a row from ``x``."""
    from reportlab.graphics.shapes import Rect, String
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for position, (name, _values) in enumerate(series):
        colour = _colour(PALETTE[position % len(PALETTE)])
        drawing.add(Rect(x, y, size, size, fillColor=colour, strokeColor=colour))
        drawing.add(
            String(
                x + size + 4,
                y + 1,
                str(name),
                fontName=FONT,
                fontSize=size,
                fillColor=_colour(TEXT),
            )
        )
        x += size + 16 + stringWidth(str(name), FONT, size)


def radar_drawing(series, labels, *, size=340, title=""):
    """A radar (spider) chart of the dimensions on the 0–5 scale.

    One polygon per series, the first filled, the others outlined; grid rings at
    every level, the axis labels with the first series' value, a legend below.
    """
    import math

    from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, String

    register_fonts()
    legend_height = 22 if series else 0
    title_height = 18 if title else 0
    # Labels left and right are wider than high: the drawing gets side margins.
    drawing = Drawing(size + 2 * SIDE, size + legend_height + title_height)
    drawing.initialFontName = FONT
    centre_x, centre_y = SIDE + size / 2, legend_height + size / 2
    # Room for the labels around the chart.
    radius = size / 2 - 58
    count = max(len(labels), 3)

    def point(position, value):
        angle = math.pi / 2 - 2 * math.pi * position / count
        distance = radius * (value or 0) / SCALE_MAX
        return (
            centre_x + distance * math.cos(angle),
            centre_y + distance * math.sin(angle),
        )

    for level in range(1, SCALE_MAX + 1):
        ring = []
        for position in range(count):
            ring.extend(point(position, level))
        drawing.add(
            Polygon(ring, fillColor=None, strokeColor=_colour(GRID), strokeWidth=0.6)
        )
        # The ring's number sits halfway between the first two axes, where no
        # axis label or series point is written.
        x, y = point(0.5, level * math.cos(math.pi / count))
        drawing.add(
            String(
                x,
                y - 2,
                str(level),
                fontName=FONT,
                fontSize=6.5,
                fillColor=_colour((0.55, 0.57, 0.60)),
            )
        )
    for position in range(count):
        x, y = point(position, SCALE_MAX)
        drawing.add(
            Line(centre_x, centre_y, x, y, strokeColor=_colour(GRID), strokeWidth=0.6)
        )

    for number, (_name, values) in reversed(list(enumerate(series))):
        rgb = PALETTE[number % len(PALETTE)]
        outline = []
        for position, (code, _label) in enumerate(labels):
            outline.extend(point(position, _number(values.get(code))))
        drawing.add(
            Polygon(
                outline,
                fillColor=_colour(rgb, 0.25) if number == 0 else None,
                strokeColor=_colour(rgb),
                strokeWidth=1.6 if number == 0 else 1.1,
                strokeDashArray=None if number == 0 else [3, 2],
            )
        )
        for position, (code, _label) in enumerate(labels):
            if values.get(code) is not None:
                x, y = point(position, _number(values[code]))
                drawing.add(
                    Circle(x, y, 2, fillColor=_colour(rgb), strokeColor=_colour(rgb))
                )

    first = series[0][1] if series else {}
    for position, (code, label) in enumerate(labels):
        x, y = point(position, SCALE_MAX + 0.45)
        anchor = "middle"
        if x > centre_x + 5:
            anchor = "start"
        elif x < centre_x - 5:
            anchor = "end"
        for line, (text, font) in enumerate(
            ((str(label), FONT_BOLD), (_shown(first.get(code)), FONT))
        ):
            drawing.add(
                String(
                    x,
                    y - line * 9,
                    text,
                    fontName=font,
                    fontSize=7.5,
                    textAnchor=anchor,
                    fillColor=_colour(TEXT),
                )
            )

    if title:
        drawing.add(
            String(
                centre_x,
                size + legend_height + 4,
                title,
                fontName=FONT_BOLD,
                fontSize=10,
                textAnchor="middle",
                fillColor=_colour(TEXT),
            )
        )
    if series:
        _legend(drawing, series, 8, 6)
    return drawing


def theme_bars_drawing(series, labels, *, width=480, title="", bar=9):
    """Horizontal bars on the 0–5 scale: one group per label (an indicator, a
    theme), one bar per series, the value written after each bar."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String

    register_fonts()
    label_width = min(190, width * 0.4)
    plot_width = width - label_width - 36
    group = bar * max(len(series), 1) + 6
    legend_height = 20 if len(series) > 1 else 0
    title_height = 16 if title else 0
    axis_height = 14
    height = group * len(labels) + legend_height + title_height + axis_height + 4
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    bottom = legend_height + axis_height
    left = label_width + 6

    for level in range(SCALE_MAX + 1):
        x = left + plot_width * level / SCALE_MAX
        drawing.add(
            Line(
                x,
                bottom,
                x,
                bottom + group * len(labels),
                strokeColor=_colour(GRID),
                strokeWidth=0.5,
            )
        )
        drawing.add(
            String(
                x,
                bottom - 10,
                str(level),
                fontName=FONT,
                fontSize=6.5,
                textAnchor="middle",
                fillColor=_colour(TEXT),
            )
        )

    for row, (code, label) in enumerate(labels):
        top = bottom + group * (len(labels) - row) - 3
        text = str(label)
        if len(text) > 42:
            text = text[:41] + "…"
        drawing.add(
            String(
                label_width,
                top - group / 2 + 1,
                text,
                fontName=FONT,
                fontSize=7,
                textAnchor="end",
                fillColor=_colour(TEXT),
            )
        )
        for number, (_name, values) in enumerate(series):
            value = _number(values.get(code))
            y = top - bar * (number + 1)
            length = plot_width * (value or 0) / SCALE_MAX
            colour = _colour(PALETTE[number % len(PALETTE)])
            if length:
                drawing.add(
                    Rect(left, y, length, bar - 1.5, fillColor=colour, strokeColor=None)
                )
            drawing.add(
                String(
                    left + length + 3,
                    y + 1.5,
                    _shown(values.get(code)),
                    fontName=FONT,
                    fontSize=6.5,
                    fillColor=_colour(TEXT),
                )
            )

    if title:
        drawing.add(
            String(
                0,
                height - 12,
                title,
                fontName=FONT_BOLD,
                fontSize=9,
                fillColor=_colour(TEXT),
            )
        )
    if legend_height:
        _legend(drawing, series, left, 4)
    return drawing


_STYLE = re.compile(r'\sstyle="([^"]*)"')
_UNSAFE = re.compile(r"<script|javascript:|\son[a-z]+=", re.IGNORECASE)


def _style_to_attributes(match):
    """``style="fill: red; stroke: none"`` → ``fill="red" stroke="none"``.

    The strict CSP (``style-src 'self'``) also governs an SVG shown through
    ``<img>``: inline style attributes would be ignored and every shape drawn
    black. Presentation attributes are not styles, so the chart stays intact.
    """
    attributes = {}
    for declaration in match.group(1).split(";"):
        name, _colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name and value:
            if name == "font-family":
                # The PDF's embedded font has a name browsers do not know.
                value = "'DejaVu Sans', sans-serif"
            attributes[name] = value.replace('"', "'")
    return "".join(f' {name}="{value}"' for name, value in attributes.items())


def to_svg(drawing):
    """The drawing as standalone SVG text, without style attributes or scripts."""
    from reportlab.graphics import renderSVG

    svg = renderSVG.drawToString(drawing)
    svg = _STYLE.sub(_style_to_attributes, svg)
    # renderSVG writes no scripts; the check keeps it so if it ever changes.
    if _UNSAFE.search(svg):
        raise ValueError("the chart SVG holds a script or an event handler")
    return svg

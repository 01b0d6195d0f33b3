"""The charts: geometry by hand, and SVG that the strict CSP lets through."""

import math
import xml.etree.ElementTree as ET
from decimal import Decimal

from reportlab.graphics.shapes import Circle, Polygon, Rect, String

from kotacerdas.maturity.charts import (
    PALETTE,
    radar_drawing,
    theme_bars_drawing,
    to_svg,
)

LABELS = [
    ("governance", "Tata Kelola"),
    ("people", "Masyarakat"),
    ("living", "Kehidupan"),
    ("mobility", "Mobilitas"),
    ("environment", "Lingkungan"),
    ("economy", "Ekonomi"),
]
THIS = {
    "governance": Decimal("5.00"),
    "people": Decimal("2.50"),
    "living": None,
    "mobility": Decimal("4"),
    "environment": Decimal("1"),
    "economy": Decimal("3.25"),
}


def shapes(drawing, kind):
    return [shape for shape in drawing.contents if isinstance(shape, kind)]


def series_polygon(drawing, number):
    """The polygon of series ``number``: the one stroked in its colour."""
    colour = PALETTE[number]
    found = [
        p
        for p in shapes(drawing, Polygon)
        if p.strokeColor is not None
        and (p.strokeColor.red, p.strokeColor.green, p.strokeColor.blue) == colour
    ]
    assert len(found) == 1
    return found[0]


def test_radar_points_lie_at_their_level():
    drawing = radar_drawing([("2027", THIS)], LABELS, size=340)
    # size 340: radius 170 − 58 = 112; centre x 40 + 170 = 210 (side margin),
    # y = legend 22 + 170 = 192.
    points = series_polygon(drawing, 0).points
    pairs = list(zip(points[::2], points[1::2], strict=True))
    # Governance 5.00 at the top: the full radius.
    assert pairs[0] == (210, 192 + 112)
    # People 2.50 at 30° above the horizontal, half the radius (56).
    x, y = pairs[1]
    assert math.isclose(x, 210 + 56 * math.cos(math.pi / 6))
    assert math.isclose(y, 192 + 56 * math.sin(math.pi / 6))
    # Living, not assessed: drawn at the centre, with no dot, written "—".
    assert pairs[2] == (210, 192)
    assert len(shapes(drawing, Circle)) == 5
    texts = [s.text for s in shapes(drawing, String)]
    assert "—" in texts and "3.25" in texts
    # Five grid rings of six corners.
    assert sum(1 for p in shapes(drawing, Polygon) if len(p.points) == 12) == 5 + 1


def test_radar_draws_every_series_with_a_legend():
    previous = {code: Decimal(2) for code, _label in LABELS}
    drawing = radar_drawing([("2027", THIS), ("2026", previous)], LABELS)
    assert series_polygon(drawing, 1).strokeDashArray == [3, 2]
    texts = [s.text for s in shapes(drawing, String)]
    assert "2027" in texts and "2026" in texts
    # One legend square per series.
    assert len(shapes(drawing, Rect)) == 2


def test_bars_are_as_long_as_their_level():
    drawing = theme_bars_drawing(
        [("2027", {"5.1": Decimal(5), "5.2": Decimal("2.5"), "5.3": None})],
        [("5.1", "5.1 satu"), ("5.2", "5.2 dua"), ("5.3", "5.3 tiga")],
        width=480,
    )
    # Labels take min(190, 0.4 × 480) = 190, the plot 480 − 190 − 36 = 254.
    bars = sorted(shapes(drawing, Rect), key=lambda r: -r.y)
    assert [bar.width for bar in bars] == [254, 127]
    assert "—" in [s.text for s in shapes(drawing, String)]


def test_svg_has_no_style_attributes_and_no_script():
    labels = [*LABELS[:5], ("economy", "<script>alert(1)</script>")]
    svg = to_svg(radar_drawing([("2027", THIS)], labels, title="Radar"))
    # Our own output, parsed only to prove it is well-formed XML.
    root = ET.fromstring(svg.split("?>", 1)[1])  # noqa: S314
    assert root.tag.endswith("svg")
    assert "style=" not in svg
    assert "<script" not in svg.lower()
    # The label is text, escaped, not markup.
    assert "&lt;script&gt;" in svg
    # Colours survive as presentation attributes, with the series' opacity.
    assert 'fill-opacity="0.25"' in svg
    assert "'DejaVu Sans', sans-serif" in svg

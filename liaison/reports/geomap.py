"""The map of activities, events and sessions by region of Mali, drawn as SVG from the
Natural Earth boundaries in `boundaries/` (see SOURCES.md there).

The boundaries are read, projected (equirectangular, true to scale at Mali's middle
latitude) and rounded to a tenth of a pixel once per process, then cached: a page costs
the counts only. Nothing is fetched: no tile server, no script.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

BOUNDARIES = Path(__file__).resolve().parent / "boundaries"
COUNTRY = "ML"
# Regions created in 2016 that Natural Earth does not draw (they lie within Gao and
# Tombouctou in its boundaries).
NOT_DRAWN = {"ML-9": "ML-7", "ML-10": "ML-6"}
WIDTH = 640
WEST, EAST, SOUTH, NORTH = -13.0, 5.0, 9.4, 25.7
COS = math.cos(math.radians((SOUTH + NORTH) / 2))
SCALE = WIDTH / ((EAST - WEST) * COS)
HEIGHT = round((NORTH - SOUTH) * SCALE)
# Fill of a region by its share of the largest count (0 is grey).
SHADES = ("#eef1f4", "#cfe0f3", "#9cc0e8", "#5b93d0", "#1f5fa8")


def project(lon: float, lat: float) -> tuple[float, float]:
    return round((lon - WEST) * COS * SCALE, 1), round((NORTH - lat) * SCALE, 1)


def _path(geometry: dict[str, Any]) -> str:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points: list[tuple[float, float]] = []
            for lon, lat in ring:
                point = project(lon, lat)
                if not points or point != points[-1]:
                    points.append(point)
            if len(points) >= 3:
                parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
    return "".join(parts)


def _bbox(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    lons = [p[0] for poly in polygons for ring in poly for p in ring]
    lats = [p[1] for poly in polygons for ring in poly for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    name_fr: str
    path: str
    label: tuple[float, float]


@cache
def regions() -> tuple[Region, ...]:
    data = json.loads((BOUNDARIES / "mali_adm1.geojson").read_text(encoding="utf-8"))
    return tuple(
        Region(
            f["properties"]["iso_3166_2"],
            f["properties"]["name"],
            f["properties"]["name_fr"],
            _path(f["geometry"]),
            project(f["properties"]["label_lon"], f["properties"]["label_lat"]),
        )
        for f in data["features"]
    )


@cache
def neighbours() -> tuple[tuple[str, str], ...]:
    """(name, path) of the countries around Mali that the frame shows."""
    data = json.loads((BOUNDARIES / "africa_adm0.geojson").read_text(encoding="utf-8"))
    shown = []
    for f in data["features"]:
        if f["properties"].get("iso_a3") == "MLI":
            continue
        west, south, east, north = _bbox(f["geometry"])
        if east < WEST or west > EAST or north < SOUTH or south > NORTH:
            continue
        shown.append((f["properties"]["name"], _path(f["geometry"])))
    return tuple(shown)


def shade(count: int, largest: int) -> str:
    if not count or not largest:
        return SHADES[0]
    return SHADES[min(len(SHADES) - 1, 1 + int(3.999 * count / largest))]


def draw(
    title: str,
    counts: dict[str, int],
    links: dict[str, str],
    names: dict[str, str],
    selected: str = "",
) -> SafeString:
    """The map: each region shaded by `counts` (by ISO code), labelled, and a link."""
    largest = max(counts.values(), default=0)
    body = [
        '<defs><clipPath id="map-frame"><rect x="0" y="0" '
        f'width="{WIDTH}" height="{HEIGHT}"/></clipPath></defs>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#f4f8fb"/>',
        '<g clip-path="url(#map-frame)" fill="#fbfbf8" stroke="#b9b9b0" stroke-width="0.8">',
    ]
    for name, path in neighbours():
        body.append(f'<path d="{path}"><title>{escape(name)}</title></path>')
    body.append("</g>")
    labels: list[str] = []
    halo: list[str] = []
    french = (get_language() or "fr").startswith("fr")
    for region in regions():
        n = counts.get(region.code, 0)
        name = names.get(region.code) or (region.name_fr if french else region.name)
        stroke = ' stroke="#0f2f52" stroke-width="2.2"' if region.code == selected else ""
        shape = (
            f'<path d="{region.path}" fill="{shade(n, largest)}" fill-rule="evenodd" '
            f'stroke="#8796a5" stroke-width="0.8"{stroke} class="region" data-code="{region.code}">'
            f"<title>{escape(name)}: {n}</title></path>"
        )
        x, y = region.label
        if region.code == "ML-BKO":  # too small to read: a marker beside it
            shape += (
                f'<circle cx="{x}" cy="{y}" r="6" fill="{shade(n, largest)}" stroke="#0f2f52" '
                f'stroke-width="1.2"/>'
            )
            x, y = x + 9, y + 14
        link = links.get(region.code)
        body.append(f'<a href="{escape(link)}">{shape}</a>' if link else shape)
        anchor = "start" if region.code == "ML-BKO" else "middle"
        text = f"{escape(name)} · {n}"
        where = f'x="{x}" y="{y}" text-anchor="{anchor}" font-size="11"'
        # A white halo under the label (two texts: paint-order is not drawn everywhere).
        halo.append(f'<text {where} stroke="#ffffff" stroke-width="3">{text}</text>')
        labels.append(f'<text {where} fill="#1d2733">{text}</text>')
    body.append('<g class="labels" fill="#ffffff">' + "".join(halo) + "".join(labels) + "</g>")
    desc = "; ".join(f"{names.get(r.code) or r.name}: {counts.get(r.code, 0)}" for r in regions())
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart map" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-labelledby="map-title map-desc" font-family="DejaVu Sans, sans-serif">'
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )

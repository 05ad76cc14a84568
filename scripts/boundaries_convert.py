"""Convert cahyadsn/wilayah_boundaries (MIT) into the dashboard map's compact file.

Run once, by hand, when the boundaries change (the project never reads the source at install,
run or test time; the result is committed):

    python scripts/boundaries_convert.py /path/to/wilayah_boundaries static/map/wilayah.json

The source has one MySQL INSERT row per region: `('32.04','Kabupaten Bandung',lat,lng,'<path>')`,
the path a JSON multipolygon of [lat, lng] points (polygons → rings → points). This keeps the
provinces (prov/) and kabupaten/kota (kab/), simplifies every ring (Douglas–Peucker, tolerance in
degrees), drops islets too small to see at the tier's scale (a region keeps at least its largest
polygon), rounds to 1/1000 degree (about 110 m) and writes each ring as integers, the first point
absolute and the others as differences, [x0, y0, dx1, dy1, …] with x = lng × 1000, y = lat × 1000.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import sys
from pathlib import Path

ROW = re.compile(r"^\s*\(\s*'([\d.]+)'\s*,\s*'((?:[^'\\]|\\.|'')*)'\s*,\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*,\s*'(.*)'\s*\)[,;]?\s*$")
SCALE = 1000
# (simplification tolerance, smallest polygon kept as a share of the region's largest, and absolute in deg²)
TIERS = {"prov": (0.02, 0.002, 0.0008), "kab": (0.006, 0.01, 0.0002)}


def rows(folder: Path) -> list[tuple[str, str, list[list[list[list[float]]]]]]:
    out = []
    for path in sorted(folder.glob("*.sql")):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = ROW.match(line)
            if match:
                code, name, _lat, _lng, shape = match.groups()
                out.append((code, name.replace("''", "'").replace("\\'", "'"), json.loads(shape)))
    return out


def _perpendicular(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker, iterative (rings have tens of thousands of points)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if worst > tolerance and index > 0:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def area(ring: list[tuple[float, float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def encode(ring: list[tuple[float, float]]) -> list[int]:
    ints = [(round(x * SCALE), round(y * SCALE)) for x, y in ring]
    deduped = [ints[0]] + [p for prev, p in itertools.pairwise(ints) if p != prev]
    flat = [deduped[0][0], deduped[0][1]]
    for (px, py), (x, y) in itertools.pairwise(deduped):
        flat += [x - px, y - py]
    return flat


def _depth(value: object) -> int:
    depth = 0
    while isinstance(value, list) and value:
        value, depth = value[0], depth + 1
    return depth


def convert(shape: list, tier: str) -> list[list[list[int]]]:
    tolerance, share, floor = TIERS[tier]
    for _ in range(4 - _depth(shape)):  # some rows are a polygon or a ring, not a multipolygon
        shape = [shape]
    polygons = []
    for polygon in shape:
        rings = [[(float(p[1]), float(p[0])) for p in ring] for ring in polygon]  # [lat, lng] → (x=lng, y=lat)
        if rings and rings[0]:
            polygons.append((area(rings[0]), rings))
    if not polygons:
        return []
    largest = max(a for a, _r in polygons)
    out: list[list[list[int]]] = []
    for a, rings in sorted(polygons, key=lambda item: -item[0]):
        if out and (a < largest * share or a < floor):
            continue
        encoded = []
        for i, ring in enumerate(rings):
            simple = simplify(ring, tolerance)
            if len(simple) < 4 and not (i == 0 and not out):
                continue
            if i > 0 and area(simple) < floor:
                continue  # a hole too small to see
            encoded.append(encode(simple if len(simple) >= 4 else ring))
        if encoded:
            out.append(encoded)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the wilayah_boundaries folder (with prov/ and kab/)")
    parser.add_argument("target", type=Path, help="the JSON file to write (static/map/wilayah.json)")
    args = parser.parse_args()
    regions: dict[str, dict[str, object]] = {}
    for tier in ("prov", "kab"):
        for code, name, shape in rows(args.source / tier):
            regions[code] = {"n": name, "p": convert(shape, tier)}
    document = {
        "source": "cahyadsn/wilayah_boundaries (MIT, (c) 2024 Cahya DSN), Kepmendagri 300.2.2-2430/2025; "
                  "disederhanakan oleh scripts/boundaries_convert.py",
        "scale": SCALE,
        "encoding": "ring = [x0, y0, dx1, dy1, ...], x = bujur x scale, y = lintang x scale",
        "regions": dict(sorted(regions.items())),
    }
    data = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
    args.target.parent.mkdir(parents=True, exist_ok=True)
    args.target.write_bytes(data)
    provinces = sum(1 for c in regions if "." not in c)
    print(f"{provinces} provinsi, {len(regions) - provinces} kabupaten/kota; {len(data) / 1024:.0f} KB, "
          f"{len(gzip.compress(data, 9)) / 1024:.0f} KB gzip → {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

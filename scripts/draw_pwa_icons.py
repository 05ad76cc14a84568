"""Draw the installable app's icons (static/img/icon-*.png) from the favicon's shapes and colour.

Run once after changing static/img/favicon.svg: `.venv/bin/python scripts/draw_pwa_icons.py`.
Pillow draws them so that no SVG renderer is needed; the PNGs are committed."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

JADE = (0, 137, 90, 255)  # the favicon's fill, Pico's jade
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "img"


def draw(size: int, *, maskable: bool) -> Image.Image:
    """The favicon's two people on jade. A maskable icon fills the square and keeps the people in
    the central 80 % safe zone (the launcher cuts a circle or a squircle out of it)."""
    scale = 4  # drawn large, then reduced: smooth edges without an anti-aliasing renderer
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=JADE)
        inset, unit = big * 0.18, big * 0.64 / 32
    else:
        pen.rounded_rectangle((0, 0, big, big), radius=big * 6 / 32, fill=JADE)
        inset, unit = 0.0, big / 32

    def at(x: float, y: float) -> tuple[float, float]:
        return inset + x * unit, inset + y * unit

    for cx in (11, 21):
        (x0, y0), (x1, y1) = at(cx - 4, 8), at(cx + 4, 16)
        pen.ellipse((x0, y0, x1, y1), fill=WHITE)
        (bx0, by0), (bx1, by1) = at(cx - 6, 18), at(cx + 6, 34)
        pen.pieslice((bx0, by0, bx1, by1), 180, 360, fill=WHITE)  # the shoulders: a half disc
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    for name, size, maskable in (("icon-192.png", 192, False), ("icon-512.png", 512, False),
                                 ("icon-maskable-512.png", 512, True)):
        draw(size, maskable=maskable).save(OUT / name, optimize=True)
        print(OUT / name)


if __name__ == "__main__":
    main()

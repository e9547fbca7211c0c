"""Draws the demo's featured image with Pillow, so the demo ships no third-party picture."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter


def draw_harbour(target: Path, width: int = 1600, height: int = 900) -> tuple[int, int, int]:
    """A harbour at sunrise: sky, sun, sea with reflections and three moored boats."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.58)
    for y in range(horizon):  # sky: deep blue at the top to warm orange at the horizon
        t = y / horizon
        draw.line(
            [(0, y), (width, y)],
            fill=(int(40 + 215 * t), int(60 + 110 * t), int(120 - 40 * t)),
        )
    sun_x, sun_r = int(width * 0.68), int(height * 0.09)
    draw.ellipse(
        [sun_x - sun_r, horizon - sun_r * 1.3, sun_x + sun_r, horizon + sun_r * 0.7],
        fill=(255, 214, 140),
    )
    for y in range(horizon, height):  # sea: darker towards the viewer
        t = (y - horizon) / (height - horizon)
        draw.line(
            [(0, y), (width, y)], fill=(int(200 - 150 * t), int(120 - 60 * t), int(90 + 20 * t))
        )
    for i in range(24):  # the sun's broken reflection
        y = horizon + 8 + i * 14
        half = int(sun_r * (1.1 - i / 30))
        draw.line([(sun_x - half, y), (sun_x + half, y)], fill=(255, 200, 130), width=3)
    draw.rectangle([0, horizon - 40, int(width * 0.28), horizon], fill=(52, 48, 60))  # quay
    for bx, scale in ((0.18, 1.0), (0.40, 0.8), (0.85, 0.65)):
        x, w = int(width * bx), int(220 * scale)
        y = horizon + int(70 * scale)
        draw.polygon(
            [
                (x, y),
                (x + w, y),
                (x + w - 30 * scale, y + 45 * scale),
                (x + 25 * scale, y + 45 * scale),
            ],
            fill=(30, 34, 48),
        )
        draw.line(
            [(x + w // 2, y), (x + w // 2, y - 190 * scale)],
            fill=(30, 34, 48),
            width=max(2, int(6 * scale)),
        )
        draw.polygon(
            [
                (x + w // 2 + 4, y - 180 * scale),
                (x + w // 2 + 4, y - 30 * scale),
                (x + w - 10, y - 30 * scale),
            ],
            fill=(235, 225, 205),
        )
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    image.save(target, "JPEG", quality=82, optimize=True, progressive=True)
    return width, height, target.stat().st_size

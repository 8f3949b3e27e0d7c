"""Each PDF page as an image for the screen and a thumbnail, as bytes (storing them is the caller's job).

Rendered once at import, in the import's worker processes, so that showing an
issue never renders anything. WebP by default: at the same visual quality it
is about a third of the size of PNG for scanned-looking pages and every
current browser shows it; PNG remains available for lossless copies.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from .pdf import DEFAULT_MAX_PAGES, open_pdf

__all__ = ["PageImage", "render_pages"]


@dataclass
class PageImage:
    number: int  # 1-based
    width: int  # of the screen image, in pixels
    height: int
    screen: bytes
    thumbnail: bytes
    format: str  # "webp" or "png"

    @property
    def content_type(self) -> str:
        return f"image/{self.format}"


def _encode(image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "webp":
        image.save(buffer, "WEBP", quality=80, method=2)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def render_pages(
    data: bytes,
    name: str,
    *,
    screen_width: int = 1400,
    thumb_width: int = 200,
    fmt: str = "webp",
    max_pages: int | None = DEFAULT_MAX_PAGES,
) -> list[PageImage]:
    """Render every page at ``screen_width`` pixels wide, and a ``thumb_width`` thumbnail from that image."""
    if fmt not in ("webp", "png"):
        raise ValueError(f"unknown image format {fmt!r}")
    document = open_pdf(data, name, max_pages=max_pages)
    images: list[PageImage] = []
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                scale = screen_width / page.get_width()
                bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255))
                image = bitmap.to_pil().convert("RGB")
            finally:
                page.close()
            thumb = image.copy()
            thumb.thumbnail((thumb_width, thumb_width * 4))
            images.append(
                PageImage(
                    number=index + 1,
                    width=image.width,
                    height=image.height,
                    screen=_encode(image, fmt),
                    thumbnail=_encode(thumb, fmt),
                    format=fmt,
                )
            )
    finally:
        document.close()
    return images

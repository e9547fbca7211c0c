"""Media services: uploads validated by content, images re-encoded without metadata.

An image is opened and verified by Pillow (the file name and the browser's type are not
trusted), re-encoded from its pixels so EXIF (GPS position, camera serial) is dropped, and
scaled copies are made for srcset. PDFs are accepted by their signature.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import or_, select

from app.content import slugify
from app.extensions import db
from app.models import Media, Post, User, log_activity
from app.models.base import utcnow

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 50_000_000
SIZES = (320, 768, 1280)
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}


class MediaError(ValueError):
    """An upload that cannot be accepted; the message is shown next to the field."""


@dataclass
class Decoded:
    """A validated upload, ready to be written."""

    kind: str  # "image" or "pdf"
    ext: str
    mime: str
    image: Image.Image | None = None
    fmt: str = ""


def max_bytes() -> int:
    """The upload size limit in bytes (config MEDIA_MAX_BYTES)."""
    return int(current_app.config.get("MEDIA_MAX_BYTES", DEFAULT_MAX_BYTES))


def _human(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def read_limited(stream, limit: int) -> bytes:
    """Read at most limit bytes; a longer file is refused with a clear message."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise MediaError(f"The file is too big: the limit is {_human(limit)}.")
    return data


def decode(data: bytes) -> Decoded:
    """Recognise an image (by Pillow) or a PDF (by signature); anything else is refused."""
    if not data:
        raise MediaError("The file is empty.")
    if data.startswith(b"%PDF-"):
        return Decoded("pdf", "pdf", "application/pdf")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            probe.verify()
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise MediaError("The image has too many pixels.")
            image.load()
    except MediaError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise MediaError(
            "This file is not an image we can use (JPEG, PNG, GIF or WebP) or a PDF."
        ) from exc
    if image.format not in IMAGE_FORMATS:
        raise MediaError("Only JPEG, PNG, GIF and WebP images are accepted.")
    ext, mime = IMAGE_FORMATS[image.format]
    return Decoded("image", ext, mime, image, image.format)


def _encode(image: Image.Image, fmt: str) -> bytes:
    """Pixels only: no EXIF, no XMP, no comments."""
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "GIF":
        image.save(out, "GIF")
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=85)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _clean(image: Image.Image, fmt: str) -> Image.Image:
    """A new image made from the pixels alone, so no metadata can travel along."""
    image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF asked for
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    fresh = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P":
        fresh.putpalette(image.getpalette() or [])
        if "transparency" in image.info:
            fresh.info["transparency"] = image.info["transparency"]
    return fresh


def _target_name(original: str, ext: str) -> str:
    now = utcnow()
    stem = slugify(Path(original or "upload").stem)[:60] or "upload"
    return f"{now:%Y/%m}/{stem}-{secrets.token_hex(4)}.{ext}"


def store_upload(user: User, storage, alt_text: str = "", caption: str = "") -> Media:
    """Validate, clean and write an uploaded file; adds the Media row (caller commits)."""
    if storage is None or not getattr(storage, "filename", ""):
        raise MediaError("Choose a file to upload.")
    data = read_limited(storage.stream, max_bytes())
    decoded = decode(data)
    name = _target_name(storage.filename, decoded.ext)
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    media = Media(
        filename=name,
        original_name=storage.filename[:255],
        mime_type=decoded.mime,
        alt_text=(alt_text or "").strip(),
        caption=(caption or "").strip(),
        uploader_id=user.id,
        sizes={},
    )
    if decoded.image is None:
        target.write_bytes(data)
        media.size_bytes = len(data)
    else:
        image = _clean(decoded.image, decoded.fmt)
        payload = _encode(image, decoded.fmt)
        target.write_bytes(payload)
        media.size_bytes, media.width, media.height = len(payload), image.width, image.height
        for width in SIZES:
            if width >= image.width:
                continue
            scaled = image.resize((width, max(1, round(image.height * width / image.width))))
            scaled_name = name.rsplit(".", 1)[0] + f"-{width}w.{decoded.ext}"
            (folder / scaled_name).write_bytes(_encode(scaled, decoded.fmt))
            media.sizes[str(width)] = scaled_name
    db.session.add(media)
    db.session.flush()
    log_activity(user.id, "media.upload", media, media.original_name)
    return media


def posts_using(media: Media) -> list[Post]:
    """Posts that show this file: as featured image or inside their text."""
    return list(
        db.session.execute(
            select(Post).where(
                or_(Post.featured_media_id == media.id, Post.source.contains(media.filename))
            )
        ).scalars()
    )


def delete_media(user: User, media: Media) -> None:
    """Delete a file and its sizes; refused (MediaError) while a post uses it. Commits."""
    users = posts_using(media)
    if users:
        titles = ", ".join(f"“{p.display_title}”" for p in users[:5])
        raise MediaError(f"This file is used by {titles}; remove it from there first.")
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    for name in [media.filename, *(media.sizes or {}).values()]:
        (folder / name).unlink(missing_ok=True)
    log_activity(user.id, "media.delete", media, media.original_name)
    db.session.delete(media)
    db.session.commit()


def srcset(media: Media) -> str:
    """'url 320w, url 768w, ...' for an image's generated sizes and original."""
    from flask import url_for

    parts = [
        f"{url_for('blog.upload', filename=n)} {w}w"
        for w, n in sorted((media.sizes or {}).items(), key=lambda kv: int(kv[0]))
    ]
    if media.width:
        parts.append(f"{url_for('blog.upload', filename=media.filename)} {media.width}w")
    return ", ".join(parts)

"""Media: uploads validated by content, metadata stripped, sizes for srcset, safe delete."""

from __future__ import annotations

import io
import re
from pathlib import Path

from conftest import csrf_token
from PIL import ExifTags, Image
from sqlalchemy import select
from test_admin_support import (
    editor_fields,
    login,
)

from app.models import Media, Post


def _jpeg_with_gps(width=1600, height=1000) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (48.0, 51.0, 24.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (2.0, 21.0, 3.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(out.getvalue())).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return out.getvalue()


def _png(width=200, height=100) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 90, 200, 128)).save(out, "PNG")
    return out.getvalue()


def _upload(client, data: bytes, name: str, **fields):
    page = client.get("/admin/media/new").get_data(as_text=True)
    payload = {"csrf_token": csrf_token(page), "file": (io.BytesIO(data), name), **fields}
    return client.post("/admin/media/new", data=payload, content_type="multipart/form-data")


def _login(client, create_user):
    create_user("alice")
    assert login(client, "alice").status_code == 302


def test_jpeg_loses_its_gps_and_gets_sizes(client, create_user, db, app):
    _login(client, create_user)
    response = _upload(client, _jpeg_with_gps(), "Holiday Photo.JPG", alt_text="A red square")
    assert response.status_code == 302
    media = db.session.execute(select(Media)).scalar_one()
    assert media.mime_type == "image/jpeg" and (media.width, media.height) == (1600, 1000)
    assert media.alt_text == "A red square" and media.original_name == "Holiday Photo.JPG"
    assert re.fullmatch(r"\d{4}/\d{2}/holiday-photo-[0-9a-f]{8}\.jpg", media.filename)
    assert sorted(media.sizes, key=int) == ["320", "768", "1280"]
    folder = Path(app.config["UPLOAD_FOLDER"])
    stored = (folder / media.filename).read_bytes()
    assert b"SpyCam" not in stored
    cleaned = Image.open(io.BytesIO(stored))
    assert not cleaned.getexif() and not cleaned.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    for width, name in media.sizes.items():
        with Image.open(folder / name) as scaled:
            assert scaled.width == int(width) and not scaled.getexif()
    served = client.get(f"/uploads/{media.filename}")
    assert served.status_code == 200 and served.data == stored
    served.close()
    library = client.get("/admin/media/").get_data(as_text=True)
    assert "Holiday Photo.JPG" in library and f"{media.sizes['768']} 768w" in library


def test_small_png_keeps_transparency_and_needs_no_sizes(client, create_user, db):
    _login(client, create_user)
    _upload(client, _png(), "logo.png")
    media = db.session.execute(select(Media)).scalar_one()
    assert media.mime_type == "image/png" and media.sizes == {}


def test_pdf_is_accepted_by_its_signature(client, create_user, db):
    _login(client, create_user)
    _upload(client, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "paper.pdf")
    media = db.session.execute(select(Media)).scalar_one()
    assert media.mime_type == "application/pdf" and not media.is_image


def test_not_an_image_is_refused_whatever_its_name(client, create_user, db):
    _login(client, create_user)
    response = _upload(client, b"<?php system($_GET['c']); ?>", "innocent.jpg", caption="kept")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This file is not an image we can use (JPEG, PNG, GIF or WebP) or a PDF." in html
    assert "kept" in html
    assert db.session.execute(select(Media)).first() is None


def test_truncated_image_is_refused(client, create_user, db):
    _login(client, create_user)
    response = _upload(client, _jpeg_with_gps()[:300], "broken.jpg")
    assert "not an image we can use" in response.get_data(as_text=True)
    assert db.session.execute(select(Media)).first() is None


def test_too_big_is_refused_with_the_limit(client, create_user, db, app):
    _login(client, create_user)
    app.config["MEDIA_MAX_BYTES"] = 10 * 1024
    response = _upload(client, _jpeg_with_gps(), "big.jpg")
    assert "The file is too big: the limit is 10 KB." in response.get_data(as_text=True)
    assert db.session.execute(select(Media)).first() is None


def test_no_file_chosen(client, create_user):
    _login(client, create_user)
    page = client.get("/admin/media/new").get_data(as_text=True)
    response = client.post("/admin/media/new", data={"csrf_token": csrf_token(page)})
    assert "Choose a file to upload." in response.get_data(as_text=True)


def test_featured_image_with_caption_on_the_site(client, create_user, db):
    _login(client, create_user)
    page = client.get("/admin/posts/new").get_data(as_text=True)
    data = editor_fields(
        title="With picture",
        body="Text",
        featured_caption="Sunset in Brest",
        featured_alt="Red sky",
        action="publish",
    )
    data.update(
        csrf_token=csrf_token(page), featured_upload=(io.BytesIO(_jpeg_with_gps()), "s.jpg")
    )
    response = client.post("/admin/posts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    post = db.session.execute(select(Post)).scalar_one()
    assert post.featured_media is not None and post.featured_caption == "Sunset in Brest"
    site = client.get(f"/{post.published_at:%Y/%m/%d}/with-picture/").get_data(as_text=True)
    assert "<figcaption>Sunset in Brest</figcaption>" in site
    assert f'src="/uploads/{post.featured_media.filename}" alt="Red sky"' in site


def test_bad_featured_upload_keeps_the_post_text(client, create_user, db):
    _login(client, create_user)
    page = client.get("/admin/posts/new").get_data(as_text=True)
    data = editor_fields(title="Keep me", body="Precious words")
    data.update(csrf_token=csrf_token(page), featured_upload=(io.BytesIO(b"nope"), "x.png"))
    response = client.post("/admin/posts/new", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "not an image we can use" in html
    assert "Precious words" in html and 'value="Keep me"' in html
    assert db.session.execute(select(Post)).first() is None


def test_delete_is_refused_while_a_post_uses_the_file(client, create_user, create_post, db, app):
    _login(client, create_user)
    _upload(client, _jpeg_with_gps(), "used.jpg")
    media = db.session.execute(select(Media)).scalar_one()
    post = create_post("Uses it", featured_media_id=media.id)
    token = csrf_token(client.get("/admin/media/").get_data(as_text=True))
    response = client.post(f"/admin/media/{media.id}/delete", data={"csrf_token": token})
    assert "This file is used by “Uses it”; remove it from there first." in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    assert db.session.get(Media, media.id) is not None
    post.featured_media_id = None
    db.session.commit()
    files = [media.filename, *media.sizes.values()]
    client.post(f"/admin/media/{media.id}/delete", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.execute(select(Media)).first() is None
    folder = Path(app.config["UPLOAD_FOLDER"])
    assert not any((folder / name).exists() for name in files)


def test_edit_alt_text_and_caption(client, create_user, create_post, db):
    _login(client, create_user)
    _upload(client, _png(), "chart.png")
    media = db.session.execute(select(Media)).scalar_one()
    create_post("Uses chart", featured_media_id=media.id)
    page = client.get(f"/admin/media/{media.id}").get_data(as_text=True)
    assert "Used by:" in page and "Uses chart" in page
    response = client.post(
        f"/admin/media/{media.id}",
        data={"csrf_token": csrf_token(page), "alt_text": "Sales per month", "caption": "2026"},
    )
    assert "Media details saved." in client.get(response.headers["Location"]).text
    db.session.expire_all()
    media = db.session.get(Media, media.id)
    assert (media.alt_text, media.caption) == ("Sales per month", "2026")


def test_authors_cannot_change_others_files(client, create_user, db):
    _login(client, create_user)
    _upload(client, _png(), "theirs.png")
    media = db.session.execute(select(Media)).scalar_one()
    other = client.application.test_client()
    create_user("au", role="author")
    login(other, "au")
    assert other.get(f"/admin/media/{media.id}").status_code == 403


def test_upload_during_a_conflict_is_kept_and_chosen(client, create_user, create_post, db):
    _login(client, create_user)
    post = create_post("Busy", body="saved text")
    page = client.get(f"/admin/posts/{post.id}/edit").get_data(as_text=True)
    post.source = "someone else's text"  # saved meanwhile: the form is now stale
    db.session.commit()
    data = editor_fields(title="Busy", body="my text", version="1", status="published")
    data.update(csrf_token=csrf_token(page), featured_upload=(io.BytesIO(_png()), "new.png"))
    response = client.post(
        f"/admin/posts/{post.id}/edit", data=data, content_type="multipart/form-data"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "my text" in html
    media = db.session.execute(select(Media)).scalar_one()
    assert f'<option selected value="{media.id}">new.png</option>' in html
    db.session.expire_all()
    assert db.session.get(Post, post.id).source == "someone else's text"

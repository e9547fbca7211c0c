"""Helpers shared by the admin tests: log in like a browser, post forms with their token."""

from __future__ import annotations

from conftest import csrf_token

PASSWORD = "correct horse battery"


def login(client, username: str, password: str = PASSWORD, **extra):
    """Fetch the login page and post the form with its CSRF token."""
    page = client.get("/admin/login")
    data = {
        "csrf_token": csrf_token(page.get_data(as_text=True)),
        "username": username,
        "password": password,
        **extra,
    }
    return client.post("/admin/login", data=data)


def post_form(client, page_url: str, action_url: str | None = None, data=None, **kwargs):
    """GET page_url, then POST data (plus its CSRF token) to action_url (default page_url)."""
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    payload = {"csrf_token": csrf_token(page.get_data(as_text=True))}
    payload.update(data or {})
    return client.post(action_url or page_url, data=payload, **kwargs)


def editor_fields(**fields) -> dict:
    """A complete editor form as a browser sends it (empty optional fields included)."""
    data = {
        "title": "",
        "slug": "",
        "body": "",
        "excerpt": "",
        "status": "draft",
        "published_at": "",
        "new_category": "",
        "tags": "",
        "featured_media_id": "0",
        "featured_caption": "",
        "featured_alt": "",
        "comments_open": "y",
        "parent_id": "0",
        "menu_order": "0",
        "action": "save",
    }
    data.update(fields)
    return data

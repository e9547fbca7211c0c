"""Every role against every admin action: allowed (200) or refused (403), from one table."""

from __future__ import annotations

import pytest
from conftest import csrf_token
from sqlalchemy import select
from test_admin_support import (
    login,
)

from app.models import PostStatus, Role, User

A, E, AU, C, S = "administrator", "editor", "author", "contributor", "subscriber"
STAFF = {A, E, AU, C}

# (action, URL template, roles allowed). {own_draft}, {own_published}, {other} are post ids.
MATRIX = [
    ("dashboard", "/admin/", STAFF),
    ("list posts", "/admin/posts/", STAFF),
    ("write a post", "/admin/posts/new", STAFF),
    ("edit own draft", "/admin/posts/{own_draft}/edit", STAFF),
    ("edit own published post", "/admin/posts/{own_published}/edit", {A, E, AU}),
    ("edit someone else's post", "/admin/posts/{other}/edit", {A, E}),
    ("revisions of someone else's post", "/admin/posts/{other}/revisions", {A, E}),
    ("list pages", "/admin/pages/", {A, E}),
    ("write a page", "/admin/pages/new", {A, E}),
    ("media library", "/admin/media/", {A, E, AU}),
    ("upload media", "/admin/media/new", {A, E, AU}),
    ("moderate comments", "/admin/comments/", {A, E}),
    ("manage categories", "/admin/terms/category/", {A, E}),
    ("manage tags", "/admin/terms/post_tag/", {A, E}),
    ("general settings", "/admin/settings/general", {A}),
    ("reading settings", "/admin/settings/reading", {A}),
    ("discussion settings", "/admin/settings/discussion", {A}),
    ("list users", "/admin/users/", {A}),
    ("add users", "/admin/users/new", {A}),
    ("privacy tools", "/admin/privacy/", {A}),
]


@pytest.fixture
def as_role(client, create_user, create_post):
    """Log in a user of the given role (subscribers cannot log in: their session is set)."""

    def _as(role):
        other = create_user("other", role=Role.ADMINISTRATOR)
        user = create_user(f"{role}-user", role=role)
        ids = {
            "own_draft": create_post("Mine", status=PostStatus.DRAFT, author=user).id,
            "own_published": create_post("Mine live", author=user).id,
            "other": create_post("Theirs", author=other).id,
        }
        if role == S:
            with client.session_transaction() as session:
                session["_user_id"] = str(user.id)
                session["_fresh"] = True
        else:
            assert login(client, user.username).status_code == 302
        return ids

    return _as


@pytest.mark.parametrize("role", [A, E, AU, C, S])
def test_role_matrix(client, as_role, role):
    """Each role against every row of MATRIX (one login per role keeps this fast)."""
    ids = as_role(role)
    wrong = []
    for action, url, allowed in MATRIX:
        response = client.get(url.format(**ids))
        html = response.get_data(as_text=True)
        if role in allowed:
            ok = response.status_code == 200 and "not allowed" not in html
        else:
            ok = (
                response.status_code == 403
                and "Sorry, you are not allowed to access this page." in html
            )
        if not ok:
            wrong.append((action, response.status_code))
    assert wrong == []


@pytest.mark.parametrize("url", [m[1] for m in MATRIX if "{" not in m[1]])
def test_anonymous_goes_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login?next=")


@pytest.mark.parametrize(
    "role, menu",
    [
        (A, ["Posts", "Media", "Pages", "Comments", "Categories", "Users", "Privacy", "Settings"]),
        (E, ["Posts", "Media", "Pages", "Comments", "Categories"]),
        (AU, ["Posts", "Media"]),
        (C, ["Posts"]),
    ],
)
def test_menu_shows_only_what_the_role_may_use(client, as_role, role, menu):
    as_role(role)
    html = client.get("/admin/").get_data(as_text=True)
    nav = html.split('aria-label="Admin menu"')[1].split("</nav>")[0]
    for entry in [
        "Posts",
        "Media",
        "Pages",
        "Comments",
        "Categories",
        "Users",
        "Privacy",
        "Settings",
    ]:
        assert (f">{entry}</a>" in nav) == (entry in menu), entry


def test_contributor_cannot_publish(client, as_role, db):
    from test_admin_support import editor_fields, post_form

    from app.models import Post

    as_role(C)
    page = client.get("/admin/posts/new").get_data(as_text=True)
    assert 'value="published"' not in page and "Submit for Review" in page
    response = post_form(
        client, "/admin/posts/new", data=editor_fields(title="Try", status="published")
    )
    assert "Not a valid choice" in response.get_data(as_text=True)
    response = post_form(
        client, "/admin/posts/new", data=editor_fields(title="Try", action="publish")
    )
    assert response.status_code == 302
    post = db.session.execute(select(Post).filter_by(title="Try")).scalar_one()
    assert post.status == PostStatus.DRAFT  # the Publish button is not a contributor's
    response = post_form(
        client,
        f"/admin/posts/{post.id}/edit",
        data=editor_fields(title="Try", action="submit", version=str(post.version)),
    )
    assert "Post submitted for review." in client.get(response.headers["Location"]).text
    db.session.refresh(post)
    assert post.status == PostStatus.PENDING


POST_MATRIX = [
    ("moderate comments", "/admin/comments/moderate", {A, E}),
    ("save someone else's post", "/admin/posts/{other}/edit", {A, E}),
    ("save a new page", "/admin/pages/new", {A, E}),
    ("upload media", "/admin/media/new", {A, E, AU}),
    ("save settings", "/admin/settings/general", {A}),
    ("add a user", "/admin/users/new", {A}),
    ("change a role", "/admin/users/{other_user}/role", {A}),
    ("export personal data", "/admin/privacy/", {A}),
]


@pytest.mark.parametrize("role", [A, E, AU, C, S])
def test_role_matrix_for_posts(client, as_role, db, role):
    """State-changing requests are refused by role too, not only the pages showing the forms."""
    ids = as_role(role)
    ids["other_user"] = db.session.execute(
        select(User.id).where(User.username == "other")
    ).scalar_one()
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    wrong = []
    for action, url, allowed in POST_MATRIX:
        response = client.post(url.format(**ids), data={"csrf_token": token, "role": "editor"})
        if (response.status_code == 403) == (role in allowed):
            wrong.append((action, response.status_code))
    assert wrong == []

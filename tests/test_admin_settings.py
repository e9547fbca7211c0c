"""Settings (General, Reading, Discussion), Users and the Privacy tools."""

from __future__ import annotations

import json
import re

from conftest import csrf_token
from sqlalchemy import select
from test_admin_support import (
    login,
    post_form,
)

from app.models import (
    Activity,
    Comment,
    Identity,
    Post,
    PostType,
    Role,
    Subscription,
    User,
)
from app.settings import DEFAULTS, get_setting


def _admin(client, create_user):
    user = create_user("alice")
    assert login(client, "alice").status_code == 302
    return user


GENERAL = {
    "blogname": "My Notes",
    "blogdescription": "Thoughts",
    "site_url": "https://notes.example",
    "timezone": "Europe/Paris",
    "date_format": "%d/%m/%Y",
    "time_format": "%H:%M",
    "posts_per_page": "5",
}


def test_general_settings_are_saved_and_used(client, create_user, app):
    _admin(client, create_user)
    page = client.get("/admin/settings/general").get_data(as_text=True)
    assert 'value="Quire"' in page and 'value="UTC"' in page
    response = post_form(client, "/admin/settings/general", data=GENERAL)
    assert "Settings saved." in client.get(response.headers["Location"]).text
    with app.test_request_context():
        assert get_setting("timezone") == "Europe/Paris" and get_setting("posts_per_page") == 5
    assert "My Notes" in client.get("/").get_data(as_text=True)


def test_unknown_timezone_is_refused_and_the_form_kept(client, create_user, app):
    _admin(client, create_user)
    response = post_form(
        client, "/admin/settings/general", data={**GENERAL, "timezone": "Mars/Olympus"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“Mars/Olympus” is not a known time zone" in html
    assert 'value="My Notes"' in html and 'value="Mars/Olympus"' in html
    with app.test_request_context():
        assert get_setting("blogname") == "Quire"  # nothing stored half-way


def test_bad_numbers_and_urls_are_refused(client, create_user):
    _admin(client, create_user)
    response = post_form(
        client,
        "/admin/settings/general",
        data={**GENERAL, "posts_per_page": "0", "site_url": "notes.example"},
    )
    html = response.get_data(as_text=True)
    assert "Number must be between 1 and 100." in html
    assert "Enter an address starting with http:// or https://." in html


def test_reading_front_page(client, create_user, create_post, app):
    _admin(client, create_user)
    about = create_post("About", post_type=PostType.PAGE)
    response = post_form(
        client, "/admin/settings/reading", data={"show_on_front": "page", "page_on_front": "0"}
    )
    assert "Choose a published page to show on the front page." in response.text
    post_form(
        client,
        "/admin/settings/reading",
        data={"show_on_front": "page", "page_on_front": str(about.id)},
    )
    with app.test_request_context():
        assert (get_setting("show_on_front"), get_setting("page_on_front")) == ("page", about.id)


def test_discussion_has_every_rule_with_wordpress_defaults(client, create_user, app):
    _admin(client, create_user)
    page = client.get("/admin/settings/discussion").get_data(as_text=True)
    keys = list(DEFAULTS)
    for key in keys[keys.index("default_comment_status") : keys.index("avatar_source") + 1]:
        assert f'name="{key}"' in page, key
    assert re.search(r'<input checked id="require_name_email"[^>]*type="checkbox"', page)
    assert not re.search(r'<input checked id="comment_moderation"', page)
    assert re.search(r'<input[^>]*name="comment_max_links"[^>]*value="2"', page)
    data = {
        "default_comment_status": "y",
        "close_comments_days_old": "30",
        "thread_comments": "y",
        "thread_comments_depth": "3",
        "comment_moderation": "y",
        "comment_max_links": "1",
        "moderation_keys": "casino\nviagra",
        "disallowed_keys": "",
        "comment_flood_seconds": "20",
        "comment_edit_minutes": "10",
        "avatar_source": "local",
        "providers_order": "",
    }
    post_form(client, "/admin/settings/discussion", data=data)
    with app.test_request_context():
        assert get_setting("comment_moderation") is True
        assert get_setting("require_name_email") is False  # unchecked box
        assert get_setting("moderation_keys") == "casino\nviagra"
        assert get_setting("avatar_source") == "local"
        assert get_setting("default_comment_status") == "open"


def test_providers_order_accepts_only_known_names(client, create_user, app):
    from app.auth.providers import REGISTRY

    _admin(client, create_user)
    base = {
        "close_comments_days_old": "14",
        "thread_comments_depth": "5",
        "comment_max_links": "2",
        "comment_flood_seconds": "15",
        "comment_edit_minutes": "15",
        "avatar_source": "gravatar",
    }
    response = post_form(
        client, "/admin/settings/discussion", data={**base, "providers_order": "myspace"}
    )
    assert "Unknown provider: myspace." in response.get_data(as_text=True)
    names = list(REGISTRY)[::-1][:2]
    if names:
        post_form(
            client,
            "/admin/settings/discussion",
            data={**base, "providers_order": ", ".join(n.upper() for n in names)},
        )
        with app.test_request_context():
            assert get_setting("providers_order") == names


def test_create_user_change_role_and_errors(client, create_user, db):
    _admin(client, create_user)
    data = {
        "username": "newbie",
        "email": "new@example.org",
        "display_name": "New",
        "password": "long enough pw",
        "role": "author",
    }
    response = post_form(client, "/admin/users/new", data=data)
    assert "User newbie added." in client.get(response.headers["Location"]).text
    user = db.session.execute(select(User).filter_by(username="newbie")).scalar_one()
    assert user.role == Role.AUTHOR and user.check_password("long enough pw")
    again = post_form(client, "/admin/users/new", data={**data, "email": "x@example.org"})
    assert "This username is already taken." in again.get_data(as_text=True)
    short = post_form(
        client, "/admin/users/new", data={**data, "username": "b", "password": "short"}
    )
    assert "Field must be between 8 and 1000 characters long." in short.text
    token = csrf_token(client.get("/admin/users/").get_data(as_text=True))
    client.post(f"/admin/users/{user.id}/role", data={"csrf_token": token, "role": "editor"})
    db.session.expire_all()
    assert db.session.get(User, user.id).role == Role.EDITOR
    assert login(client.application.test_client(), "newbie", "long enough pw").status_code == 302


def test_admin_cannot_demote_or_delete_themself(client, create_user, db):
    me = _admin(client, create_user)
    token = csrf_token(client.get("/admin/users/").get_data(as_text=True))
    response = client.post(
        f"/admin/users/{me.id}/role", data={"csrf_token": token, "role": "subscriber"}
    )
    assert "You cannot change your own role." in client.get(response.headers["Location"]).text
    db.session.expire_all()
    assert db.session.get(User, me.id).role == Role.ADMINISTRATOR


def test_delete_user_reassigns_posts(client, create_user, create_post, db):
    me = _admin(client, create_user)
    bob = create_user("bob", role=Role.AUTHOR)
    post = create_post("Bob's post", author=bob)
    page = client.get(f"/admin/users/{bob.id}/delete").get_data(as_text=True)
    missing = client.post(f"/admin/users/{bob.id}/delete", data={"csrf_token": csrf_token(page)})
    assert "Choose the user who will own this user&#39;s posts." in missing.text
    response = client.post(
        f"/admin/users/{bob.id}/delete",
        data={"csrf_token": csrf_token(page), "reassign": str(me.id)},
    )
    assert "1 post(s) now belong to alice." in client.get(response.headers["Location"]).text
    db.session.expire_all()
    assert db.session.execute(select(User).filter_by(username="bob")).first() is None
    assert db.session.get(Post, post.id).author_id == me.id


def _personal_data(db, create_post, create_comment):
    post = create_post()
    reader = User(username="reader", role=Role.SUBSCRIBER)
    ident = Identity(
        user=reader, provider="google", subject="g-1", name="Rita", email="Rita@Example.org"
    )
    db.session.add_all([reader, ident])
    db.session.commit()
    create_comment(post, "as a guest", email="rita@example.org", name="Rita R", ip="198.51.100.7")
    create_comment(post, "signed in", email="", identity=ident)
    create_comment(post, "someone else", email="other@example.org")
    db.session.add(Subscription(email="rita@example.org", kind="posts", token="t1"))
    db.session.commit()
    return post


def test_export_personal_data_as_json(client, create_user, create_post, create_comment, db):
    _admin(client, create_user)
    _personal_data(db, create_post, create_comment)
    response = post_form(
        client, "/admin/privacy/", data={"email": "RITA@example.org", "action": "export"}
    )
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.data)
    assert sorted(c["text"] for c in data["comments"]) == ["as a guest", "signed in"]
    assert data["comments"][0]["ip"] == "198.51.100.7"
    assert [i["provider"] for i in data["identities"]] == ["google"]
    assert [s["kind"] for s in data["subscriptions"]] == ["posts"]
    assert [a["username"] for a in data["accounts"]] == ["reader"]
    assert db.session.execute(select(Activity).filter_by(action="privacy.export")).first()


def test_erase_anonymises_comments(client, create_user, create_post, create_comment, db):
    _admin(client, create_user)
    post = _personal_data(db, create_post, create_comment)
    response = post_form(
        client,
        "/admin/privacy/",
        data={"email": "rita@example.org", "mode": "anonymise", "action": "erase"},
    )
    assert "2 comment(s) anonymised" in client.get(response.headers["Location"]).text
    db.session.expire_all()
    texts = {c.body_source: c for c in db.session.execute(select(Comment)).scalars()}
    assert texts["as a guest"].author_name == "Anonymous" and texts["as a guest"].ip == ""
    assert texts["signed in"].identity_id is None
    assert texts["someone else"].author_email == "other@example.org"
    assert db.session.execute(select(Identity)).first() is None
    assert db.session.execute(select(Subscription)).first() is None
    assert db.session.execute(select(User).filter_by(username="reader")).first() is None
    assert db.session.get(Post, post.id).comment_count == 3
    assert db.session.execute(select(Activity).filter_by(action="privacy.erase")).first()


def test_erase_can_remove_comments(client, create_user, create_post, create_comment, db):
    _admin(client, create_user)
    post = _personal_data(db, create_post, create_comment)
    post_form(
        client,
        "/admin/privacy/",
        data={"email": "rita@example.org", "mode": "remove", "action": "erase"},
    )
    db.session.expire_all()
    left = db.session.execute(select(Comment.body_source)).scalars().all()
    assert left == ["someone else"]
    assert db.session.get(Post, post.id).comment_count == 1


def test_privacy_needs_a_valid_email(client, create_user):
    _admin(client, create_user)
    response = post_form(client, "/admin/privacy/", data={"email": "nope", "action": "export"})
    assert response.status_code == 422 and "Invalid email address." in response.text


def test_erase_keeps_staff_accounts_and_says_so(
    client, create_user, create_post, create_comment, db
):
    _admin(client, create_user)
    create_user("rita-staff", role=Role.AUTHOR, email="rita@example.org")
    _personal_data(db, create_post, create_comment)
    response = post_form(
        client,
        "/admin/privacy/",
        data={"email": "rita@example.org", "mode": "anonymise", "action": "erase"},
    )
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 reader account(s)" in html and "1 staff account(s) kept" in html
    db.session.expire_all()
    assert db.session.execute(select(User).filter_by(username="rita-staff")).first() is not None

"""The editor: saving, slugs, statuses and dates, preview, revisions, conflicts, lost sessions."""

from __future__ import annotations

import re
from datetime import timedelta

from conftest import csrf_token
from sqlalchemy import select
from test_admin_support import (
    editor_fields,
    login,
    post_form,
)

from app.models import Activity, Post, PostStatus, Revision, Role, SlugRedirect, Taxonomy, Term
from app.models.base import utcnow


def _admin(client, create_user, role=Role.ADMINISTRATOR, name="alice"):
    user = create_user(name, role=role)
    assert login(client, name).status_code == 302
    return user


def _one(db, **filters) -> Post:
    return db.session.execute(select(Post).filter_by(**filters)).scalar_one()


def test_new_post_is_rendered_tagged_revised_and_logged(client, create_user, db):
    user = _admin(client, create_user)
    response = post_form(
        client,
        "/admin/posts/new",
        data=editor_fields(
            title="Ünïcode Café",
            body="Hello *world*",
            new_category="Travel notes",
            tags="coffee, Paris, coffee",
            action="publish",
        ),
    )
    assert response.status_code == 302
    post = _one(db, title="Ünïcode Café")
    assert post.slug == "unicode-cafe"
    assert post.content_html == "<p>Hello <em>world</em></p>\n"
    assert post.status == PostStatus.PUBLISHED and post.published_at <= utcnow()
    assert [t.name for t in post.categories] == ["Travel notes"]
    assert sorted(t.name for t in post.tags) == ["Paris", "coffee"]
    assert post.author_id == user.id
    assert [r.source for r in post.revisions] == ["Hello *world*"]
    assert db.session.execute(select(Activity.action).where(Activity.object_id == post.id)).all()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Post published." in page and 'value="Ünïcode Café"' in page
    # and the site shows it at its permalink
    site = client.get(f"/{post.published_at:%Y/%m/%d}/unicode-cafe/").get_data(as_text=True)
    assert "<em>world</em>" in site


def test_greek_title_keeps_its_letters_in_the_slug(client, create_user, db):
    _admin(client, create_user)
    post_form(client, "/admin/posts/new", data=editor_fields(title="Καλημέρα κόσμε"))
    assert _one(db, title="Καλημέρα κόσμε").slug == "καλημέρα-κόσμε"


def test_empty_title_is_allowed_and_shown_as_no_title(client, create_user, db):
    _admin(client, create_user)
    response = post_form(client, "/admin/posts/new", data=editor_fields(body="Just text"))
    assert response.status_code == 302
    post = _one(db, source="Just text")
    assert post.title == "" and post.slug == "post"
    assert "(no title)" in client.get("/admin/posts/").get_data(as_text=True)


def test_duplicate_slug_is_made_unique(client, create_user, create_post, db):
    _admin(client, create_user)
    create_post("Hello world")
    post_form(client, "/admin/posts/new", data=editor_fields(title="Hello world", body="two"))
    post_form(
        client, "/admin/posts/new", data=editor_fields(title="Other", slug="hello-world", body="3")
    )
    assert _one(db, source="two").slug == "hello-world-2"
    assert _one(db, source="3").slug == "hello-world-3"


def test_date_that_does_not_exist_keeps_the_text(client, create_user, db):
    _admin(client, create_user)
    response = post_form(
        client,
        "/admin/posts/new",
        data=editor_fields(title="Leap", body="My long text", published_at="2025-02-30T10:00"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“2025-02-30T10:00” is not a date that exists." in html
    assert "My long text" in html and 'value="Leap"' in html
    assert 'aria-describedby="published_at-error"' in html
    assert db.session.execute(select(Post)).first() is None


def test_unreadable_date_is_refused(client, create_user, db):
    _admin(client, create_user)
    response = post_form(
        client, "/admin/posts/new", data=editor_fields(title="X", published_at="next tuesday")
    )
    assert "is not a date: use YYYY-MM-DD HH:MM." in response.get_data(as_text=True)
    assert db.session.execute(select(Post)).first() is None


def test_preview_button_works_without_javascript(client, create_user, db):
    _admin(client, create_user)
    response = post_form(
        client,
        "/admin/posts/new",
        data=editor_fields(
            title="P", body="# Big\n\n<script>x()</script>\n\n**bold**", action="preview"
        ),
    )
    html = response.get_data(as_text=True)
    preview = html.split('id="preview-output">')[1].split("</section>")[0]
    assert "<h1>Big</h1>" in preview and "<strong>bold</strong>" in preview
    assert "<script>" not in preview
    assert db.session.execute(select(Post)).first() is None


def test_live_preview_endpoint_needs_the_token(client, create_user):
    _admin(client, create_user)
    token = csrf_token(client.get("/admin/posts/new").get_data(as_text=True))
    response = client.post("/admin/preview", data={"body": "*hi*"}, headers={"X-CSRFToken": token})
    assert response.get_json() == {"html": "<p><em>hi</em></p>\n"}
    assert client.post("/admin/preview", data={"body": "*hi*"}).status_code == 400


def test_scheduled_post_appears_when_its_time_comes(client, create_user, db):
    _admin(client, create_user)
    future = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = post_form(
        client,
        "/admin/posts/new",
        data=editor_fields(title="Later", body="Soon", published_at=future, action="publish"),
    )
    assert "Post scheduled." in client.get(response.headers["Location"]).get_data(as_text=True)
    post = _one(db, title="Later")
    assert post.status == PostStatus.SCHEDULED
    url = f"/{post.published_at:%Y/%m/%d}/later/"
    client.post("/admin/logout", data={"csrf_token": csrf_token(client.get("/admin/").text)})
    assert client.get(url).status_code == 404
    assert "Later" not in client.get("/").get_data(as_text=True)
    # time passes: the post is due (no cron job involved)
    post.published_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "Soon" in client.get(f"/{post.published_at:%Y/%m/%d}/later/").get_data(as_text=True)


def test_scheduled_without_date_is_refused(client, create_user, db):
    _admin(client, create_user)
    response = post_form(
        client, "/admin/posts/new", data=editor_fields(title="S", body="kept", status="scheduled")
    )
    html = response.get_data(as_text=True)
    assert "Choose a future date and time to schedule the post." in html and "kept" in html
    assert db.session.execute(select(Post)).first() is None


def _edit(client, post, **fields):
    url = f"/admin/posts/{post.id}/edit"
    page = client.get(url).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    when = post.published_at.strftime("%Y-%m-%dT%H:%M") if post.published_at else ""
    data = editor_fields(
        title=post.title,
        body=post.source,
        slug=post.slug,
        version=version,
        status=post.status,
        published_at=when,
    )
    data.update(fields)
    data["csrf_token"] = csrf_token(page)
    return client.post(url, data=data)


def test_stale_form_gets_a_conflict_and_nothing_is_overwritten(client, create_user, db):
    _admin(client, create_user)
    other = client.application.test_client()
    login(other, "alice")
    post_form(client, "/admin/posts/new", data=editor_fields(title="Shared", body="v1"))
    post = _one(db, title="Shared")
    url = f"/admin/posts/{post.id}/edit"
    page_a = client.get(url).get_data(as_text=True)
    page_b = other.get(url).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page_a).group(1)
    first = editor_fields(title="Shared", body="Alice's words", version=version)
    assert client.post(url, data={**first, "csrf_token": csrf_token(page_a)}).status_code == 302
    second = editor_fields(title="Shared", body="Bob's words", version=version)
    response = other.post(url, data={**second, "csrf_token": csrf_token(page_b)})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this post while you were editing" in html
    assert "Alice&#39;s words" in html and "Bob&#39;s words" in html
    db.session.expire_all()
    assert _one(db, id=post.id).source == "Alice's words"


def test_changing_a_published_slug_keeps_the_old_url(client, create_user, create_post, db):
    _admin(client, create_user)
    post = create_post("Old name", body="text")
    old_url = f"/{post.published_at:%Y/%m/%d}/old-name/"
    assert _edit(client, post, slug="new-name").status_code == 302
    assert db.session.execute(select(SlugRedirect.old_slug)).scalars().all() == ["old-name"]
    response = client.get(old_url)
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/new-name/")


def test_revisions_diff_and_restore(client, create_user, db):
    _admin(client, create_user)
    post_form(client, "/admin/posts/new", data=editor_fields(title="Rev", body="line one\n"))
    post = _one(db, title="Rev")
    _edit(client, post, body="line one changed\n<b>&</b>\n")
    revisions = (
        db.session.execute(
            select(Revision).where(Revision.post_id == post.id).order_by(Revision.id)
        )
        .scalars()
        .all()
    )
    assert [r.source for r in revisions] == ["line one\n", "line one changed\n<b>&</b>\n"]
    listing = client.get(f"/admin/posts/{post.id}/revisions").get_data(as_text=True)
    assert listing.count("Compare with current") == 2
    diff = client.get(f"/admin/revisions/{revisions[0].id}").get_data(as_text=True)
    assert 'class="diff"' in diff and "&lt;b&gt;&amp;&lt;/b&gt;" in diff and "<b>&</b>" not in diff
    token = csrf_token(diff)
    response = client.post(
        f"/admin/revisions/{revisions[0].id}/restore", data={"csrf_token": token}
    )
    assert response.status_code == 302
    db.session.expire_all()
    post = _one(db, id=post.id)
    assert post.source == "line one\n" and post.content_html == "<p>line one</p>\n"
    assert len(post.revisions) == 3


def test_autosave_creates_then_updates_a_draft(client, create_user, db):
    _admin(client, create_user)
    token = csrf_token(client.get("/admin/posts/new").get_data(as_text=True))
    headers = {"X-CSRFToken": token}
    first = client.post(
        "/admin/posts/autosave", data={"title": "Auto", "body": "typing"}, headers=headers
    ).get_json()
    post = _one(db, id=first["id"])
    assert post.status == PostStatus.DRAFT and post.source == "typing"
    second = client.post(
        first["autosave_url"],
        data={"title": "Auto", "body": "typing more", "version": first["version"]},
        headers=headers,
    )
    assert second.status_code == 200 and second.get_json()["version"] > first["version"]
    stale = client.post(
        first["autosave_url"],
        data={"title": "Auto", "body": "old tab", "version": first["version"]},
        headers=headers,
    )
    assert stale.status_code == 409
    db.session.expire_all()
    assert _one(db, id=post.id).source == "typing more"


def test_autosave_of_a_published_post_only_stores_a_revision(client, create_user, create_post, db):
    _admin(client, create_user)
    post = create_post("Live", body="public text")
    token = csrf_token(client.get(f"/admin/posts/{post.id}/edit").get_data(as_text=True))
    client.post(
        f"/admin/posts/{post.id}/autosave",
        data={"title": "Live", "body": "unfinished edit", "version": post.version},
        headers={"X-CSRFToken": token},
    )
    db.session.expire_all()
    post = _one(db, id=post.id)
    assert post.source == "public text"
    assert [r.source for r in post.revisions] == ["unfinished edit"]


def test_expired_session_keeps_the_text_and_saves_it_after_login(client, create_user, db):
    _admin(client, create_user)
    post_form(client, "/admin/posts/new", data=editor_fields(title="Draft", body="first"))
    post = _one(db, title="Draft")
    url = f"/admin/posts/{post.id}/edit"
    page = client.get(url).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    # the session is gone (cookie expired): same browser, no cookies
    client.delete_cookie("session")
    data = editor_fields(title="Draft", body="An hour of careful writing", version=version)
    response = client.post(url, data={**data, "csrf_token": csrf_token(page)})
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Your session has expired. Log in again and your changes will be saved." in html
    assert "An hour of careful writing" in html  # carried in a hidden field
    carry = re.search(r'id="carry" name="carry" type="hidden" value="([^"]*)"', html).group(1)
    import html as htmllib

    response = client.post(
        "/admin/login",
        data={
            "csrf_token": csrf_token(html),
            "username": "alice",
            "password": "correct horse battery",
            "carry": htmllib.unescape(carry),
            "carry_to": url,
        },
    )
    assert response.status_code == 302
    assert "Post draft saved." in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert _one(db, id=post.id).source == "An hour of careful writing"


def test_logged_out_in_another_tab_keeps_the_new_post(client, create_user, db):
    _admin(client, create_user)
    page = client.get("/admin/posts/new").get_data(as_text=True)
    client.post("/admin/logout", data={"csrf_token": csrf_token(page)})
    data = editor_fields(title="Fresh", body="not lost")
    response = client.post("/admin/posts/new", data={**data, "csrf_token": csrf_token(page)})
    assert response.status_code == 401 and "not lost" in response.get_data(as_text=True)
    assert db.session.execute(select(Post)).first() is None


def test_list_filters_counts_paging_and_bulk(client, create_user, create_post, create_term, db):
    _admin(client, create_user)
    news = create_term("News")
    bob = create_user("bob", role=Role.AUTHOR)
    create_post("Alpha news", terms=[news])
    create_post("Beta draft", status=PostStatus.DRAFT, author=bob)
    for i in range(22):
        create_post(f"Filler {i}", days_ago=40 + i)
    html = client.get("/admin/posts/").get_data(as_text=True)
    assert 'All <span class="count">(24)</span>' in html
    assert 'Draft <span class="count">(1)</span>' in html
    assert "Page 1 of 2" in html
    assert "Beta draft" in client.get("/admin/posts/?post_status=draft").text
    assert "Alpha news" not in client.get("/admin/posts/?post_status=draft").text
    by_cat = client.get(f"/admin/posts/?cat={news.id}").get_data(as_text=True)
    assert "Alpha news" in by_cat and "Filler 1<" not in by_cat
    by_author = client.get(f"/admin/posts/?author={bob.id}").get_data(as_text=True)
    assert "Beta draft" in by_author and "Alpha news" not in by_author
    assert "Alpha news" in client.get("/admin/posts/?s=alpha").text
    month = utcnow().strftime("%Y-%m")
    assert "Alpha news" in client.get(f"/admin/posts/?m={month}").text

    alpha, beta = _one(db, title="Alpha news"), _one(db, title="Beta draft")
    token = csrf_token(html)
    ids = {"post_ids": [alpha.id, beta.id], "csrf_token": token}
    client.post("/admin/posts/bulk", data={**ids, "bulk_action": "trash"})
    assert 'Trash <span class="count">(2)</span>' in client.get("/admin/posts/").text
    client.post("/admin/posts/bulk", data={**ids, "bulk_action": "restore"})
    client.post("/admin/posts/bulk", data={**ids, "bulk_action": "publish"})
    db.session.expire_all()
    assert {alpha.status, beta.status} == {PostStatus.PUBLISHED}
    client.post("/admin/posts/bulk", data={**ids, "bulk_action": "delete"})  # not in trash
    assert db.session.get(Post, alpha.id) is not None
    client.post("/admin/posts/bulk", data={**ids, "bulk_action": "trash"})
    client.post("/admin/posts/bulk", data={**ids, "bulk_action": "delete"})
    db.session.expire_all()
    assert db.session.execute(select(Post).where(Post.id.in_(ids["post_ids"]))).first() is None


def test_post_list_query_count_does_not_grow(
    client, create_user, create_post, create_term, count_queries
):
    _admin(client, create_user)
    tag = create_term("t", taxonomy=Taxonomy.TAG)
    create_post("One", terms=[tag])
    with count_queries() as few:
        client.get("/admin/posts/")
    for i in range(15):
        create_post(f"More {i}", terms=[tag])
    with count_queries() as many:
        client.get("/admin/posts/")
    assert len(many) == len(few)


def test_pages_with_parent_and_order(client, create_user, db):
    _admin(client, create_user)
    post_form(client, "/admin/pages/new", data=editor_fields(title="About", action="publish"))
    about = _one(db, title="About")
    post_form(
        client,
        "/admin/pages/new",
        data=editor_fields(
            title="Team", body="We", parent_id=str(about.id), menu_order="3", action="publish"
        ),
    )
    team = _one(db, title="Team")
    assert team.type == "page" and team.parent_id == about.id and team.menu_order == 3
    assert "We" in client.get("/about/team/").get_data(as_text=True)
    assert "Team" in client.get("/admin/pages/").get_data(as_text=True)


def test_inline_category_only_for_editors(client, create_user, db):
    _admin(client, create_user, role=Role.AUTHOR, name="writer2")
    post_form(client, "/admin/posts/new", data=editor_fields(title="A", new_category="Sneaky"))
    assert db.session.execute(select(Term).where(Term.name == "Sneaky")).first() is None


def test_row_trash_and_restore_buttons(client, create_user, create_post, db):
    _admin(client, create_user)
    post = create_post("Row action")
    html = client.get("/admin/posts/").get_data(as_text=True)
    assert f'name="do" value="trash:{post.id}"' in html
    client.post(
        "/admin/posts/bulk", data={"csrf_token": csrf_token(html), "do": f"trash:{post.id}"}
    )
    trash = client.get("/admin/posts/?post_status=trash").get_data(as_text=True)
    assert "Row action" in trash and f'value="restore:{post.id}"' in trash
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == PostStatus.TRASH


def test_dates_are_typed_in_the_site_time_zone(client, create_user, db):
    from app.settings import set_settings

    set_settings({"timezone": "Europe/Paris"})
    db.session.commit()
    _admin(client, create_user)
    post_form(
        client,
        "/admin/posts/new",
        data=editor_fields(title="TZ", published_at="2030-01-15T10:00", action="publish"),
    )
    post = _one(db, title="TZ")
    assert post.status == PostStatus.SCHEDULED
    assert post.published_at.strftime("%Y-%m-%d %H:%M") == "2030-01-15 09:00"  # UTC
    page = client.get(f"/admin/posts/{post.id}/edit").get_data(as_text=True)
    assert 'value="2030-01-15T10:00"' in page


def test_scripts_after_expiry_get_json_not_a_login_page(client, create_user):
    _admin(client, create_user)
    token = csrf_token(client.get("/admin/posts/new").get_data(as_text=True))
    client.delete_cookie("session")
    response = client.post(
        "/admin/posts/autosave", data={"title": "t", "body": "b"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 401
    assert "Your session has expired" in response.get_json()["error"]


def test_admin_templates_have_no_inline_script_or_handlers():
    """A strict Content-Security-Policy must fit: scripts only from files in static/."""
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "templates" / "admin"
    for path in folder.glob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path.name
        assert not re.search(r"\son[a-z]+\s*=", text), path.name
        assert "style=" not in text, path.name


def test_odd_numbers_never_break_a_page(client, create_user, create_post, db):
    _admin(client, create_user)
    post = create_post("Numbers")
    huge = "99999999999"
    assert client.get(f"/admin/posts/{huge}/edit").status_code == 404
    assert client.get(f"/admin/posts/?author={huge}&cat=²&paged=١").status_code == 200
    html = client.get("/admin/posts/").get_data(as_text=True)
    response = client.post(
        "/admin/posts/bulk",
        data={
            "csrf_token": csrf_token(html),
            "bulk_action": "trash",
            "post_ids": [huge, "²", str(post.id)],
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == PostStatus.TRASH
    response = post_form(
        client,
        "/admin/posts/new",
        data=editor_fields(title="Kept", body="typed", featured_media_id=huge, menu_order="9" * 15),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "typed" in html
    assert db.session.execute(select(Post).where(Post.title == "Kept")).first() is None


def test_editors_may_give_a_post_to_another_author(client, create_user, db):
    _admin(client, create_user, role=Role.EDITOR, name="ed")
    bob = create_user("bob", role=Role.AUTHOR)
    reader = create_user("reader", role=Role.SUBSCRIBER)
    page = client.get("/admin/posts/new").get_data(as_text=True)
    assert '<label for="author_id">Author</label>' in page and ">bob</option>" in page
    assert ">reader</option>" not in page
    post_form(client, "/admin/posts/new", data=editor_fields(title="Bob's", author_id=str(bob.id)))
    assert _one(db, title="Bob's").author_id == bob.id
    post_form(
        client, "/admin/posts/new", data=editor_fields(title="Reader's", author_id=str(reader.id))
    )
    assert _one(db, title="Reader's").author.username == "ed"  # only staff can be authors


def test_authors_cannot_give_posts_away(client, create_user, db):
    me = _admin(client, create_user, role=Role.AUTHOR, name="au")
    other = create_user("bob", role=Role.AUTHOR)
    assert 'name="author_id"' not in client.get("/admin/posts/new").get_data(as_text=True)
    post_form(client, "/admin/posts/new", data=editor_fields(title="Mine", author_id=str(other.id)))
    assert _one(db, title="Mine").author_id == me.id

"""Posts > Categories and Tags: add (unique slugs, parents), edit, delete, counts."""

from __future__ import annotations

from conftest import csrf_token
from sqlalchemy import select
from test_admin_support import (
    login,
    post_form,
)

from app.models import Post, Role, Taxonomy, Term


def _editor(client, create_user):
    create_user("ed", role=Role.EDITOR)
    assert login(client, "ed").status_code == 302


def _term(db, name) -> Term:
    db.session.expire_all()
    return db.session.execute(select(Term).where(Term.name == name)).scalar_one()


def test_add_categories_with_parent_and_unique_slugs(client, create_user, create_term, db):
    _editor(client, create_user)
    create_term("Travel")
    url = "/admin/terms/category/"
    response = post_form(client, url, data={"name": "Travel", "slug": "", "parent_id": "0"})
    assert "Category “Travel” added." in client.get(response.headers["Location"]).text
    slugs = db.session.execute(select(Term.slug).order_by(Term.id)).scalars().all()
    assert slugs == ["travel", "travel-2"]
    parent = db.session.execute(select(Term).where(Term.slug == "travel")).scalar_one()
    post_form(client, url, data={"name": "Île-de-France", "parent_id": str(parent.id)})
    child = _term(db, "Île-de-France")
    assert child.slug == "ile-de-france" and child.parent_id == parent.id
    html = client.get(url).get_data(as_text=True)
    assert "Île-de-France" in html and 'href="/category/travel/ile-de-france/"' in html


def test_empty_name_is_refused(client, create_user, db):
    _editor(client, create_user)
    response = post_form(
        client, "/admin/terms/category/", data={"name": "", "description": "kept text"}
    )
    assert response.status_code == 422
    assert "This field is required." in response.text and "kept text" in response.text
    assert db.session.execute(select(Term)).first() is None


def test_edit_rename_and_no_parent_loop(client, create_user, create_term, db):
    _editor(client, create_user)
    top = create_term("Top")
    sub = create_term("Sub", parent=top)
    url = f"/admin/terms/category/{top.id}"
    post_form(client, url, data={"name": "Top renamed", "slug": "top", "parent_id": str(sub.id)})
    top = _term(db, "Top renamed")
    assert top.slug == "top" and top.parent_id is None  # under its own child: refused


def test_delete_keeps_posts(client, create_user, create_term, create_post, db):
    _editor(client, create_user)
    tag = create_term("old-tag", taxonomy=Taxonomy.TAG)
    post = create_post("Tagged", terms=[tag])
    html = client.get("/admin/terms/post_tag/").get_data(as_text=True)
    assert f'href="/admin/posts/?cat={tag.id}">1</a>' in html
    response = client.post(
        f"/admin/terms/post_tag/{tag.id}",
        data={"csrf_token": csrf_token(html), "action": "delete"},
    )
    assert "Tag deleted" in client.get(response.headers["Location"]).text
    db.session.expire_all()
    assert db.session.execute(select(Term)).first() is None
    assert db.session.get(Post, post.id).terms == []


def test_unknown_taxonomy_is_not_found(client, create_user):
    _editor(client, create_user)
    assert client.get("/admin/terms/colour/").status_code == 404

"""Commands: seed-demo (idempotent) and create-admin (options, prompts, clear failures)."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.models import Activity, Comment, Media, Post, PostType, Role, Term, User
from app.models.base import Base, utcnow


def row_counts(db) -> dict[str, int]:
    """Rows in every table."""
    return {
        table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in Base.metadata.sorted_tables
    }


@pytest.fixture
def runner(app):
    """Runs `flask --app app ...` commands against the test app."""
    return app.test_cli_runner()


def test_seed_demo_creates_a_blog_and_is_idempotent(app, db, runner, client):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "new item(s)" in first.output
    after_first = row_counts(db)
    assert after_first["posts"] >= 4 and after_first["comments"] >= 3

    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert second.output.strip() == "demo content already present"
    db.session.expire_all()
    assert row_counts(db) == after_first


def test_seed_demo_content_is_what_the_issue_asks_for(app, db, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    posts = db.session.execute(select(Post).where(Post.type == PostType.POST)).scalars().all()
    pages = db.session.execute(select(Post).where(Post.type == PostType.PAGE)).scalars().all()
    assert len(posts) >= 3 and len(pages) >= 1
    featured = [p for p in posts if p.featured_media_id]
    assert featured and all(p.featured_caption for p in featured)
    media = db.session.get(Media, featured[0].featured_media_id)
    assert (Path(app.config["UPLOAD_FOLDER"]) / media.filename).is_file()
    terms = db.session.execute(select(Term)).scalars().all()
    assert any(t.is_category for t in terms) and any(not t.is_category for t in terms)
    replies = db.session.execute(select(Comment).where(Comment.parent_id.is_not(None))).scalars()
    assert list(replies), "the demo has a threaded conversation"
    # And the home page shows it.
    html = client.get("/").get_data(as_text=True)
    visible = [p for p in posts if p.is_visible(utcnow())]
    assert visible
    for post in visible[:10]:
        assert str(escape(post.title)) in html


def test_create_admin_with_options(db, runner):
    result = runner.invoke(
        args=[
            "create-admin",
            "--username",
            "root",
            "--email",
            "root@example.org",
            "--password",
            "a long passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "created administrator root"
    user = db.session.execute(select(User).where(User.username == "root")).scalar_one()
    assert user.role == Role.ADMINISTRATOR
    assert user.email == "root@example.org"
    assert user.check_password("a long passphrase")
    assert not user.check_password("wrong")
    actions = db.session.execute(select(Activity.action)).scalars().all()
    assert "user.create-admin" in actions


def test_create_admin_prompts_for_what_is_missing(db, runner):
    result = runner.invoke(
        args=["create-admin", "--username", "ada"],
        input="ada@example.org\nsecret passphrase\nsecret passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Email:" in result.output and "Password:" in result.output
    assert "secret passphrase" not in result.output  # hidden input
    user = db.session.execute(select(User).where(User.username == "ada")).scalar_one()
    assert user.check_password("secret passphrase")


def test_create_admin_prompts_for_everything(db, runner):
    result = runner.invoke(
        args=["create-admin"],
        input="grace\ngrace@example.org\nanother passphrase\nanother passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Username:" in result.output
    assert db.session.execute(select(User).where(User.username == "grace")).scalar_one()


def test_create_admin_twice_updates_instead_of_duplicating(db, runner):
    args = ["create-admin", "--username", "root", "--email", "a@example.org"]
    assert runner.invoke(args=[*args, "--password", "first password"]).exit_code == 0
    again = runner.invoke(
        args=["create-admin", "--username", "root", "--email", "b@example.org",
              "--password", "second password"]
    )  # fmt: skip
    assert again.exit_code == 0
    assert again.output.strip() == "updated administrator root"
    users = db.session.execute(select(User)).scalars().all()
    assert len(users) == 1
    assert users[0].email == "b@example.org" and users[0].check_password("second password")


def test_create_admin_promotes_an_existing_user(db, runner, create_user):
    create_user("sam", role=Role.SUBSCRIBER)
    result = runner.invoke(
        args=["create-admin", "--username", "sam", "--email", "sam@example.org",
              "--password", "good password"]
    )  # fmt: skip
    assert result.exit_code == 0
    db.session.expire_all()
    sam = db.session.execute(select(User).where(User.username == "sam")).scalar_one()
    assert sam.role == Role.ADMINISTRATOR


@pytest.mark.parametrize(
    "username,email,password,reason",
    [
        ("root", "not-an-email", "long enough pw", "the e-mail address is not valid"),
        ("root", "root@example.org", "short", "the password must be at least 8 characters"),
        ("   ", "root@example.org", "long enough pw", "the username must be 1 to 60 characters"),
        ("x" * 61, "root@example.org", "long enough pw", "the username must be 1 to 60"),
    ],
)
def test_create_admin_refuses_bad_input_with_one_line(db, runner, username, email, password,
                                                      reason):  # fmt: skip
    result = runner.invoke(
        args=["create-admin", "--username", username, "--email", email, "--password", password]
    )
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ") and reason in lines[0]
    assert "Traceback" not in result.output
    assert db.session.execute(select(func.count(User.id))).scalar_one() == 0


def test_create_admin_mismatched_password_confirmation_asks_again(db, runner):
    result = runner.invoke(
        args=["create-admin", "--username", "kim", "--email", "kim@example.org"],
        input="first secret\nother secret\nfirst secret\nfirst secret\n",
    )
    assert result.exit_code == 0, result.output
    assert "The two entered values do not match." in result.output
    kim = db.session.execute(select(User).where(User.username == "kim")).scalar_one()
    assert kim.check_password("first secret")

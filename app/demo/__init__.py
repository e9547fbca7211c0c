"""Original demo content for a new site: posts, pages, a featured image and a conversation.

Every item is looked up by its slug before it is added, so seeding twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.content import render_comment, render_post
from app.demo.content import AUTHOR, CATEGORIES, COMMENTS, PAGES, POSTS, TAGS
from app.demo.image import draw_harbour
from app.extensions import db
from app.models import (
    Comment,
    CommentStatus,
    Media,
    Post,
    PostStatus,
    PostType,
    Role,
    Taxonomy,
    Term,
    User,
)
from app.models.base import utcnow


def _author() -> User:
    user = db.session.execute(
        select(User).where(User.username == AUTHOR["username"])
    ).scalar_one_or_none()
    if user is None:
        user = User(role=Role.AUTHOR, **AUTHOR)
        db.session.add(user)
        db.session.flush()
    return user


def _terms() -> dict[str, Term]:
    found: dict[str, Term] = {}
    for taxonomy, rows in ((Taxonomy.CATEGORY, CATEGORIES), (Taxonomy.TAG, TAGS)):
        for slug, name, parent in rows:
            term = db.session.execute(
                select(Term).where(Term.taxonomy == taxonomy, Term.slug == slug)
            ).scalar_one_or_none()
            if term is None:
                term = Term(taxonomy=taxonomy, slug=slug, name=name, description="")
                term.parent = found.get(parent) if parent else None
                db.session.add(term)
            found[slug] = term
    db.session.flush()
    return found


def _featured_image() -> Media:
    filename = "demo/harbour-morning.jpg"
    media = db.session.execute(select(Media).where(Media.filename == filename)).scalar_one_or_none()
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    target = folder / filename
    if media is None or not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        width, height, size = draw_harbour(target)
        if media is None:
            media = Media(filename=filename, original_name="harbour-morning.jpg")
            db.session.add(media)
        media.mime_type, media.width, media.height, media.size_bytes = (
            "image/jpeg",
            width,
            height,
            size,
        )
        media.alt_text = "Fishing boats moored in a calm harbour under an orange morning sky"
        media.caption = "The harbour at half past six, before the market opens."
        db.session.flush()
    return media


def _existing(post_type: str, slug: str) -> Post | None:
    return db.session.execute(
        select(Post).where(Post.type == post_type, Post.slug == slug)
    ).scalar_one_or_none()


def seed_demo() -> int:
    """Add whatever part of the demo content is missing; returns how many items were added."""
    added = 0
    author = _author()
    terms = _terms()
    image = _featured_image()
    now = utcnow()
    posts: dict[str, Post] = {}
    for index, spec in enumerate(POSTS):
        post = _existing(PostType.POST, spec["slug"])
        if post is None:
            post = Post(
                type=PostType.POST,
                slug=spec["slug"],
                title=spec["title"],
                source=spec["source"],
                content_html=render_post(spec["source"]),
                excerpt=spec.get("excerpt", ""),
                status=PostStatus.PUBLISHED,
                published_at=now - timedelta(days=spec["days_ago"], hours=index),
                author=author,
                sticky=spec.get("sticky", False),
                terms=[terms[s] for s in spec["terms"]],
            )
            if spec.get("featured"):
                post.featured_media = image
                post.featured_caption = image.caption
                post.featured_alt = image.alt_text
            db.session.add(post)
            added += 1
        posts[spec["slug"]] = post
    pages: dict[str, Post] = {}
    for spec in PAGES:
        page = _existing(PostType.PAGE, spec["slug"])
        if page is None:
            page = Post(
                type=PostType.PAGE,
                slug=spec["slug"],
                title=spec["title"],
                source=spec["source"],
                content_html=render_post(spec["source"]),
                status=PostStatus.PUBLISHED,
                published_at=now - timedelta(days=30),
                author=author,
                menu_order=spec.get("order", 0),
                comment_status="closed",
                parent=pages.get(spec.get("parent", "")),
            )
            db.session.add(page)
            added += 1
        pages[spec["slug"]] = page
    db.session.flush()
    added += _seed_comments(posts, now)
    db.session.commit()
    return added


def _seed_comments(posts: dict[str, Post], now) -> int:
    added = 0
    for post_slug, thread in COMMENTS.items():
        post = posts[post_slug]
        has_comments = db.session.execute(
            select(Comment.id).where(Comment.post_id == post.id).limit(1)
        ).first()
        if has_comments:
            continue
        by_key: dict[str, Comment] = {}
        for minutes, (key, parent, name, url, body, status) in enumerate(thread):
            comment = Comment(
                post=post,
                parent=by_key.get(parent),
                author_name=name,
                author_email=f"{key}@example.org",
                author_url=url,
                body_source=body,
                body_html=render_comment(body),
                status=status,
                ip="192.0.2.10",
                created_at=now - timedelta(hours=20) + timedelta(minutes=17 * minutes),
            )
            db.session.add(comment)
            by_key[key] = comment
            added += 1
        post.comment_count = sum(1 for row in thread if row[5] == CommentStatus.APPROVED)
    return added

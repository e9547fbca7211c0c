"""Editor services: saving posts and pages (slug, status, date, terms, revision, redirect).

A save renders content_html once, stores a Revision, logs the change and commits. A form
built on an older version of the post is refused (EditConflict), never merged silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.orm.exc import StaleDataError

from app.admin.permissions import can
from app.content import render_post, slugify, unique_slug
from app.extensions import db
from app.models import (
    Media,
    Post,
    PostStatus,
    PostType,
    Revision,
    SlugRedirect,
    Taxonomy,
    Term,
    User,
    log_activity,
)
from app.models.base import utcnow
from app.templating import site_zone

_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")


class EditConflict(Exception):
    """The post changed since the form was opened; `post` holds the saved version."""

    def __init__(self, post: Post) -> None:
        super().__init__("edit conflict")
        self.post = post


class InvalidDate(ValueError):
    """A publish date that cannot be read or does not exist."""


@dataclass
class PostInput:
    """What the editor form sent, already shaped."""

    title: str = ""
    slug: str = ""
    body: str = ""
    excerpt: str = ""
    status: str = PostStatus.DRAFT
    published_at: datetime | None = None
    category_ids: list[int] = field(default_factory=list)
    new_category: str = ""
    tags: list[str] = field(default_factory=list)
    featured_media_id: int | None = None
    featured_caption: str = ""
    featured_alt: str = ""
    comments_open: bool = True
    sticky: bool = False
    parent_id: int | None = None
    menu_order: int = 0
    version: int | None = None
    author_id: int | None = None


def parse_local_datetime(text: str) -> datetime | None:
    """'YYYY-MM-DD HH:MM' in the site's time zone -> aware datetime; '' -> None."""
    if not text or not text.strip():
        return None
    match = _DATE_RE.match(text)
    if not match:
        raise InvalidDate(f"“{text.strip()}” is not a date: use YYYY-MM-DD HH:MM.")
    y, mo, d, h, mi, s = (int(p) if p else 0 for p in match.groups())
    try:
        return datetime(y, mo, d, h, mi, s, tzinfo=site_zone())
    except ValueError as exc:
        raise InvalidDate(
            f"“{text.strip()}” is not a date that exists. Check the day and month."
        ) from exc


def format_local_datetime(value: datetime | None) -> str:
    """An aware datetime as the editor's 'YYYY-MM-DDTHH:MM' in the site's time zone."""
    if value is None:
        return ""
    return value.astimezone(site_zone()).strftime("%Y-%m-%dT%H:%M")


def split_tags(text: str) -> list[str]:
    """Comma-separated tag names, trimmed, without duplicates."""
    seen, names = set(), []
    for part in (text or "").split(","):
        name = " ".join(part.split())[:200]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def allowed_statuses(user: User) -> list[str]:
    """Statuses the user may choose in the editor."""
    if can(user, "posts.publish"):
        return [
            PostStatus.DRAFT,
            PostStatus.PENDING,
            PostStatus.SCHEDULED,
            PostStatus.PUBLISHED,
            PostStatus.PRIVATE,
        ]
    return [PostStatus.DRAFT, PostStatus.PENDING]


def resolve_status(
    status: str, when: datetime | None, now: datetime
) -> tuple[str, datetime | None]:
    """WordPress's rule: a future date schedules, a past date publishes."""
    if status in (PostStatus.PUBLISHED, PostStatus.SCHEDULED):
        if when is None:
            if status == PostStatus.SCHEDULED:
                raise InvalidDate("Choose a future date and time to schedule the post.")
            return PostStatus.PUBLISHED, now
        return (PostStatus.SCHEDULED if when > now else PostStatus.PUBLISHED), when
    if status == PostStatus.PRIVATE:
        return status, when or now
    return status, when


def _slug_taken(post: Post):
    def taken(candidate: str) -> bool:
        stmt = select(
            exists().where(Post.type == post.type, Post.slug == candidate, Post.id != post.id)
        )
        if post.id is None:
            stmt = select(exists().where(Post.type == post.type, Post.slug == candidate))
        return bool(db.session.execute(stmt).scalar())

    return taken


def assign_slug(post: Post, wanted: str, title: str) -> None:
    """The typed slug, else the current one, else one made from the title; always unique."""
    base = slugify(wanted) if wanted.strip() else post.slug or slugify(title)
    post.slug = unique_slug(base or "", _slug_taken(post), fallback=post.type)


def _find_or_create_term(taxonomy: str, name: str) -> Term:
    slug = slugify(name) or name.strip().lower()
    term = db.session.execute(
        select(Term).where(Term.taxonomy == taxonomy, Term.slug == slug)
    ).scalar_one_or_none()
    if term is None:
        term = Term(taxonomy=taxonomy, name=name.strip(), slug=slug)
        db.session.add(term)
    return term


def _set_terms(post: Post, data: PostInput, user: User) -> None:
    categories = []
    if data.category_ids:
        categories = list(
            db.session.execute(
                select(Term).where(
                    Term.taxonomy == Taxonomy.CATEGORY, Term.id.in_(data.category_ids)
                )
            ).scalars()
        )
    if data.new_category.strip() and can(user, "categories.manage"):
        term = _find_or_create_term(Taxonomy.CATEGORY, data.new_category)
        if term not in categories:
            categories.append(term)
    tags = [_find_or_create_term(Taxonomy.TAG, name) for name in data.tags]
    post.terms = categories + tags


def _valid_parent(post: Post, parent_id: int | None) -> int | None:
    """A page parent that exists and would not make a loop."""
    if not parent_id or post.type != PostType.PAGE:
        return None
    page = db.session.get(Post, parent_id)
    seen = set()
    while page is not None and page.id not in seen:
        if post.id is not None and page.id == post.id:
            return None
        seen.add(page.id)
        page = page.parent
    found = db.session.get(Post, parent_id)
    return found.id if found is not None and found.type == PostType.PAGE else None


def _remember_old_slug(post: Post, old_slug: str) -> None:
    """The old URL of a published post keeps answering, with a 301 to the new one."""
    db.session.execute(
        delete(SlugRedirect).where(
            SlugRedirect.post_type == post.type,
            SlugRedirect.old_slug.in_([old_slug, post.slug]),
        )
    )
    db.session.add(SlugRedirect(post_type=post.type, old_slug=old_slug, post_id=post.id))


def add_revision(post: Post, user: User) -> Revision:
    """Store a copy of the post's text as it is now."""
    revision = Revision(
        post=post, author_id=user.id, title=post.title, source=post.source, excerpt=post.excerpt
    )
    db.session.add(revision)
    return revision


def save_post(user: User, post: Post | None, data: PostInput, post_type: str) -> Post:
    """Create or update a post or page from editor input, with a revision; commits."""
    is_new = post is None
    if post is None:
        post = Post(type=post_type, author_id=user.id, slug="")
    elif data.version is not None and data.version != post.version:
        raise EditConflict(post)
    if data.status not in allowed_statuses(user):
        data.status = PostStatus.PENDING if data.status != PostStatus.DRAFT else data.status
    status, when = resolve_status(data.status, data.published_at, utcnow())
    was_public = not is_new and post.status == PostStatus.PUBLISHED
    old_slug = post.slug

    post.title = data.title.strip()
    post.source = data.body
    post.content_html = render_post(data.body)
    post.excerpt = data.excerpt.strip()
    post.status = status
    post.published_at = when
    media = db.session.get(Media, data.featured_media_id) if data.featured_media_id else None
    post.featured_media_id = media.id if media is not None else None
    post.featured_caption = data.featured_caption.strip()
    post.featured_alt = data.featured_alt.strip()
    post.comment_status = "open" if data.comments_open else "closed"
    post.sticky = bool(data.sticky) and post.type == PostType.POST
    post.parent_id = _valid_parent(post, data.parent_id)
    post.menu_order = data.menu_order or 0
    if data.author_id and can(user, "posts.edit_others"):
        author = db.session.get(User, data.author_id)
        if author is not None and author.is_staff:
            post.author_id = author.id
    if is_new:
        db.session.add(post)
    assign_slug(post, data.slug, post.title)
    _set_terms(post, data, user)
    try:
        db.session.flush()
        if was_public and old_slug and old_slug != post.slug:
            _remember_old_slug(post, old_slug)
        add_revision(post, user)
        log_activity(user.id, "post.create" if is_new else "post.update", post, post.status)
        db.session.commit()
    except StaleDataError as exc:
        # Someone saved between our read and our write: same answer as a stale form.
        db.session.rollback()
        current = db.session.get(Post, post.id)
        raise EditConflict(current) from exc
    return post


def autosave(
    user: User,
    post: Post | None,
    title: str,
    body: str,
    excerpt: str,
    version: int | None,
    post_type: str,
) -> Post:
    """Save typed text while writing: drafts are updated, published posts get a revision only."""
    if post is None:
        return save_post(user, None, PostInput(title=title, body=body, excerpt=excerpt), post_type)
    if post.status in (PostStatus.DRAFT, PostStatus.PENDING):
        if version is not None and version != post.version:
            raise EditConflict(post)
        post.title, post.source, post.excerpt = title.strip(), body, excerpt.strip()
        post.content_html = render_post(body)
        if not post.slug:
            assign_slug(post, "", post.title)
    revision = add_revision(post, user)
    revision.title, revision.source, revision.excerpt = title.strip(), body, excerpt.strip()
    log_activity(user.id, "post.autosave", post)
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise EditConflict(db.session.get(Post, post.id)) from exc
    return post

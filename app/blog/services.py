"""Queries of the reading side. Each page makes a fixed, small number of queries.

A list of posts is one query (author and featured image joined) plus one for their terms;
a post page adds one query for all its approved comments, threaded in Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask_login import current_user
from sqlalchemy import Select, extract, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Comment, CommentStatus, Post, PostType, SlugRedirect, Term, User
from app.models.base import utcnow
from app.settings import site_settings
from app.templating import local_time, site_zone


@dataclass
class Page:
    """One page of a paged list."""

    items: list
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        """True when there is a newer page."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """True when there is an older page."""
        return self.number < self.pages


@dataclass
class CommentNode:
    """A comment with its replies, for threaded display."""

    comment: Comment
    depth: int
    children: list[CommentNode] = field(default_factory=list)


def viewer_is_staff() -> bool:
    """True when the reader is signed-in staff (who may see private posts)."""
    return bool(current_user.is_authenticated and getattr(current_user, "is_staff", False))


def _listing() -> Select:
    return select(Post).options(
        joinedload(Post.author), joinedload(Post.featured_media), selectinload(Post.terms)
    )


def visible(stmt: Select, post_type: str = PostType.POST) -> Select:
    """Restrict a query to posts (or pages) the current reader may see."""
    return stmt.where(Post.type == post_type, Post.visible_clause(utcnow(), viewer_is_staff()))


def paged_posts(where: list, number: int, per_page: int) -> Page | None:
    """Visible posts matching `where`, newest first (sticky first); None past the last page."""
    if number < 1:
        return None
    count_stmt = visible(select(func.count(Post.id))).where(*where)
    total = db.session.execute(count_stmt).scalar_one()
    page = Page([], number, per_page, total)
    if number > page.pages:
        return None
    stmt = (
        visible(_listing())
        .where(*where)
        .order_by(Post.sticky.desc(), Post.published_at.desc(), Post.id.desc())
        .limit(per_page)
        .offset((number - 1) * per_page)
    )
    page.items = list(db.session.execute(stmt).unique().scalars())
    return page


def search_clause(words: str) -> list:
    """Every word must appear in the title or the text (case-insensitive)."""
    clauses = []
    for word in words.split()[:10]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        clauses.append(
            or_(Post.title.ilike(pattern, escape="\\"), Post.source.ilike(pattern, escape="\\"))
        )
    return clauses


def date_range_clause(year: int, month: int | None = None, day: int | None = None) -> list:
    """published_at within a year, month or day of the site's time zone."""
    zone = site_zone()
    start = datetime(year, month or 1, day or 1, tzinfo=zone)
    if day:
        end = start + timedelta(days=1)
    elif month:
        end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    else:
        end = datetime(year + 1, 1, 1, tzinfo=zone)
    return [Post.published_at >= _as_utc(start), Post.published_at < _as_utc(end)]


def _as_utc(moment: datetime) -> datetime:
    """The moment in UTC; the first hours of year 1 east of UTC fall back to the earliest."""
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC)


def term_by_path(taxonomy: str, path: str) -> Term | None:
    """A category by its slug path (parent/child) or a tag by its slug."""
    slug = path.strip("/").split("/")[-1]
    term = db.session.execute(
        select(Term).where(Term.taxonomy == taxonomy, Term.slug == slug)
    ).scalar_one_or_none()
    if term is None or term.path != path.strip("/"):
        return None
    return term


def term_clause(term: Term) -> list:
    """Posts in the term (for a category, also in its child categories)."""
    ids = {term.id}
    if term.is_category:
        children = db.session.execute(
            select(Term.id, Term.parent_id).where(Term.taxonomy == term.taxonomy)
        ).all()
        grew = True
        while grew:
            new = {cid for cid, pid in children if pid in ids} - ids
            ids |= new
            grew = bool(new)
    return [Post.terms.any(Term.id.in_(ids))]


def user_by_username(username: str) -> User | None:
    """A user by login name."""
    return db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()


def post_by_permalink(year: int, month: int, day: int, slug: str) -> Post | None:
    """The visible post at /YYYY/MM/DD/slug/, or None (also for impossible dates)."""
    try:
        date(year, month, day)
    except ValueError:
        return None
    post = (
        db.session.execute(_listing().where(Post.type == PostType.POST, Post.slug == slug))
        .unique()
        .scalar_one_or_none()
    )
    if post is None or not post.is_visible(utcnow(), viewer_is_staff()):
        return None
    published = local_time(post.published_at)
    if published is None or (published.year, published.month, published.day) != (year, month, day):
        return None
    return post


def redirected_post(post_type: str, slug: str) -> Post | None:
    """The visible post that once had this slug (its old URL redirects with 301)."""
    post = db.session.execute(
        select(Post)
        .join(SlugRedirect, SlugRedirect.post_id == Post.id)
        .where(SlugRedirect.post_type == post_type, SlugRedirect.old_slug == slug)
    ).scalar_one_or_none()
    if post is None or not post.is_visible(utcnow(), viewer_is_staff()):
        return None
    return post


def visible_post_by_id(post_id: int) -> Post | None:
    """A visible post or page by id (for /?p=ID)."""
    post = db.session.get(Post, post_id)
    if post is None or not post.is_visible(utcnow(), viewer_is_staff()):
        return None
    return post


def front_page() -> Post | None:
    """The page shown at / when Settings > Reading says "Your homepage displays: a page".

    Decision: the latest posts then stay at /page/2/ onwards and in the archives (this
    engine has no separate "posts page" setting yet). A page that is not visible, or a
    setting that names no page, falls back to the latest posts.
    """
    settings = site_settings()
    page_id = settings.get("page_on_front")
    if settings.get("show_on_front") != "page" or not isinstance(page_id, int):
        return None
    page = visible_post_by_id(page_id)
    return page if page is not None and page.type == PostType.PAGE else None


def page_by_path(path: str) -> Post | None:
    """The visible page at /parent/child/, or None."""
    slug = path.strip("/").split("/")[-1]
    page = (
        db.session.execute(
            select(Post)
            .options(joinedload(Post.author), joinedload(Post.featured_media))
            .where(Post.type == PostType.PAGE, Post.slug == slug)
        )
        .unique()
        .scalar_one_or_none()
    )
    if page is None or not page.is_visible(utcnow(), viewer_is_staff()):
        return None
    if page.page_path != path.strip("/"):
        return None
    return page


def menu_pages() -> list[Post]:
    """Top-level published pages for the site's menu."""
    stmt = visible(select(Post), PostType.PAGE).where(Post.parent_id.is_(None))
    return list(db.session.execute(stmt.order_by(Post.menu_order, Post.title)).scalars())


def adjacent_posts(post: Post) -> tuple[Post | None, Post | None]:
    """The visible posts published just before and just after this one."""
    base = visible(select(Post)).where(Post.id != post.id)
    older = db.session.execute(
        base.where(Post.published_at <= post.published_at)
        .order_by(Post.published_at.desc(), Post.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    newer = db.session.execute(
        base.where(Post.published_at >= post.published_at)
        .order_by(Post.published_at, Post.id)
        .limit(1)
    ).scalar_one_or_none()
    if older is not None and newer is not None and older.id == newer.id:
        newer = None  # same instant: show it once
    return older, newer


def approved_comments(post: Post) -> list[Comment]:
    """All approved comments of a post, oldest first, with their authors: one query."""
    stmt = (
        select(Comment)
        .options(joinedload(Comment.user), joinedload(Comment.identity))
        .where(Comment.post_id == post.id, Comment.status == CommentStatus.APPROVED)
        .order_by(Comment.created_at, Comment.id)
    )
    return list(db.session.execute(stmt).unique().scalars())


def thread(comments: list[Comment], max_depth: int = 5) -> list[CommentNode]:
    """Arrange comments into threads; replies deeper than max_depth sit at the last level.

    A reply whose parent is not in the list (not approved, deleted) is shown at top level,
    so an approved comment is never hidden by its parent's fate.
    """
    nodes = {c.id: CommentNode(c, 1) for c in comments}
    roots: list[CommentNode] = []
    for comment in comments:
        node = nodes[comment.id]
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        while parent is not None and parent.depth >= max_depth:
            parent = nodes.get(parent.comment.parent_id) if parent.comment.parent_id else None
        if parent is None:
            roots.append(node)
        else:
            node.depth = parent.depth + 1
            parent.children.append(node)
    return roots


def archive_months() -> list[tuple[int, int, int]]:
    """(year, month, count) of visible posts, newest first, for the archive list."""
    year = extract("year", Post.published_at)
    month = extract("month", Post.published_at)
    stmt = (
        visible(select(year, month, func.count(Post.id)))
        .group_by(year, month)
        .order_by(year.desc(), month.desc())
    )
    return [(int(y), int(m), n) for y, m, n in db.session.execute(stmt)]

"""The Posts and Pages screens: filtered, paged lists, counts per status, bulk actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import extract, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.admin.permissions import can, can_edit_post
from app.blog.services import Page, search_clause
from app.extensions import db
from app.models import Post, PostStatus, User, log_activity, post_terms
from app.models.base import utcnow

PER_PAGE = 20


@dataclass
class PostFilters:
    """The list's filters, as in WordPress's Posts screen."""

    status: str = ""
    category: int | None = None
    author: int | None = None
    month: str = ""  # YYYY-MM
    text: str = ""

    def where(self) -> list:
        """SQL conditions for these filters."""
        clauses = []
        if self.status in PostStatus.ALL:
            clauses.append(Post.status == self.status)
        else:
            clauses.append(Post.status != PostStatus.TRASH)
        if self.category:
            clauses.append(
                Post.id.in_(
                    select(post_terms.c.post_id).where(post_terms.c.term_id == self.category)
                )
            )
        if self.author:
            clauses.append(Post.author_id == self.author)
        if self.month:
            start = month_start(self.month)
            if start is not None:
                end = datetime(
                    start.year + (start.month == 12), start.month % 12 + 1, 1, tzinfo=UTC
                )
                when = func.coalesce(Post.published_at, Post.created_at)
                clauses.extend([when >= start, when < end])
        if self.text.strip():
            clauses.extend(search_clause(self.text))
        return clauses


def month_start(text: str) -> datetime | None:
    """'YYYY-MM' -> the first instant of that month (UTC), None when unreadable."""
    try:
        year, month = (int(p) for p in text.split("-"))
        return datetime(year, month, 1, tzinfo=UTC)
    except ValueError:
        return None


def status_counts(post_type: str) -> dict[str, int]:
    """How many posts of the type have each status, plus 'all' (trash excluded)."""
    rows = db.session.execute(
        select(Post.status, func.count(Post.id)).where(Post.type == post_type).group_by(Post.status)
    ).all()
    counts = {status: 0 for status in PostStatus.ALL}
    counts.update({status: n for status, n in rows})
    counts["all"] = sum(n for s, n in counts.items() if s != PostStatus.TRASH)
    return counts


def list_posts(post_type: str, filters: PostFilters, number: int) -> Page:
    """One page of the list, newest first (two queries whatever the page holds)."""
    where = [Post.type == post_type, *filters.where()]
    total = db.session.execute(select(func.count(Post.id)).where(*where)).scalar_one()
    page = Page([], max(1, number), PER_PAGE, total)
    page.number = min(page.number, page.pages)
    stmt = (
        select(Post)
        .options(joinedload(Post.author), selectinload(Post.terms))
        .where(*where)
        .order_by(func.coalesce(Post.published_at, Post.created_at).desc(), Post.id.desc())
        .limit(PER_PAGE)
        .offset((page.number - 1) * PER_PAGE)
    )
    page.items = list(db.session.execute(stmt).unique().scalars())
    return page


def months_available(post_type: str) -> list[str]:
    """'YYYY-MM' of every month that has posts, newest first (for the month filter)."""
    when = func.coalesce(Post.published_at, Post.created_at)
    year, month = extract("year", when), extract("month", when)
    rows = db.session.execute(
        select(year, month).where(Post.type == post_type).group_by(year, month)
    ).all()
    return sorted({f"{int(y):04d}-{int(m):02d}" for y, m in rows}, reverse=True)


def authors() -> list[User]:
    """Users who wrote something, for the author filter."""
    return list(
        db.session.execute(
            select(User).where(User.id.in_(select(Post.author_id))).order_by(User.username)
        ).scalars()
    )


BULK_ACTIONS = {
    "publish": "Publish",
    "trash": "Move to Trash",
    "restore": "Restore",
    "delete": "Delete Permanently",
}


def bulk_action(user: User, action: str, ids: list[int]) -> tuple[int, int]:
    """Apply a bulk action to the posts the user may change; (done, refused). Commits."""
    if action not in BULK_ACTIONS or not ids:
        return 0, 0
    posts = db.session.execute(select(Post).where(Post.id.in_(ids))).scalars().all()
    done = refused = 0
    now = utcnow()
    for post in posts:
        if not can_edit_post(user, post) or (
            action == "publish" and not can(user, "posts.publish")
        ):
            refused += 1
            continue
        if action == "publish" and post.status != PostStatus.TRASH:
            post.status = PostStatus.PUBLISHED
            if post.published_at is None or post.published_at > now:
                post.published_at = now
        elif action == "trash" and post.status != PostStatus.TRASH:
            post.status = PostStatus.TRASH
        elif action == "restore" and post.status == PostStatus.TRASH:
            post.status = PostStatus.DRAFT
        elif action == "delete" and post.status == PostStatus.TRASH:
            log_activity(user.id, "post.delete", post, post.title)
            db.session.delete(post)
            done += 1
            continue
        else:
            refused += 1
            continue
        log_activity(user.id, f"post.{action}", post)
        done += 1
    db.session.commit()
    return done, refused

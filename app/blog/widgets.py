"""The sidebar's widgets: recent posts, categories with post counts, monthly archives.

Three queries per page, whatever the number of posts or terms, made once per request and
only for pages that show the sidebar. If the database fails (an error page is being drawn)
the sidebar is simply empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import g
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import load_only

from app.blog import services
from app.extensions import db
from app.models import Post, Taxonomy, Term
from app.models.term import post_terms

RECENT_POSTS = 5


@dataclass
class Sidebar:
    """What the widgets show."""

    recent: list[Post] = field(default_factory=list)
    categories: list[tuple[Term, int]] = field(default_factory=list)
    months: list[tuple[date, int]] = field(default_factory=list)


def recent_posts(limit: int = RECENT_POSTS) -> list[Post]:
    """The newest visible posts (title and permalink only)."""
    # Only what a link needs: post bodies can be long and the sidebar shows titles.
    columns = load_only(Post.id, Post.type, Post.title, Post.slug, Post.published_at)
    stmt = (
        services.visible(select(Post))
        .options(columns)
        .order_by(Post.published_at.desc(), Post.id.desc())
    )
    return list(db.session.execute(stmt.limit(limit)).scalars())


def category_counts() -> list[tuple[Term, int]]:
    """Categories that hold visible posts, by name, with how many each holds directly."""
    counts = (
        services.visible(select(post_terms.c.term_id, func.count(Post.id).label("n")))
        .join(post_terms, post_terms.c.post_id == Post.id)
        .group_by(post_terms.c.term_id)
        .subquery()
    )
    stmt = (
        select(Term, counts.c.n)
        .join(counts, counts.c.term_id == Term.id)
        .where(Term.taxonomy == Taxonomy.CATEGORY)
        .order_by(Term.name)
    )
    return [(term, n) for term, n in db.session.execute(stmt).unique()]


def month_counts() -> list[tuple[date, int]]:
    """(first day of month, posts) for months with visible posts, newest first.

    Months are grouped in UTC; on a site far from UTC a post written near midnight at the
    turn of a month may be counted in the neighbouring month here.
    """
    return [(date(year, month, 1), n) for year, month, n in services.archive_months()]


def sidebar() -> Sidebar:
    """The widgets' contents for this request (empty when the database is unreachable)."""
    if "_sidebar" not in g:
        try:
            g._sidebar = Sidebar(recent_posts(), category_counts(), month_counts())
        except SQLAlchemyError:
            db.session.rollback()
            g._sidebar = Sidebar()
    return g._sidebar

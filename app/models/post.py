"""Posts and pages, their revisions and the old slugs that still redirect to them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, and_, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.term import Taxonomy, Term, post_terms

if TYPE_CHECKING:
    from app.models.media import Media
    from app.models.user import User


class PostType:
    """Posts appear in the blog's stream; pages stand alone at /slug/."""

    POST = "post"
    PAGE = "page"


class PostStatus:
    """WordPress's post statuses ("future" is called scheduled here)."""

    DRAFT = "draft"
    PENDING = "pending"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    PRIVATE = "private"
    TRASH = "trash"
    ALL = (DRAFT, PENDING, SCHEDULED, PUBLISHED, PRIVATE, TRASH)


class Post(Base):
    """A post or a page. content_html is rendered from source once, on save."""

    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("type", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(20), default=PostType.POST)
    title: Mapped[str] = mapped_column(String(500), default="")
    slug: Mapped[str] = mapped_column(String(200))
    source_format: Mapped[str] = mapped_column(String(20), default="markdown")
    source: Mapped[str] = mapped_column(Text, default="")
    content_html: Mapped[str] = mapped_column(Text, default="")
    excerpt: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=PostStatus.DRAFT, index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), index=True
    )
    menu_order: Mapped[int] = mapped_column(Integer, default=0)
    featured_media_id: Mapped[int | None] = mapped_column(
        ForeignKey("media.id", ondelete="SET NULL")
    )
    featured_caption: Mapped[str] = mapped_column(Text, default="")
    featured_alt: Mapped[str] = mapped_column(String(500), default="")
    comment_status: Mapped[str] = mapped_column(String(20), default="open")
    sticky: Mapped[bool] = mapped_column(Boolean, default=False)
    # Approved comments, kept up to date by the comment services (WordPress does the same),
    # so lists of posts show counts without a query per post.
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    # Optimistic locking: a stale editor form is refused instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1)

    author: Mapped[User | None] = relationship(back_populates="posts")
    parent: Mapped[Post | None] = relationship(remote_side=[id])
    featured_media: Mapped[Media | None] = relationship()
    terms: Mapped[list[Term]] = relationship(secondary=post_terms, order_by=Term.name)
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="Revision.id.desc()"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def categories(self) -> list[Term]:
        """The post's categories."""
        return [t for t in self.terms if t.taxonomy == Taxonomy.CATEGORY]

    @property
    def tags(self) -> list[Term]:
        """The post's tags."""
        return [t for t in self.terms if t.taxonomy == Taxonomy.TAG]

    @property
    def display_title(self) -> str:
        """The title, or "(no title)" as WordPress shows an empty one."""
        return self.title.strip() or "(no title)"

    @property
    def comments_open(self) -> bool:
        """True when readers may comment (the closing rules live in app/comments)."""
        return self.comment_status == "open"

    @property
    def page_path(self) -> str:
        """Slug path through parent pages, as in /about/team/."""
        parts, page, seen = [], self, set()
        while page is not None and page.id not in seen:
            seen.add(page.id)
            parts.append(page.slug)
            page = page.parent
        return "/".join(reversed(parts))

    @classmethod
    def visible_clause(cls, now: datetime, staff: bool = False):
        """SQL condition for posts a reader may see at `now` (staff also see private ones).

        A scheduled post becomes visible by itself once its time has come: no cron job.
        """
        statuses = [PostStatus.PUBLISHED, PostStatus.SCHEDULED]
        if staff:
            statuses.append(PostStatus.PRIVATE)
        return and_(
            cls.status.in_(statuses),
            or_(cls.published_at.is_(None), cls.published_at <= now)
            if staff
            else cls.published_at <= now,
        )

    def is_visible(self, now: datetime, staff: bool = False) -> bool:
        """Python twin of visible_clause for a loaded post."""
        if self.status == PostStatus.PRIVATE:
            return staff
        if self.status not in (PostStatus.PUBLISHED, PostStatus.SCHEDULED):
            return False
        return self.published_at is not None and self.published_at <= now

    def __repr__(self) -> str:
        return f"<Post {self.id} {self.type}:{self.slug} {self.status}>"


class Revision(Base):
    """A copy of a post's text, stored on every save."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    excerpt: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    post: Mapped[Post] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


class SlugRedirect(Base):
    """An old slug of a published post: its old URL answers 301 to the current one."""

    __tablename__ = "slug_redirects"
    __table_args__ = (UniqueConstraint("post_type", "old_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_type: Mapped[str] = mapped_column(String(20), default=PostType.POST)
    old_slug: Mapped[str] = mapped_column(String(200))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

"""Comments (threaded by parent) and the drafts kept while a reader signs in elsewhere."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.post import Post
    from app.models.user import Identity, User


class CommentStatus:
    """WordPress's comment statuses."""

    PENDING = "pending"
    APPROVED = "approved"
    SPAM = "spam"
    TRASH = "trash"
    ALL = (PENDING, APPROVED, SPAM, TRASH)


class Comment(Base):
    """A comment by a guest (name/email/url), a signed-in identity, or a staff user."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    identity_id: Mapped[int | None] = mapped_column(
        ForeignKey("identities.id", ondelete="SET NULL"), index=True
    )
    author_name: Mapped[str] = mapped_column(String(250), default="")
    author_email: Mapped[str] = mapped_column(String(254), default="")
    author_url: Mapped[str] = mapped_column(String(500), default="")
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=CommentStatus.PENDING, index=True)
    moderation_reason: Mapped[str] = mapped_column(String(500), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(500), default="")
    notify_comments: Mapped[bool] = mapped_column(Boolean, default=False)
    notify_posts: Mapped[bool] = mapped_column(Boolean, default=False)
    # Hash of a secret kept in the author's browser: lets a guest edit within the window.
    edit_key_hash: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    post: Mapped[Post] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])
    user: Mapped[User | None] = relationship()
    identity: Mapped[Identity | None] = relationship()

    @property
    def display_name(self) -> str:
        """The name shown above the comment."""
        if self.identity is not None and self.identity.name:
            return self.identity.name
        if self.user is not None:
            return self.user.name
        return self.author_name or "Anonymous"

    def __repr__(self) -> str:
        return f"<Comment {self.id} on {self.post_id} {self.status}>"


class CommentDraft(Base):
    """What a reader typed, kept server-side across a provider sign-in (cookies are too small).

    The browser holds only the random key; the row is removed when the comment is posted
    or discarded, and old rows are swept.
    """

    __tablename__ = "comment_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="")
    author_name: Mapped[str] = mapped_column(String(250), default="")
    author_email: Mapped[str] = mapped_column(String(254), default="")
    author_url: Mapped[str] = mapped_column(String(500), default="")
    notify_comments: Mapped[bool] = mapped_column(Boolean, default=False)
    notify_posts: Mapped[bool] = mapped_column(Boolean, default=False)
    provider: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

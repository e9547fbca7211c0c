"""WordPress's Discussion rules: who gets through, who waits, who is spam, who must slow down.

The order follows WordPress's wp_allow_comment(): a duplicate is refused first, then flood
control, then the approval rules (check_comment()), and last the disallowed keys, which
turn anything they match into spam. Administrators, editors and the post's own author are
approved without the rules (WordPress's `moderate_comments` capability), and are not
flood-controlled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select

from app.extensions import db
from app.models import Comment, CommentStatus, Post, Role, User
from app.models.base import utcnow

DUPLICATE_MESSAGE = "Duplicate comment detected; it looks as though you\u2019ve already said that!"
FLOOD_MESSAGE = "You are posting comments too quickly. Slow down."

# WordPress counts links the same way: every "//" that starts a URL, with or without a scheme.
_LINK_RE = re.compile(r"""(href\t*?=\t*?['"]?)?(https?:)?//""", re.IGNORECASE)
MODERATOR_ROLES = (Role.ADMINISTRATOR, Role.EDITOR)


class CommentRefused(Exception):
    """The comment cannot be taken. `field` says where to show the message (None: the box)."""

    def __init__(self, message: str, field: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


@dataclass(frozen=True)
class Candidate:
    """What is known about a comment before it is stored."""

    post: Post
    body: str
    author_name: str
    author_email: str
    author_url: str
    ip: str
    user_agent: str
    parent_id: int | None = None
    identity_id: int | None = None
    user: User | None = None


@dataclass(frozen=True)
class Decision:
    """The status a comment gets and why (stored in Comment.moderation_reason)."""

    status: str
    reason: str


def is_moderator(candidate: Candidate) -> bool:
    """Administrators, editors and the post's author skip the moderation rules."""
    user = candidate.user
    if user is None:
        return False
    return user.role in MODERATOR_ROLES or user.id == candidate.post.author_id


def count_links(text: str) -> int:
    """How many links a comment has, counted as WordPress does."""
    return len(_LINK_RE.findall(text or ""))


def matching_key(keys: str, candidate: Candidate) -> str | None:
    """The first key (one per line) found in the name, email, URL, text, IP or user agent.

    As in WordPress, a key matches as a case-insensitive substring anywhere in those fields.
    """
    haystacks = [
        candidate.author_name,
        candidate.author_email,
        candidate.author_url,
        candidate.body,
        candidate.ip,
        candidate.user_agent,
    ]
    haystacks = [h.casefold() for h in haystacks if h]
    for line in (keys or "").splitlines():
        key = line.strip()
        if key and any(key.casefold() in h for h in haystacks):
            return key
    return None


def check_duplicate(candidate: Candidate) -> None:
    """Refuse the same text from the same author under the same parent (not trashed ones)."""
    same_author = [Comment.author_name == candidate.author_name]
    if candidate.author_email:
        same_author.append(Comment.author_email == candidate.author_email)
    if candidate.identity_id is not None:
        same_author.append(Comment.identity_id == candidate.identity_id)
    stmt = (
        select(Comment.id)
        .where(
            Comment.post_id == candidate.post.id,
            Comment.parent_id.is_(None)
            if candidate.parent_id is None
            else Comment.parent_id == candidate.parent_id,
            Comment.status != CommentStatus.TRASH,
            Comment.body_source == candidate.body,
            or_(*same_author),
        )
        .limit(1)
    )
    if db.session.execute(stmt).first() is not None:
        raise CommentRefused(DUPLICATE_MESSAGE, status=409)


def check_flood(candidate: Candidate, seconds: int) -> None:
    """Refuse a comment that follows the same reader's previous one too closely.

    The same reader is the same IP address or the same signed-in identity (or staff user).
    """
    if seconds <= 0 or is_moderator(candidate):
        return
    same_reader = [Comment.ip == candidate.ip] if candidate.ip else []
    if candidate.identity_id is not None:
        same_reader.append(Comment.identity_id == candidate.identity_id)
    if candidate.user is not None:
        same_reader.append(Comment.user_id == candidate.user.id)
    if not same_reader:
        return
    since = utcnow() - timedelta(seconds=seconds)
    # Only recent comments matter, which keeps this on the created_at index.
    recent = db.session.execute(
        select(Comment.id).where(Comment.created_at > since, or_(*same_reader)).limit(1)
    ).first()
    if recent is not None:
        raise CommentRefused(FLOOD_MESSAGE, status=429)


def previously_approved(candidate: Candidate) -> bool:
    """True when this author already has an approved comment.

    Signed-in readers are matched by identity, staff by user; guests by name and email
    together, as WordPress does (an email alone could be anybody's).
    """
    if candidate.identity_id is not None:
        match = Comment.identity_id == candidate.identity_id
    elif candidate.user is not None:
        match = Comment.user_id == candidate.user.id
    elif candidate.author_name and candidate.author_email:
        match = (Comment.author_name == candidate.author_name) & (
            Comment.author_email == candidate.author_email
        )
    else:
        return False
    stmt = select(Comment.id).where(match, Comment.status == CommentStatus.APPROVED).limit(1)
    return db.session.execute(stmt).first() is not None


def _int(settings: dict[str, Any], key: str) -> int:
    try:
        return int(settings.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def decide(candidate: Candidate, settings: dict[str, Any]) -> Decision:
    """Approved, pending or spam, with the reason, by the Discussion settings.

    Links: the comment is held when it has MORE than comment_max_links links (the issue's
    wording; WordPress's own screen says "N or more"); 0 switches the check off.
    """
    if is_moderator(candidate):
        return Decision(CommentStatus.APPROVED, "approved: staff")
    decision = Decision(CommentStatus.APPROVED, "approved")
    max_links = _int(settings, "comment_max_links")
    links = count_links(candidate.body)
    if settings.get("comment_moderation"):
        decision = Decision(CommentStatus.PENDING, "held: every comment is held for approval")
    elif max_links and links > max_links:
        decision = Decision(CommentStatus.PENDING, f"held: {links} links")
    elif key := matching_key(settings.get("moderation_keys") or "", candidate):
        decision = Decision(CommentStatus.PENDING, f"held: moderation key '{key}'")
    elif settings.get("comment_previously_approved") and not previously_approved(candidate):
        decision = Decision(CommentStatus.PENDING, "held: first comment")
    if key := matching_key(settings.get("disallowed_keys") or "", candidate):
        decision = Decision(CommentStatus.SPAM, f"spam: disallowed key '{key}'")
    return decision

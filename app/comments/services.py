"""Posting a comment: who comments, where it may go, and the rules it passes on the way.

Decisions where the issue is silent, following WordPress:
- Only posts (not pages) take comments, and only when visible to the reader.
- A reply may go to an approved comment of the same post whose thread is not yet at the
  maximum depth (thread_comments_depth; 1 when threading is off).
- Staff signed in to the admin area comment as their user; otherwise a reader signed in
  with an identity provider comments as that identity; anyone else is a guest.
- The author's own pending (or spam) comments are shown to them as "awaiting moderation",
  so a spammer learns nothing from the difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import request
from flask_login import current_user

from app.auth.session import current_identity
from app.comments import moderation
from app.comments.forms import normalize_url, parse_id
from app.comments.moderation import Candidate, CommentRefused
from app.comments.ownership import edit_hash, remember_own
from app.comments.status import set_comment_status
from app.content import render_comment
from app.extensions import db
from app.models import Comment, CommentStatus, Identity, Post, PostType, User, log_activity
from app.models.base import utcnow
from app.settings import site_settings

CLOSED = "Sorry, comments are closed for this item."
NOT_FOUND = "That post could not be found, so your comment could not be posted."
BAD_PARENT = (
    "You can only reply to a published comment on this post. "
    "Send again to post it as a new comment."
)


@dataclass(frozen=True)
class Commenter:
    """Who is commenting: a guest, a provider identity, or a staff user."""

    kind: str  # "guest", "identity" or "staff"
    identity: Identity | None = None
    user: User | None = None

    @property
    def name(self) -> str:
        """The name the comment will carry."""
        if self.identity is not None:
            return self.identity.name or self.identity.user.name
        if self.user is not None:
            return self.user.name
        return ""


def current_commenter() -> Commenter:
    """The reader of this request, as a commenter."""
    if current_user.is_authenticated and getattr(current_user, "is_staff", False):
        return Commenter("staff", user=current_user._get_current_object())
    identity = current_identity()
    if identity is not None:
        return Commenter("identity", identity=identity, user=identity.user)
    return Commenter("guest")


def max_depth() -> int:
    """How deep replies may nest (1 when threading is switched off)."""
    settings = site_settings()
    if not settings.get("thread_comments"):
        return 1
    try:
        return max(1, int(settings.get("thread_comments_depth") or 1))
    except (TypeError, ValueError):
        return 5


def comments_open(post: Post) -> bool:
    """True when the post takes comments: open, and not closed by its age."""
    if post.type != PostType.POST or not post.comments_open:
        return False
    settings = site_settings()
    if settings.get("close_comments_for_old_posts") and post.published_at is not None:
        try:
            days = int(settings.get("close_comments_days_old") or 0)
        except (TypeError, ValueError):
            days = 0
        if days > 0 and post.published_at < utcnow() - timedelta(days=days):
            return False
    return True


def commentable_post(post_id: int | None) -> Post:
    """The post a comment goes to, or CommentRefused (not found, not visible, closed)."""
    from app.blog.services import viewer_is_staff

    post = db.session.get(Post, post_id) if post_id else None
    staff = viewer_is_staff()
    if post is None or post.type != PostType.POST or not post.is_visible(utcnow(), staff):
        raise CommentRefused(NOT_FOUND, status=404)
    if not comments_open(post):
        raise CommentRefused(CLOSED, status=403)
    return post


def thread_depth(comment: Comment) -> int:
    """Where a comment sits in its thread as shown (1 = top level).

    The walk stops at an ancestor that is not approved: the blog shows such a reply at the
    top level, so its reply links must agree.
    """
    depth, node, seen = 1, comment, {comment.id}
    while node.parent_id is not None:
        parent = node.parent
        if parent is None or parent.status != CommentStatus.APPROVED or parent.id in seen:
            break
        seen.add(parent.id)
        depth += 1
        node = parent
    return depth


def reply_parent(post: Post, raw_parent: str | None) -> Comment | None:
    """The comment being replied to, checked (same post, approved, depth left).

    An empty or "0" comment_parent is a new top-level comment; anything else must name
    a comment that may be answered.
    """
    raw_parent = (raw_parent or "").strip()
    if raw_parent in ("", "0"):
        return None
    parent_id = parse_id(raw_parent)
    if parent_id is None:
        raise CommentRefused(BAD_PARENT, field="comment_parent")
    parent = db.session.get(Comment, parent_id)
    if parent is None or parent.post_id != post.id or parent.status != CommentStatus.APPROVED:
        raise CommentRefused(BAD_PARENT, field="comment_parent")
    limit = max_depth()
    if thread_depth(parent) >= limit:
        raise CommentRefused(
            f"Replies can nest only {limit} levels deep here. "
            "Send again to post it as a new comment.",
            field="comment_parent",
        )
    return parent


def _client_ip() -> str:
    return (request.remote_addr or "")[:45]


@dataclass(frozen=True)
class CommentInput:
    """What the form delivered, already shape-checked."""

    body: str
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    notify_comments: bool = False
    notify_posts: bool = False


def submit_comment(
    post: Post, parent: Comment | None, data: CommentInput, commenter: Commenter
) -> Comment:
    """Store a new comment after the duplicate, flood and moderation rules; commits.

    Raises CommentRefused for a duplicate or a flood, before anything is written.
    """
    if commenter.kind == "guest":
        name, email = data.author_name.strip(), data.author_email.strip()
        url = normalize_url(data.author_url)
    elif commenter.identity is not None:
        identity = commenter.identity
        name, email, url = commenter.name, identity.email or "", identity.profile_url or ""
    else:
        user = commenter.user
        name, email, url = user.name, user.email or "", user.url or ""
    candidate = Candidate(
        post=post,
        body=data.body.strip(),
        author_name=name,
        author_email=email,
        author_url=url,
        ip=_client_ip(),
        user_agent=(request.user_agent.string or "")[:500],
        parent_id=parent.id if parent else None,
        identity_id=commenter.identity.id if commenter.identity else None,
        user=commenter.user,
    )
    settings = site_settings()
    moderation.check_duplicate(candidate)
    moderation.check_flood(candidate, int(settings.get("comment_flood_seconds") or 0))
    decision = moderation.decide(candidate, settings)
    comment = Comment(
        post=post,
        parent=parent,
        user_id=commenter.user.id if commenter.user else None,
        identity_id=candidate.identity_id,
        author_name=name,
        author_email=email,
        author_url=url,
        body_source=candidate.body,
        body_html=render_comment(candidate.body),
        status=CommentStatus.PENDING,
        ip=candidate.ip,
        user_agent=candidate.user_agent,
        notify_comments=data.notify_comments,
        notify_posts=data.notify_posts,
    )
    db.session.add(comment)
    db.session.flush()
    set_comment_status(comment, decision.status, decision.reason)
    comment.edit_key_hash = edit_hash(comment.id)
    log_activity(comment.user_id, "comment.create", comment, decision.reason)
    db.session.commit()
    remember_own(comment)
    return comment

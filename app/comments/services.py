"""Posting, editing and deleting comments: the rules behind the Leave a Reply box.

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

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import request, session
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.auth.session import current_identity
from app.comments import moderation
from app.comments.forms import normalize_url, parse_id
from app.comments.moderation import Candidate, CommentRejected
from app.comments.status import set_comment_status
from app.content import render_comment
from app.extensions import db
from app.models import Comment, CommentStatus, Identity, Post, PostType, User, log_activity
from app.models.base import utcnow
from app.settings import site_settings

OWN_KEY = "own_comments"  # ids of comments written in this browser (newest last)
OWN_LIMIT = 30
BROWSER_KEY = "comment_key"  # per-browser secret; Comment.edit_key_hash = sha256(secret:id)

CLOSED = "Sorry, comments are closed for this item."
NOT_FOUND = "That post could not be found, so your comment could not be posted."
BAD_PARENT = (
    "You can only reply to a published comment on this post. "
    "Send again to post it as a new comment."
)


class CommentRefused(Exception):
    """The comment cannot be taken. `field` says where to show the message (None: the box)."""

    def __init__(self, message: str, field: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


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
    try:
        moderation.check_duplicate(candidate)
        moderation.check_flood(candidate, int(settings.get("comment_flood_seconds") or 0))
    except CommentRejected as exc:
        raise CommentRefused(exc.message, status=exc.status) from exc
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
    comment.edit_key_hash = _edit_hash(comment.id)
    log_activity(comment.user_id, "comment.create", comment, decision.reason)
    db.session.commit()
    remember_own(comment)
    return comment


# --- this browser's own comments -------------------------------------------------------


def _browser_secret(create: bool = False) -> str | None:
    secret = session.get(BROWSER_KEY)
    if not isinstance(secret, str) and create:
        secret = secrets.token_urlsafe(32)
        session[BROWSER_KEY] = secret
    return secret if isinstance(secret, str) else None


def _edit_hash(comment_id: int) -> str:
    secret = _browser_secret(create=True)
    return hashlib.sha256(f"{secret}:{comment_id}".encode()).hexdigest()


def written_here(comment: Comment) -> bool:
    """True when this browser holds the secret the comment's edit_key_hash was made from."""
    secret = _browser_secret()
    if not secret or not comment.edit_key_hash:
        return False
    expected = hashlib.sha256(f"{secret}:{comment.id}".encode()).hexdigest()
    return hmac.compare_digest(expected, comment.edit_key_hash)


def remember_own(comment: Comment) -> None:
    """Note in the signed session that this browser wrote the comment."""
    ids = [i for i in session.get(OWN_KEY, []) if isinstance(i, int) and i != comment.id]
    session[OWN_KEY] = (ids + [comment.id])[-OWN_LIMIT:]


def own_unapproved(post: Post) -> list[Comment]:
    """This reader's pending or spam comments on the post (one query; none without a cue)."""
    ids = [i for i in session.get(OWN_KEY, []) if isinstance(i, int)]
    identity = current_identity()
    mine = []
    if ids:
        mine.append(Comment.id.in_(ids))
    if identity is not None:
        mine.append(Comment.identity_id == identity.id)
    if not mine:
        return []
    stmt = (
        select(Comment)
        .options(joinedload(Comment.user), joinedload(Comment.identity))
        .where(
            Comment.post_id == post.id,
            Comment.status.in_((CommentStatus.PENDING, CommentStatus.SPAM)),
            or_(*mine),
        )
    )
    return list(db.session.execute(stmt).unique().scalars())


def is_own(comment: Comment) -> bool:
    """True when the reader of this request wrote the comment (browser, identity or user)."""
    if comment.identity_id is not None:
        identity = current_identity()
        if identity is not None and identity.id == comment.identity_id:
            return True
    if (
        comment.user_id is not None
        and current_user.is_authenticated
        and current_user.id == comment.user_id
    ):
        return True
    return written_here(comment)


def edit_minutes() -> int:
    """How long after posting an author may edit or delete (comment_edit_minutes)."""
    try:
        return max(0, int(site_settings().get("comment_edit_minutes") or 0))
    except (TypeError, ValueError):
        return 15


def within_edit_window(comment: Comment) -> bool:
    """True while the comment is younger than the edit window."""
    return utcnow() - comment.created_at <= timedelta(minutes=edit_minutes())


def can_edit(comment: Comment) -> bool:
    """True when this reader may still edit or delete the comment."""
    return comment.status != CommentStatus.TRASH and within_edit_window(comment) and is_own(comment)


def editable_comment(comment_id: int) -> Comment:
    """The reader's own comment, still in its edit window, or CommentRefused."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status == CommentStatus.TRASH:
        raise CommentRefused("That comment could not be found.", status=404)
    if not is_own(comment):
        raise CommentRefused(
            "You can only change your own comments, from the browser or account you wrote "
            "them with.",
            status=403,
        )
    if not within_edit_window(comment):
        raise CommentRefused(
            f"The time for changing this comment has passed: comments can be edited or "
            f"deleted for {edit_minutes()} minutes after they are posted.",
            status=403,
        )
    return comment


def edit_comment(comment: Comment, body: str) -> None:
    """Replace the text (re-rendered) and re-check it; commits.

    An approved comment that the rules would now hold or call spam moves there; a held
    one stays held (a moderator has not looked at it yet).
    """
    comment.body_source = body.strip()
    comment.body_html = render_comment(comment.body_source)
    candidate = Candidate(
        post=comment.post,
        body=comment.body_source,
        author_name=comment.author_name,
        author_email=comment.author_email,
        author_url=comment.author_url,
        ip=comment.ip,
        user_agent=comment.user_agent,
        parent_id=comment.parent_id,
        identity_id=comment.identity_id,
        user=comment.user,
    )
    decision = moderation.decide(candidate, site_settings())
    if comment.status == CommentStatus.APPROVED and decision.status != CommentStatus.APPROVED:
        set_comment_status(comment, decision.status, decision.reason)
    log_activity(comment.user_id, "comment.edit", comment, "edited by its author")
    db.session.commit()


def delete_comment(comment: Comment) -> None:
    """Move the comment to the trash, as WordPress does; commits."""
    set_comment_status(comment, CommentStatus.TRASH, "deleted by its author")
    log_activity(comment.user_id, "comment.delete", comment, "deleted by its author")
    db.session.commit()

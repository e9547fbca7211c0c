"""A reader's own comments: seen while awaiting moderation, editable for a while.

A comment is the reader's own when it was written in this browser (the signed session
keeps a random secret, and Comment.edit_key_hash = sha256(secret:comment id), so the
database never links two comments of one browser), or with the same signed-in identity,
or by the same staff user. The session also lists the ids of the comments written here,
so their author sees them while they await moderation.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import session
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.auth.session import current_identity
from app.comments import moderation
from app.comments.moderation import Candidate, CommentRefused
from app.comments.status import set_comment_status
from app.content import render_comment
from app.extensions import db
from app.models import Comment, CommentStatus, Post, log_activity
from app.models.base import utcnow
from app.settings import site_settings

OWN_KEY = "own_comments"  # ids of comments written in this browser (newest last)
OWN_LIMIT = 30
BROWSER_KEY = "comment_key"  # per-browser secret behind Comment.edit_key_hash


def _browser_secret(create: bool = False) -> str | None:
    secret = session.get(BROWSER_KEY)
    if not isinstance(secret, str) and create:
        secret = secrets.token_urlsafe(32)
        session[BROWSER_KEY] = secret
    return secret if isinstance(secret, str) else None


def edit_hash(comment_id: int) -> str:
    """The edit_key_hash for a comment written in this browser (creates the secret)."""
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

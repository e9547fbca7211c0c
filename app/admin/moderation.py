"""Comment moderation services: the queue, status changes, replies, edits, bulk actions."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.blog.services import Page
from app.comments.status import set_comment_status
from app.content import render_comment
from app.extensions import db
from app.models import Comment, CommentStatus, User, log_activity

PER_PAGE = 20

# action -> (status it applies to, status it moves to); None: any status but the target.
ACTIONS: dict[str, tuple[tuple[str, ...] | None, str | None]] = {
    "approve": (None, CommentStatus.APPROVED),
    "unapprove": ((CommentStatus.APPROVED,), CommentStatus.PENDING),
    "spam": (None, CommentStatus.SPAM),
    "notspam": ((CommentStatus.SPAM,), CommentStatus.PENDING),
    "trash": (None, CommentStatus.TRASH),
    "restore": ((CommentStatus.TRASH,), CommentStatus.PENDING),
    "delete": ((CommentStatus.SPAM, CommentStatus.TRASH), None),
}
ACTION_LABELS = {
    "approve": "Approve",
    "unapprove": "Unapprove",
    "spam": "Spam",
    "notspam": "Not Spam",
    "trash": "Trash",
    "restore": "Restore",
    "delete": "Delete Permanently",
}
TAB_ACTIONS = {
    CommentStatus.PENDING: ("approve", "spam", "trash"),
    CommentStatus.APPROVED: ("unapprove", "spam", "trash"),
    CommentStatus.SPAM: ("notspam", "delete"),
    CommentStatus.TRASH: ("restore", "delete"),
}


def comment_counts() -> dict[str, int]:
    """Comments per status (one query)."""
    rows = db.session.execute(
        select(Comment.status, func.count(Comment.id)).group_by(Comment.status)
    ).all()
    counts = {status: 0 for status in CommentStatus.ALL}
    counts.update({status: n for status, n in rows})
    return counts


def queue(status: str, number: int) -> Page:
    """One page of comments with a status, newest first, with post, parent and author."""
    where = Comment.status == status
    total = db.session.execute(select(func.count(Comment.id)).where(where)).scalar_one()
    page = Page([], max(1, number), PER_PAGE, total)
    page.number = min(page.number, page.pages)
    stmt = (
        select(Comment)
        .options(
            joinedload(Comment.post),
            joinedload(Comment.parent),
            joinedload(Comment.identity),
            joinedload(Comment.user),
        )
        .where(where)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(PER_PAGE)
        .offset((page.number - 1) * PER_PAGE)
    )
    page.items = list(db.session.execute(stmt).unique().scalars())
    return page


def moderate(user: User, comment: Comment, action: str) -> bool:
    """Apply one action to a comment (caller commits); False when it does not apply."""
    if action not in ACTIONS:
        return False
    applies_to, target = ACTIONS[action]
    if applies_to is not None and comment.status not in applies_to:
        return False
    if target is not None and comment.status == target:
        return False
    log_activity(user.id, f"comment.{action}", comment)
    if target is None:
        set_comment_status(comment, CommentStatus.TRASH)  # keeps the post's count right
        db.session.delete(comment)
    else:
        set_comment_status(comment, target, reason=f"{action} by {user.username}")
    return True


def moderate_many(user: User, action: str, ids: list[int]) -> int:
    """Apply an action to several comments; how many changed. Commits."""
    comments = db.session.execute(select(Comment).where(Comment.id.in_(ids))).scalars().all()
    done = sum(moderate(user, c, action) for c in comments)
    db.session.commit()
    return done


def reply(user: User, parent: Comment, body: str) -> Comment:
    """A staff reply, approved at once; replying to a held comment approves it too. Commits."""
    if parent.status == CommentStatus.PENDING:
        moderate(user, parent, "approve")
    comment = Comment(
        post_id=parent.post_id,
        parent_id=parent.id,
        user_id=user.id,
        author_name=user.name,
        author_email=user.email or "",
        author_url=user.url or "",
        body_source=body,
        body_html=render_comment(body),
        status=CommentStatus.PENDING,
    )
    db.session.add(comment)
    db.session.flush()
    set_comment_status(comment, CommentStatus.APPROVED, reason=f"reply by {user.username}")
    log_activity(user.id, "comment.reply", comment)
    db.session.commit()
    return comment


def edit(user: User, comment: Comment, name: str, email: str, url: str, body: str) -> None:
    """Change a comment's author fields and text. Commits."""
    comment.author_name = name.strip()
    comment.author_email = email.strip()
    comment.author_url = url.strip()
    comment.body_source = body
    comment.body_html = render_comment(body)
    log_activity(user.id, "comment.edit", comment)
    db.session.commit()

"""SQLAlchemy 2.x typed models, one module per entity family."""

from app.models.activity import Activity, log_activity
from app.models.comment import Comment, CommentDraft, CommentStatus
from app.models.media import Media
from app.models.post import Post, PostStatus, PostType, Revision, SlugRedirect
from app.models.setting import Setting, Subscription
from app.models.term import Taxonomy, Term, post_terms
from app.models.user import Identity, OAuthClient, Role, User

__all__ = [
    "Activity",
    "Comment",
    "CommentDraft",
    "CommentStatus",
    "Identity",
    "Media",
    "OAuthClient",
    "Post",
    "PostStatus",
    "PostType",
    "Revision",
    "Role",
    "Setting",
    "SlugRedirect",
    "Subscription",
    "Taxonomy",
    "Term",
    "User",
    "log_activity",
    "post_terms",
]

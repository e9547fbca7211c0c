"""What the Leave a Reply box and the comment list show to the reader of this request.

The blog's post view hands the template its approved comments, threaded; the template
asks `comment_box(post, threads)` for everything else. That adds no query for a plain
reader, one when the session holds a draft key, one for the signed-in identity, and one
for the reader's own comments awaiting moderation: never one per comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, g, request, url_for

from app.auth.providers import enabled_providers
from app.blog.services import CommentNode, thread
from app.blog.urls import post_url
from app.comments import avatars, ownership, services
from app.comments.drafts import current_draft
from app.comments.forms import CommentForm, parse_id
from app.content import render_comment
from app.models import Comment, CommentDraft, CommentStatus, Post

# Cookies WordPress sets when the reader ticks the consent box.
AUTHOR_COOKIES = {
    "author": "comment_author",
    "email": "comment_author_email",
    "url": "comment_author_url",
}


@dataclass(frozen=True)
class ProviderButton:
    """One provider icon in the form."""

    name: str
    title: str
    icon_url: str | None
    needs_instance: bool


@dataclass
class CommentBox:
    """The state of the comment area for one post and one reader."""

    post: Post
    is_open: bool
    commenter: services.Commenter
    form: CommentForm
    threads: list[CommentNode]
    max_depth: int
    reply_to: Comment | None = None
    draft: CommentDraft | None = None
    confirm: bool = False
    providers: list[ProviderButton] = field(default_factory=list)
    show_providers: bool = False
    notice: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    awaiting_ids: set[int] = field(default_factory=set)

    @property
    def provider_title(self) -> str:
        """The title of the signed-in reader's provider ("Google")."""
        from app.auth.providers import get_provider

        identity = self.commenter.identity
        provider = get_provider(identity.provider) if identity is not None else None
        return provider.title if provider is not None else (identity.provider if identity else "")

    @property
    def commenter_avatar(self) -> str:
        """The signed-in reader's avatar."""
        if self.commenter.identity is not None:
            return avatars.identity_avatar(self.commenter.identity)
        return ""

    @property
    def logout_url(self) -> str | None:
        """Where the commenter's Log Out form posts, when the sign-in side is present."""
        if "auth.logout" not in current_app.view_functions:
            return None
        return url_for("auth.logout")

    @property
    def draft_preview(self) -> str:
        """The draft's text rendered as it will appear."""
        return render_comment(self.draft.body) if self.draft is not None else ""

    def login_url(self, provider: ProviderButton) -> str:
        """The provider's login route, coming back to this post."""
        return url_for("auth.login", provider=provider.name, next=post_url(self.post))

    def can_reply(self, node: CommentNode) -> bool:
        """Reply links appear on approved comments above the depth limit of an open post."""
        return (
            self.is_open
            and node.depth < self.max_depth
            and node.comment.status == CommentStatus.APPROVED
        )

    def reply_url(self, comment: Comment) -> str:
        """The no-JavaScript reply link (?replytocom=ID#respond)."""
        return f"{post_url(self.post)}?replytocom={comment.id}#respond"

    def awaiting(self, comment: Comment) -> bool:
        """True for the reader's own comment that is not (yet) approved."""
        return comment.id in self.awaiting_ids

    def can_edit(self, comment: Comment) -> bool:
        """True when the reader may still edit or delete this comment."""
        return ownership.can_edit(comment)

    def avatar(self, comment: Comment) -> str:
        """A comment's avatar URL."""
        return avatars.comment_avatar(comment)

    def error(self, name: str) -> str | None:
        """The message for one field, if any."""
        return self.errors.get(name)


def _flatten(nodes: list[CommentNode]) -> list[CommentNode]:
    found: list[CommentNode] = []
    for node in nodes:
        found.append(node)
        found.extend(_flatten(node.children))
    return found


def _provider_buttons() -> list[ProviderButton]:
    if "auth.login" not in current_app.view_functions:
        return []  # the sign-in side is not there: the box still works for guests
    buttons = []
    for p in enabled_providers():
        # Mastodon-like providers register per instance; the reader must name theirs.
        needs_instance = bool(getattr(p, "needs_instance", False))
        icon = url_for("static", filename=p.icon) if p.icon else None
        buttons.append(ProviderButton(p.name, p.title, icon, needs_instance))
    return buttons


def _initial_form(post: Post, draft: CommentDraft | None) -> CommentForm:
    """The form as first shown: the draft if there is one, else the remembered details."""
    if draft is not None:
        data = {
            "comment": draft.body,
            "author": draft.author_name,
            "email": draft.author_email,
            "url": draft.author_url,
            "subscribe_comments": draft.notify_comments,
            "subscribe_blog": draft.notify_posts,
            "comment_parent": str(draft.parent_id or 0),
        }
    else:
        data = {key: request.cookies.get(name, "") for key, name in AUTHOR_COOKIES.items()}
        data["remember"] = bool(data["author"] or data["email"])
        data["comment_parent"] = "0"
    data["comment_post_ID"] = str(post.id)
    return CommentForm(formdata=None, data=data)


def comment_box(post: Post, threads: list[CommentNode]) -> CommentBox:
    """Everything the comment area needs for this post (computed once per request)."""
    cache = g.setdefault("_comment_boxes", {})
    if post.id in cache:
        return cache[post.id]
    depth = services.max_depth()
    approved = [node.comment for node in _flatten(threads)]
    mine = ownership.own_unapproved(post)
    if mine:
        everything = sorted(approved + mine, key=lambda c: (c.created_at, c.id))
        threads = thread(everything, depth)
    commenter = services.current_commenter()
    submitted: CommentForm | None = g.get("comment_form")
    draft = current_draft(post.id) if submitted is None else None
    form = submitted if submitted is not None else _initial_form(post, draft)
    form.is_guest = commenter.kind == "guest"
    errors = {name: msgs[0] for name, msgs in form.errors.items() if msgs}
    errors.update(g.get("comment_errors") or {})
    box = CommentBox(
        post=post,
        is_open=services.comments_open(post),
        commenter=commenter,
        form=form,
        threads=threads,
        max_depth=depth,
        draft=draft,
        notice=g.get("comment_notice"),
        errors=errors,
        awaiting_ids={c.id for c in mine},
    )
    replyable = {n.comment.id: n.comment for n in _flatten(threads) if box.can_reply(n)}
    asked = parse_id(request.args.get("replytocom")) if submitted is None else None
    parent_id = asked or form.parent_id()
    box.reply_to = replyable.get(parent_id) if parent_id else None
    if box.reply_to is not None:
        form.comment_parent.data = str(box.reply_to.id)
    box.confirm = (
        draft is not None
        and bool(draft.body.strip())  # nothing typed yet: the plain form, not "Post as …?"
        and commenter.kind == "identity"
        and "edit_draft" not in request.args
    )
    if commenter.kind == "guest" or (
        commenter.kind == "identity" and "change_login" in request.args
    ):
        box.providers = _provider_buttons()
        box.show_providers = bool(box.providers)
    cache[post.id] = box
    return box

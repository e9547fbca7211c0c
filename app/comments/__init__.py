"""The Leave a Reply flow: the comment box, posting, threading, moderation, avatars."""

from flask import Blueprint

bp = Blueprint("comments", __name__)

from app.comments import box, routes  # noqa: E402, F401


@bp.record_once
def _setup(state) -> None:
    # The size limit must be set before CSRFProtect's hook parses the form, so it goes
    # first among the app's before-request functions.
    state.app.before_request_funcs.setdefault(None, []).insert(0, routes.limit_comment_bodies)
    state.app.jinja_env.globals["comment_box"] = box.comment_box

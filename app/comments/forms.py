"""The Leave a Reply form (WordPress's field names) and the edit form.

Forms check shape only: lengths, email and URL format, the name and email a guest must
give. Whether the post takes comments, the reply depth and the moderation rules are the
services' business.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import Email, ValidationError

# WordPress's limits: comment_content is a 64 KB column, the author fields are shorter.
MAX_COMMENT_BYTES = 64 * 1024
MAX_NAME = 245
MAX_EMAIL = 100
MAX_URL = 200

EMPTY_COMMENT = "Please type your comment text."
TOO_LONG = "Your comment is too long: it can be at most 64 KB. Please shorten it."
MISSING_NAME = "Please enter your name."
MISSING_EMAIL = "Please enter your email address."
BAD_EMAIL = "Please enter a valid email address, like name@example.com."
BAD_URL = "Please enter a valid website address, like https://example.com."


MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL: a bigger "id" matches nothing


def parse_id(raw: str | None) -> int | None:
    """A positive row id from form text, or None for anything else."""
    raw = (raw or "").strip()
    if not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def check_comment_text(text: str) -> str | None:
    """The message for an empty or oversized comment text, or None when it is fine."""
    if not (text or "").strip():
        return EMPTY_COMMENT
    if len(text.encode("utf-8")) > MAX_COMMENT_BYTES:
        return TOO_LONG
    return None


def normalize_url(value: str) -> str:
    """The website as stored: trimmed, with http:// added when no scheme was typed."""
    value = (value or "").strip()
    if value and "://" not in value:
        value = "http://" + value
    return value


def is_valid_website(value: str) -> bool:
    """An http(s) URL with a plausible host name (WordPress accepts "example.com" too)."""
    try:
        parts = urlsplit(normalize_url(value))
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host or any(c.isspace() for c in value):
        return False
    return "." in host.strip(".") or host == "localhost"


class CommentForm(FlaskForm):
    """Leave a Reply. `guest_fields_required` is set by the view from require_name_email."""

    comment_post_ID = HiddenField()
    comment_parent = HiddenField(default="0")
    comment = TextAreaField("Comment")
    author = StringField("Name")
    email = StringField("Email")
    url = StringField("Website")
    subscribe_comments = BooleanField("Notify me of new comments via email.")
    subscribe_blog = BooleanField("Notify me of new posts via email.")
    remember = BooleanField(
        "Save my name, email, and website in this browser for the next time I comment.",
        name="wp-comment-cookies-consent",
    )

    guest_fields_required = True
    is_guest = True

    def validate_comment(self, field) -> None:
        """Not empty, at most 64 KB."""
        message = check_comment_text(field.data or "")
        if message:
            raise ValidationError(message)

    def validate_author(self, field) -> None:
        """A guest's name (required when the site says so)."""
        if not self.is_guest:
            return
        name = (field.data or "").strip()
        if not name and self.guest_fields_required:
            raise ValidationError(MISSING_NAME)
        if len(name) > MAX_NAME:
            raise ValidationError(f"Please shorten your name to at most {MAX_NAME} characters.")

    def validate_email(self, field) -> None:
        """A guest's email (required when the site says so), well formed when given."""
        if not self.is_guest:
            return
        email = (field.data or "").strip()
        if not email:
            if self.guest_fields_required:
                raise ValidationError(MISSING_EMAIL)
            return
        if len(email) > MAX_EMAIL:
            raise ValidationError(BAD_EMAIL)
        field.data = email
        Email(message=BAD_EMAIL)(self, field)

    def validate_url(self, field) -> None:
        """A guest's website, optional, http or https."""
        if not self.is_guest:
            return
        value = (field.data or "").strip()
        if value and (len(normalize_url(value)) > MAX_URL or not is_valid_website(value)):
            raise ValidationError(BAD_URL)

    def post_id(self) -> int | None:
        """The comment_post_ID as a number, or None when it is not one."""
        return parse_id(self.comment_post_ID.data)

    def parent_id(self) -> int | None:
        """The comment_parent as a number (None for 0, empty or garbage)."""
        return parse_id(self.comment_parent.data)


class EditCommentForm(FlaskForm):
    """Editing one's own comment within the edit window."""

    comment = TextAreaField("Comment")

    def validate_comment(self, field) -> None:
        """Not empty, at most 64 KB."""
        message = check_comment_text(field.data or "")
        if message:
            raise ValidationError(message)


class ConfirmForm(FlaskForm):
    """A bare form carrying only the CSRF token (delete, discard)."""

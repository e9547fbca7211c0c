"""WTForms forms of the admin. Forms check shape; services check the rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.admin.params import db_int
from app.models import PostStatus, Role


class LoginForm(FlaskForm):
    """Staff login; `carry` holds an editor form posted after the session expired."""

    username = StringField(
        "Username or Email Address", validators=[DataRequired(), Length(max=254)]
    )
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])
    remember = BooleanField("Remember Me")
    next = HiddenField()
    carry = HiddenField()
    carry_to = HiddenField()


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (categories)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        # Categories may vanish while the form is open; unknown ids are ignored by the service.
        pass


STATUS_LABELS = {
    PostStatus.DRAFT: "Draft",
    PostStatus.PENDING: "Pending Review",
    PostStatus.SCHEDULED: "Scheduled",
    PostStatus.PUBLISHED: "Published",
    PostStatus.PRIVATE: "Private",
    PostStatus.TRASH: "Trash",
}


class PostForm(FlaskForm):
    """The editor of posts and pages."""

    title = StringField("Title", validators=[Length(max=500)])
    slug = StringField("Slug", validators=[Length(max=200)])
    body = TextAreaField("Content (Markdown)", validators=[Length(max=2_000_000)])
    excerpt = TextAreaField("Excerpt", validators=[Length(max=10_000)])
    status = SelectField("Status", choices=[])
    published_at = StringField("Publish date and time", validators=[Length(max=40)])
    categories = MultiCheckboxField("Categories", coerce=db_int, choices=[])
    new_category = StringField("Add new category", validators=[Length(max=200)])
    tags = StringField("Tags (separate with commas)", validators=[Length(max=2000)])
    featured_media_id = SelectField(
        "Featured image", coerce=db_int, choices=[], validate_choice=False
    )
    featured_upload = FileField("Or upload a new image")
    featured_caption = TextAreaField("Caption", validators=[Length(max=5000)])
    featured_alt = StringField("Alternative text", validators=[Length(max=500)])
    comments_open = BooleanField("Allow comments")
    sticky = BooleanField("Stick this post to the front page")
    parent_id = SelectField("Parent page", coerce=db_int, choices=[], validate_choice=False)
    author_id = SelectField("Author", coerce=db_int, choices=[], validate_choice=False)
    menu_order = IntegerField(
        "Order", default=0, validators=[Optional(), NumberRange(-100_000, 100_000)]
    )
    version = HiddenField()


class TermForm(FlaskForm):
    """A category or tag."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    slug = StringField("Slug", validators=[Length(max=200)])
    parent_id = SelectField("Parent category", coerce=db_int, choices=[], validate_choice=False)
    description = TextAreaField("Description", validators=[Length(max=5000)])


class CommentEditForm(FlaskForm):
    """Editing a comment from the moderation screen."""

    author_name = StringField("Name", validators=[Length(max=250)])
    author_email = StringField("Email", validators=[Optional(), Email(), Length(max=254)])
    author_url = StringField("Website", validators=[Length(max=500)])
    body = TextAreaField("Comment", validators=[DataRequired(), Length(max=65_000)])


class ReplyForm(FlaskForm):
    """A staff reply to a comment."""

    body = TextAreaField("Reply", validators=[DataRequired(), Length(max=65_000)])


class MediaUploadForm(FlaskForm):
    """Uploading one file to the media library."""

    file = FileField("File")
    alt_text = StringField("Alternative text", validators=[Length(max=500)])
    caption = TextAreaField("Caption", validators=[Length(max=5000)])


class MediaDetailsForm(FlaskForm):
    """A file's alternative text and caption."""

    alt_text = StringField("Alternative text", validators=[Length(max=500)])
    caption = TextAreaField("Caption", validators=[Length(max=5000)])


class GeneralSettingsForm(FlaskForm):
    """Settings > General."""

    blogname = StringField("Site Title", validators=[Length(max=200)])
    blogdescription = StringField("Tagline", validators=[Length(max=500)])
    site_url = StringField("Site Address (URL)", validators=[Length(max=500)])
    timezone = StringField("Timezone", validators=[DataRequired(), Length(max=100)])
    date_format = StringField("Date Format", validators=[DataRequired(), Length(max=60)])
    time_format = StringField("Time Format", validators=[DataRequired(), Length(max=60)])
    posts_per_page = IntegerField(
        "Blog pages show at most", validators=[InputRequired(), NumberRange(1, 100)]
    )

    def validate_site_url(self, field) -> None:
        """An http(s) address or nothing."""
        value = (field.data or "").strip()
        if value and not value.startswith(("http://", "https://")):
            raise ValidationError("Enter an address starting with http:// or https://.")

    def validate_timezone(self, field) -> None:
        """A time zone name that zoneinfo knows, such as Europe/Paris or UTC."""
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(field.data.strip())
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError(
                f"“{field.data}” is not a known time zone (for example Europe/Paris or UTC)."
            ) from exc


class ReadingSettingsForm(FlaskForm):
    """Settings > Reading."""

    show_on_front = SelectField(
        "Your homepage displays",
        choices={"posts": "Your latest posts", "page": "A static page"},
    )
    page_on_front = SelectField("Homepage", coerce=db_int, choices=[], validate_choice=False)


class DiscussionSettingsForm(FlaskForm):
    """Settings > Discussion: the rules of the Leave a Reply box."""

    default_comment_status = BooleanField("Allow people to submit comments on new posts")
    require_name_email = BooleanField("Comment author must fill out name and email")
    close_comments_for_old_posts = BooleanField("Automatically close comments on old posts")
    close_comments_days_old = IntegerField(
        "Close comments on posts older than (days)", validators=[InputRequired(), NumberRange(1)]
    )
    thread_comments = BooleanField("Enable threaded (nested) comments")
    thread_comments_depth = IntegerField(
        "Levels deep", validators=[InputRequired(), NumberRange(1, 10)]
    )
    comment_moderation = BooleanField("Comment must be manually approved")
    comment_previously_approved = BooleanField(
        "Comment author must have a previously approved comment"
    )
    comment_max_links = IntegerField(
        "Hold a comment in the queue if it contains this many or more links",
        validators=[InputRequired(), NumberRange(0, 100)],
    )
    moderation_keys = TextAreaField("Comment Moderation words", validators=[Length(max=20000)])
    disallowed_keys = TextAreaField("Disallowed Comment Keys", validators=[Length(max=20000)])
    comment_flood_seconds = IntegerField(
        "Seconds between comments from one person", validators=[InputRequired(), NumberRange(0)]
    )
    comment_edit_minutes = IntegerField(
        "Minutes a commenter may edit their comment", validators=[InputRequired(), NumberRange(0)]
    )
    avatar_source = SelectField(
        "Avatars",
        choices={"gravatar": "Gravatar", "local": "Local (no third-party requests)"},
    )
    providers_order = StringField(
        "Identity providers, in the order shown (comma-separated)", validators=[Length(max=500)]
    )


class UserCreateForm(FlaskForm):
    """Users > Add New."""

    username = StringField("Username", validators=[DataRequired(), Length(max=60)])
    email = StringField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField("Display name", validators=[Length(max=250)])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=8, max=1000)])
    role = SelectField("Role", choices={r: r.title() for r in Role.ALL})


class PrivacyForm(FlaskForm):
    """Tools > Export / Erase Personal Data."""

    email = StringField("Email address", validators=[DataRequired(), Email(), Length(max=254)])
    mode = SelectField(
        "Comments",
        choices={"anonymise": "Anonymise them (keep the text)", "remove": "Remove them"},
        default="anonymise",
    )

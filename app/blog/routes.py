"""Reading routes, with WordPress's URLs. Anything that does not resolve is a 404 page."""

from __future__ import annotations

import re

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)

from app.blog import bp, services
from app.blog.urls import post_url
from app.models import Taxonomy
from app.settings import site_settings

# ASCII digits only (str.isdigit also accepts "²"), and small enough for an integer column.
POST_ID_RE = re.compile(r"0*[0-9]{1,9}")


@bp.before_request
def _refuse_nul_bytes():
    """A NUL byte in the path is never one of our URLs (and PostgreSQL refuses it in text)."""
    if "\x00" in request.path:
        abort(404)


def _per_page() -> int:
    try:
        return max(1, int(site_settings()["posts_per_page"]))
    except (TypeError, ValueError):
        return 10


def _listing_or_404(where: list, number: int):
    page = services.paged_posts(where, number, _per_page())
    if page is None:
        abort(404)
    return page


@bp.route("/")
@bp.route("/page/<int:number>/")
def index(number: int = 1):
    """Home: latest posts; also answers WordPress's /?p=ID and /?s=words."""
    if "p" in request.args or "page_id" in request.args:
        raw = request.args.get("p", request.args.get("page_id", ""))
        post = services.visible_post_by_id(int(raw)) if POST_ID_RE.fullmatch(raw) else None
        if post is None:
            abort(404)
        return redirect(post_url(post), 301)
    if "s" in request.args:
        return search(number)
    front = services.front_page() if number == 1 else None
    if front is not None:
        return render_template("blog/page.html", post=front)
    page = _listing_or_404([], number)
    return render_template("blog/index.html", page=page, heading=None, endpoint_args={})


def search(number: int):
    """Search results for ?s=words (an empty search lists nothing, with the box to retry)."""
    words = request.args.get("s", "").replace("\x00", "").strip()[:200]
    if not words:
        return render_template("blog/search.html", page=None, words=words)
    page = services.paged_posts(services.search_clause(words), number, _per_page())
    if page is None:
        if number == 1:
            page = services.Page([], 1, _per_page(), 0)
        else:
            abort(404)
    return render_template("blog/search.html", page=page, words=words)


@bp.route(
    "/<int(fixed_digits=4):year>/<int(fixed_digits=2):month>/<int(fixed_digits=2):day>/<slug>/"
)
def post(year: int, month: int, day: int, slug: str):
    """A single post with its threaded approved comments."""
    found = services.post_by_permalink(year, month, day, slug)
    if found is None:
        moved = services.redirected_post("post", slug)
        if moved is not None:
            return redirect(post_url(moved), 301)
        abort(404)
    settings = site_settings()
    depth = int(settings["thread_comments_depth"]) if settings["thread_comments"] else 1
    comments = services.approved_comments(found)
    older, newer = services.adjacent_posts(found)
    return render_template(
        "blog/post.html",
        post=found,
        threads=services.thread(comments, max(1, depth)),
        comment_total=len(comments),
        older=older,
        newer=newer,
    )


def _archive(where: list, number: int, heading: str, kind: str, intro: str = "", **endpoint_args):
    page = _listing_or_404(where, number)
    if not page.total and kind in ("Year", "Month"):
        # As in WordPress: an empty category or author still exists, an empty date does not.
        abort(404)
    return render_template(
        "blog/index.html",
        page=page,
        heading=heading,
        archive_kind=kind,
        intro=intro,
        endpoint_args=endpoint_args,
    )


@bp.route("/category/<path:path>/")
@bp.route("/category/<path:path>/page/<int:number>/")
def category(path: str, number: int = 1):
    """Posts in a category and its child categories."""
    term = services.term_by_path(Taxonomy.CATEGORY, path)
    if term is None:
        abort(404)
    where = services.term_clause(term)
    return _archive(where, number, term.name, "Category", term.description, path=path)


@bp.route("/tag/<slug>/")
@bp.route("/tag/<slug>/page/<int:number>/")
def tag(slug: str, number: int = 1):
    """Posts with a tag."""
    term = services.term_by_path(Taxonomy.TAG, slug)
    if term is None:
        abort(404)
    where = services.term_clause(term)
    return _archive(where, number, term.name, "Tag", term.description, slug=slug)


@bp.route("/author/<username>/")
@bp.route("/author/<username>/page/<int:number>/")
def author(username: str, number: int = 1):
    """Posts by one author."""
    user = services.user_by_username(username)
    if user is None:
        abort(404)
    from app.models import Post

    where = [Post.author_id == user.id]
    return _archive(where, number, user.name, "Author", user.bio, username=username)


@bp.route("/<int(fixed_digits=4):year>/")
@bp.route("/<int(fixed_digits=4):year>/page/<int:number>/")
def year_archive(year: int, number: int = 1):
    """Posts of one year."""
    if not 1 <= year <= 9998:
        abort(404)
    return _archive(services.date_range_clause(year), number, str(year), "Year", year=year)


@bp.route("/<int(fixed_digits=4):year>/<int(fixed_digits=2):month>/")
@bp.route("/<int(fixed_digits=4):year>/<int(fixed_digits=2):month>/page/<int:number>/")
def month_archive(year: int, month: int, number: int = 1):
    """Posts of one month."""
    if not (1 <= year <= 9998 and 1 <= month <= 12):
        abort(404)
    from datetime import date

    heading = date(year, month, 1).strftime("%B %Y")
    where = services.date_range_clause(year, month)
    return _archive(where, number, heading, "Month", year=year, month=month)


@bp.route("/<path:path>/")
def page(path: str):
    """A page at /slug/ or /parent/child/ (lowest priority of all routes)."""
    found = services.page_by_path(path)
    if found is None:
        moved = services.redirected_post("page", path.strip("/").split("/")[-1])
        if moved is not None:
            return redirect(post_url(moved), 301)
        abort(404)
    return render_template("blog/page.html", post=found)


@bp.app_template_global()
def page_url(number: int) -> str:
    """URL of page `number` of the current listing (keeps ?s= for searches)."""
    args = dict(request.view_args or {})
    args.pop("number", None)
    if number > 1:
        args["number"] = number
    query = {"s": request.args["s"]} if "s" in request.args else {}
    return url_for(request.endpoint or "blog.index", **args, **query)


@bp.app_template_global()
def home_url() -> str:
    """The site's home page."""
    return url_for("blog.index")


@bp.route("/uploads/<path:filename>")
def upload(filename: str):
    """Files from the upload folder (the media library's originals and sizes)."""
    return send_from_directory(current_app.config["UPLOAD_FOLDER"], filename, max_age=86400)

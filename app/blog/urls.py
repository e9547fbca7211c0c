"""Permalinks of posts, pages and terms: the one place that knows their shape."""

from __future__ import annotations

from flask import Flask, url_for

from app.models import Media, Post, PostType, Term
from app.templating import local_time


def post_url(post: Post, external: bool = False) -> str:
    """/YYYY/MM/DD/slug/ for a post (date in the site's time zone), /path/ for a page."""
    if post.type == PostType.PAGE:
        return url_for("blog.page", path=post.page_path, _external=external)
    when = local_time(post.published_at)
    if when is None:
        return url_for("blog.index", p=post.id, _external=external)
    return url_for(
        "blog.post",
        year=when.year,
        month=when.month,
        day=when.day,
        slug=post.slug,
        _external=external,
    )


def term_url(term: Term) -> str:
    """/category/parent/child/ or /tag/slug/."""
    if term.is_category:
        return url_for("blog.category", path=term.path)
    return url_for("blog.tag", slug=term.slug)


def media_srcset(media: Media) -> str:
    """srcset for an uploaded image: its scaled copies and the original, narrowest first."""
    widths = sorted((int(w), name) for w, name in (media.sizes or {}).items() if str(w).isdigit())
    if media.width:
        widths.append((media.width, media.filename))
    return ", ".join(f"{url_for('blog.upload', filename=name)} {w}w" for w, name in widths)


def init_app(app: Flask) -> None:
    """Make the URL helpers, the sidebar and the `summary` filter available in templates."""
    from app.blog.widgets import sidebar
    from app.content import summarize

    app.jinja_env.globals.update(
        post_url=post_url, term_url=term_url, media_srcset=media_srcset, sidebar=sidebar
    )
    app.jinja_env.filters["summary"] = summarize

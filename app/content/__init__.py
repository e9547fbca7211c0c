"""Markdown rendering and HTML sanitising: the only place untrusted text becomes HTML."""

from app.content.render import render_comment, render_post, strip_tags, summarize
from app.content.slugs import slugify, unique_slug

__all__ = ["render_comment", "render_post", "slugify", "strip_tags", "summarize", "unique_slug"]

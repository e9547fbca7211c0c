"""Benchmark of the reading side: `make bench` (or `python bench/run.py --help`).

Seeds a fresh database with N posts (with categories and tags) and one post with 200
threaded comments, then renders pages through Flask's test client many times. Machines
are noisy, so each page is reported as a ratio against a baseline measured in the same run
and interleaved with it: /healthz, one trivial database query through the whole request
cycle. A ratio that grows between commits means the page got slower, whatever the machine.

The database is a temporary SQLite file unless BENCH_DATABASE_URL names another (it is
emptied first: never point it at a database you care about).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from app import create_app  # noqa: E402
from app.content import render_comment, render_post  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    Comment,
    CommentStatus,
    Post,
    PostStatus,
    Role,
    Taxonomy,
    Term,
    User,
)
from app.models.base import utcnow  # noqa: E402

BODY = """The tide came in early and the market moved up the quay.

## What we saw

- *Mackerel* at the first stall
- bread from the van, **still warm**
- a [map of the harbour](https://example.org/map)

> Come before the ferry, or come tomorrow.
"""


def _reset(url: str) -> None:
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


def seed(posts: int, comments: int) -> str:
    """Fill the database; return the path of the post with the comments."""
    from app.blog.urls import post_url

    author = User(username="bench", email="bench@example.org", role=Role.AUTHOR)
    db.session.add(author)
    categories = [
        Term(taxonomy=Taxonomy.CATEGORY, name=f"Category {i}", slug=f"category-{i}")
        for i in range(8)
    ]
    tags = [Term(taxonomy=Taxonomy.TAG, name=f"tag {i}", slug=f"tag-{i}") for i in range(20)]
    db.session.add_all(categories + tags)
    html = render_post(BODY)
    now = utcnow()
    for i in range(posts):
        db.session.add(
            Post(
                title=f"Harbour note {i}",
                slug=f"harbour-note-{i}",
                source=BODY,
                content_html=html,
                status=PostStatus.PUBLISHED,
                author=author,
                published_at=now - timedelta(hours=6 * i + 1),
                terms=[categories[i % 8], tags[i % 20], tags[(i + 7) % 20]],
            )
        )
    busy = Post(
        title="The busy post",
        slug="the-busy-post",
        source=BODY,
        content_html=html,
        status=PostStatus.PUBLISHED,
        author=author,
        published_at=now - timedelta(minutes=30),
        terms=[categories[0], tags[0]],
    )
    db.session.add(busy)
    parent = None
    for i in range(comments):
        source = f"Comment number {i}: I was there *too*, see https://example.org/{i}"
        parent = Comment(
            post=busy,
            parent=parent if i % 3 else None,  # threads three deep
            author_name=f"Reader {i}",
            author_email=f"reader{i}@example.org",
            body_source=source,
            body_html=render_comment(source),
            status=CommentStatus.APPROVED,
            created_at=now - timedelta(minutes=comments - i),
        )
        db.session.add(parent)
    busy.comment_count = comments
    db.session.commit()
    return post_url(busy)


def measure(client, paths: dict[str, str], repeat: int) -> dict[str, list[float]]:
    """Seconds per request for each path, interleaved so noise hits every path alike."""
    timings: dict[str, list[float]] = {name: [] for name in paths}
    for path in paths.values():  # warm caches, templates, connections
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()
    for _ in range(repeat):
        for name, path in paths.items():
            start = time.perf_counter()
            response = client.get(path)
            response.get_data()
            timings[name].append(time.perf_counter() - start)
            response.close()
    return timings


def main(argv: list[str] | None = None) -> int:
    """Seed, measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300, help="posts to seed (default 300)")
    parser.add_argument("--comments", type=int, default=200, help="comments on the busy post")
    parser.add_argument("--repeat", type=int, default=40, help="rounds of requests (default 40)")
    args = parser.parse_args(argv)

    from flask_migrate import upgrade

    with tempfile.TemporaryDirectory(prefix="quire-bench-") as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        _reset(url)
        app = create_app(
            {
                "QUIRE_ENV": "testing",
                "SQLALCHEMY_DATABASE_URI": url,
                "UPLOAD_FOLDER": str(Path(tmp) / "uploads"),
            }
        )
        with app.app_context():
            upgrade()
        with app.test_request_context():
            post_path = seed(args.posts, args.comments)
        paths = {
            "baseline /healthz": "/healthz",
            "home /": "/",
            "home page 2": "/page/2/",
            "category archive": "/category/category-3/",
            f"post with {args.comments} comments": post_path,
        }
        # Each request pushes its own app context, as on a server (no state shared via `g`).
        timings = measure(app.test_client(), paths, args.repeat)
        with app.app_context():
            db.engine.dispose()

    medians = {name: statistics.median(values) for name, values in timings.items()}
    base = medians["baseline /healthz"]
    dialect = url.split(":", 1)[0]
    print(f"Quire reading benchmark: {args.posts} posts, {args.repeat} rounds, {dialect}")
    print(f"{'page':<28} {'median ms':>10} {'p90 ms':>8} {'x baseline':>11}")
    for name, values in timings.items():
        p90 = statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]
        print(f"{name:<28} {medians[name] * 1000:>10.2f} {p90 * 1000:>8.2f} "
              f"{medians[name] / base:>11.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

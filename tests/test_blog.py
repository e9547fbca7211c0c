"""The reading side: every public page, with assertions on what a reader sees."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from app.models import Comment, CommentStatus, Media, PostStatus, PostType, Role, Taxonomy
from app.models.base import utcnow

TITLE_RE = re.compile(r'rel="bookmark">([^<]+)</a>')


def titles(html: str) -> list[str]:
    """Titles of the post summaries on a listing page, in order."""
    return TITLE_RE.findall(html)


def at(year, month, day, hour=12):
    """A UTC publication time (the test site's time zone is UTC)."""
    return datetime(year, month, day, hour, tzinfo=UTC)


def assert_not_found(response):
    """A clean 404: the friendly page with its search box, no traceback."""
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "That page can&rsquo;t be found" in html
    assert 'role="search"' in html and 'id="search-again"' in html
    assert "Traceback" not in html


def log_in(client, user):
    """Sign a staff member in the way Flask-Login remembers them: in the session."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


# Home page and paging


def test_home_lists_newest_first_ten_a_page(client, create_post):
    for n in range(1, 13):
        create_post(f"Post number {n}", days_ago=13 - n)  # Post number 12 is the newest
    html = client.get("/").get_data(as_text=True)
    assert titles(html) == [f"Post number {n}" for n in range(12, 2, -1)]
    assert "Page 1 of 2" in html
    assert 'href="/page/2/"' in html and "Older posts" in html
    assert "Newer posts" not in html

    second = client.get("/page/2/").get_data(as_text=True)
    assert titles(second) == ["Post number 2", "Post number 1"]
    assert "Page 2 of 2" in second
    assert 'href="/"' in second and "Newer posts" in second
    assert "Older posts" not in second


def test_posts_per_page_setting_is_used(app, client, create_post):
    from app.settings import set_settings

    set_settings({"posts_per_page": 3})
    for n in range(1, 5):
        create_post(f"Entry {n}", days_ago=5 - n)
    assert titles(client.get("/").get_data(as_text=True)) == ["Entry 4", "Entry 3", "Entry 2"]
    assert titles(client.get("/page/2/").get_data(as_text=True)) == ["Entry 1"]


def test_sticky_post_comes_first(client, create_post):
    create_post("Fresh news", days_ago=1)
    create_post("Old but pinned", days_ago=30, sticky=True)
    create_post("Middle news", days_ago=5)
    html = client.get("/").get_data(as_text=True)
    assert titles(html) == ["Old but pinned", "Fresh news", "Middle news"]
    assert "is-sticky" in html and "Featured</p>" in html


def test_empty_home_says_nothing_here(client):
    html = client.get("/").get_data(as_text=True)
    assert "Nothing here yet" in html
    assert titles(html) == []


def test_home_shows_comment_counts(client, create_post, create_comment):
    quiet = create_post("Quiet post", days_ago=2)
    busy = create_post("Busy post", days_ago=1)
    one = create_post("One reply post", days_ago=3)
    create_comment(busy, "First")
    create_comment(busy, "Second")
    create_comment(busy, "Held back", status=CommentStatus.PENDING)
    create_comment(one, "Only one")
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'class="comments-link">2 Comments<span[^>]*> on Busy post', html)
    assert re.search(r'class="comments-link">1 Comment<span[^>]*> on One reply post', html)
    assert re.search(r'class="comments-link">Leave a comment<span[^>]*> on Quiet post', html)
    assert quiet.comment_count == 0


@pytest.mark.parametrize("url", ["/page/3/", "/page/0/", "/page/abc/", "/page/-1/", "/page/"])
def test_page_numbers_past_the_end_or_not_numbers_are_404(client, create_post, url):
    for n in range(12):
        create_post(f"P{n}", days_ago=n + 1)
    assert_not_found(client.get(url))


def test_huge_page_number_is_404(client, create_post):
    create_post("Lonely")
    assert_not_found(client.get("/page/99999999999999999999/"))


# Single posts


def test_post_permalink_shows_the_post(client, create_post, create_term):
    news = create_term("News")
    tag = create_term("Harbour", Taxonomy.TAG)
    create_post(
        "Spring tide",
        "The *highest* tide of the year.",
        published_at=at(2025, 3, 14),
        terms=[news, tag],
    )
    response = client.get("/2025/03/14/spring-tide/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1 class="entry-title" id="entry-title">Spring tide</h1>' in html
    assert "<p>The <em>highest</em> tide of the year.</p>" in html
    assert "<title>Spring tide &ndash; Quire</title>" in html
    assert 'href="/category/news/" rel="category tag">News</a>' in html
    assert 'href="/tag/harbour/" rel="tag">Harbour</a>' in html
    assert 'href="/author/writer/" rel="author">Writer</a>' in html
    assert "March 14, 2025" in html


@pytest.mark.parametrize(
    "url",
    [
        "/2025/03/15/spring-tide/",  # wrong day
        "/2024/03/14/spring-tide/",  # wrong year
        "/2025/03/14/neap-tide/",  # unknown slug
        "/2026/02/30/spring-tide/",  # no such date
        "/2026/13/01/spring-tide/",  # no such month
        "/0000/01/01/spring-tide/",  # year zero
        "/2025/00/14/spring-tide/",
        "/2025/3/14/spring-tide/",  # WordPress's URLs have two-digit months
        "/9999/12/31/spring-tide/",
    ],
)
def test_wrong_or_malformed_permalinks_are_404(client, create_post, url):
    create_post("Spring tide", published_at=at(2025, 3, 14))
    assert_not_found(client.get(url))


def test_featured_image_with_caption_and_alt_sits_above_the_body(client, db, create_post):
    media = Media(
        filename="quay.jpg", mime_type="image/jpeg", width=800, height=450, alt_text="Old alt"
    )
    db.session.add(media)
    db.session.commit()
    create_post(
        "At the quay",
        "Body text starts here.",
        published_at=at(2025, 5, 2),
        featured_media=media,
        featured_caption="Crates stacked on the quay at dawn.",
        featured_alt="Wooden crates on a stone quay",
    )
    html = client.get("/2025/05/02/at-the-quay/").get_data(as_text=True)
    figure = re.search(r'<figure class="featured-image">(.*?)</figure>', html, re.S)
    assert figure, "no featured image figure"
    assert 'src="/uploads/quay.jpg"' in figure.group(1)
    assert 'alt="Wooden crates on a stone quay"' in figure.group(1)
    assert 'width="800" height="450"' in figure.group(1)
    assert "<figcaption>Crates stacked on the quay at dawn.</figcaption>" in figure.group(1)
    body = html.index('<div class="entry-content"><p>Body text starts here.')
    assert html.index('class="featured-image"') < body


def test_featured_image_falls_back_to_the_media_alt_text(client, db, create_post):
    media = Media(filename="net.jpg", mime_type="image/jpeg", alt_text="A fishing net drying")
    db.session.add(media)
    db.session.commit()
    create_post("Nets", published_at=at(2025, 5, 3), featured_media=media)
    html = client.get("/2025/05/03/nets/").get_data(as_text=True)
    assert 'alt="A fishing net drying"' in html
    assert "<figcaption>" not in html


def test_approved_comments_are_threaded_and_pending_hidden(client, create_post, create_comment):
    post = create_post("Threads", published_at=at(2025, 6, 1))
    first = create_comment(post, "Top level one", name="Ana", minutes_ago=50)
    reply = create_comment(post, "A reply to Ana", parent=first, name="Ben", minutes_ago=40)
    last = create_comment(post, "A reply to Ben", parent=reply, name="Cat", minutes_ago=30)
    top = create_comment(post, "Top level two", name="Dan", minutes_ago=20)
    create_comment(post, "Buy cheap pills", name="Spammer", status=CommentStatus.SPAM)
    create_comment(post, "Still waiting", name="Eve", status=CommentStatus.PENDING)
    html = client.get("/2025/06/01/threads/").get_data(as_text=True)
    assert "4 responses to &ldquo;Threads&rdquo;" in html
    assert "Still waiting" not in html and "Buy cheap pills" not in html
    # Ana's item contains Ben's reply, which contains Cat's; Dan's comes after, at top level.
    ana = html.index("Top level one")
    ben = html.index("A reply to Ana")
    cat = html.index("A reply to Ben")
    dan = html.index("Top level two")
    assert ana < ben < cat < dan
    between = html[ana:dan]
    assert between.count('<ol class="children">') == 2
    assert f'class="comment depth-2" id="comment-{reply.id}"' in between
    assert f'class="comment depth-3" id="comment-{last.id}"' in between
    assert f'class="comment depth-1" id="comment-{top.id}"' in html[cat:]


def test_comment_author_links_are_nofollow_ugc(client, create_post, create_comment):
    post = create_post("Links", published_at=at(2025, 6, 2))
    create_comment(
        post,
        "See [my site](https://example.org/)",
        name="Fay",
        author_url="https://fay.example.org/",
    )
    html = client.get("/2025/06/02/links/").get_data(as_text=True)
    assert re.search(
        r'<a href="https://fay.example.org/"[^>]* rel="external nofollow ugc">Fay</a>', html
    )
    assert 'href="https://example.org/" rel="nofollow ugc noopener"' in html


def test_post_without_comments_has_no_response_count(client, create_post):
    create_post("Silent", published_at=at(2025, 6, 3), comment_status="closed")
    html = client.get("/2025/06/03/silent/").get_data(as_text=True)
    assert "responses to" not in html and "One response" not in html
    assert "Comments are closed." in html


def test_previous_and_next_links(client, create_post):
    create_post("First of three", published_at=at(2025, 1, 1))
    create_post("Second of three", published_at=at(2025, 1, 2))
    create_post("Third of three", published_at=at(2025, 1, 3))
    create_post("Draft after", published_at=at(2025, 1, 4), status=PostStatus.DRAFT)
    middle = client.get("/2025/01/02/second-of-three/").get_data(as_text=True)
    assert re.search(r'href="/2025/01/01/first-of-three/" rel="prev">.*First of three', middle)
    assert re.search(r'href="/2025/01/03/third-of-three/" rel="next">.*Third of three', middle)
    last = client.get("/2025/01/03/third-of-three/").get_data(as_text=True)
    assert 'rel="next"' not in last.split('class="post-navigation"')[1].split("</nav>")[0]
    assert "Draft after" not in last


# Visibility


@pytest.mark.parametrize(
    "status,days_ago",
    [
        (PostStatus.DRAFT, 1),
        (PostStatus.PENDING, 1),
        (PostStatus.TRASH, 1),
        (PostStatus.SCHEDULED, -2),  # due in two days
        (PostStatus.PUBLISHED, -2),  # dated in the future
        (PostStatus.PRIVATE, 1),
    ],
)
def test_unpublished_posts_are_404_for_readers(client, create_post, status, days_ago):
    post = create_post("Hidden thing", status=status, days_ago=days_ago)
    create_post("Visible thing")
    when = post.published_at
    url = f"/{when:%Y/%m/%d}/hidden-thing/"
    assert_not_found(client.get(url))
    assert_not_found(client.get(f"/?p={post.id}"))
    home = client.get("/").get_data(as_text=True)
    assert titles(home) == ["Visible thing"]
    assert "Hidden thing" not in client.get("/?s=hidden").get_data(as_text=True)
    assert "Hidden thing" not in client.get(f"/{when:%Y}/").get_data(as_text=True)


def test_scheduled_post_appears_once_its_time_has_come(client, create_post):
    create_post("Due now", status=PostStatus.SCHEDULED, days_ago=0.001)
    assert titles(client.get("/").get_data(as_text=True)) == ["Due now"]


def test_private_post_is_visible_to_staff_only(client, create_post, create_user):
    post = create_post("Staff memo", "For the team.", status=PostStatus.PRIVATE)
    url = f"/{post.published_at:%Y/%m/%d}/staff-memo/"
    subscriber = create_user("sam", role=Role.SUBSCRIBER)
    log_in(client, subscriber)
    assert_not_found(client.get(url))
    editor = create_user("eda", role=Role.EDITOR)
    log_in(client, editor)
    html = client.get(url).get_data(as_text=True)
    assert "For the team." in html
    assert "Staff memo" in titles(client.get("/").get_data(as_text=True))


# /?p=ID and search


def test_p_id_redirects_to_the_permalink(client, create_post):
    post = create_post("Redirect me", published_at=at(2025, 7, 8))
    response = client.get(f"/?p={post.id}")
    assert response.status_code == 301
    assert response.headers["Location"] == "/2025/07/08/redirect-me/"
    assert "Redirect me" in client.get(f"/?p={post.id}", follow_redirects=True).text


def test_p_id_of_a_page_redirects_to_its_path(client, create_post):
    page = create_post("About", post_type=PostType.PAGE)
    response = client.get(f"/?page_id={page.id}")
    assert response.status_code == 301
    assert response.headers["Location"] == "/about/"


@pytest.mark.parametrize("query", ["p=garbage", "p=", "p=-3", "p=99999", "p=1e3", "p=%00"])
def test_p_garbage_is_404(client, create_post, query):
    create_post("Something")
    assert_not_found(client.get(f"/?{query}"))


def test_search_finds_by_title_and_text(client, create_post):
    create_post("Lighthouse keeper", "He kept the lamp lit.")
    create_post("Harbour master", "She knew every lighthouse on the coast.", days_ago=2)
    create_post("Unrelated", "Gulls and chips.", days_ago=3)
    html = client.get("/?s=lighthouse").get_data(as_text=True)
    assert titles(html) == ["Lighthouse keeper", "Harbour master"]
    assert "Results for &ldquo;lighthouse&rdquo;" in html
    assert "2 results" in html
    both = client.get("/?s=lamp+lighthouse").get_data(as_text=True)
    assert titles(both) == ["Lighthouse keeper"]


def test_search_with_no_match_offers_the_box_again(client, create_post):
    create_post("Lighthouse keeper")
    html = client.get("/?s=submarine").get_data(as_text=True)
    assert "Nothing found" in html
    assert 'id="search-again"' in html and 'value="submarine"' in html


def test_search_escapes_wildcards_and_markup(client, create_post):
    create_post("Plain title", "nothing special")
    html = client.get("/?s=%25").get_data(as_text=True)
    assert titles(html) == []
    html = client.get("/?s=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_empty_search_asks_for_words(client, create_post):
    create_post("Anything")
    html = client.get("/?s=").get_data(as_text=True)
    assert "Type a few words to search the posts." in html
    assert titles(html) == []


# Archives


def test_category_archive_includes_child_categories(client, create_post, create_term):
    food = create_term("Food")
    fish = create_term("Fish", parent=food)
    other = create_term("Weather")
    create_post("Fish soup", terms=[fish], days_ago=1)
    create_post("Bread", terms=[food], days_ago=2)
    create_post("Rain again", terms=[other], days_ago=3)
    html = client.get("/category/food/").get_data(as_text=True)
    assert titles(html) == ["Fish soup", "Bread"]
    assert '<h1 class="archive-title">Food</h1>' in html
    assert "<title>Category: Food" in html
    child = client.get("/category/food/fish/").get_data(as_text=True)
    assert titles(child) == ["Fish soup"]
    assert 'href="/category/food/fish/" rel="category tag">Fish</a>' in child
    assert_not_found(client.get("/category/fish/"))  # a child lives under its parent's path
    assert_not_found(client.get("/category/weather/fish/"))
    assert_not_found(client.get("/category/nope/"))


def test_category_archive_pages(client, create_post, create_term):
    news = create_term("News")
    for n in range(11):
        create_post(f"News {n}", terms=[news], days_ago=n + 1)
    assert len(titles(client.get("/category/news/").get_data(as_text=True))) == 10
    second = client.get("/category/news/page/2/").get_data(as_text=True)
    assert titles(second) == ["News 10"]
    assert 'href="/category/news/"' in second
    assert_not_found(client.get("/category/news/page/3/"))


def test_tag_archive(client, create_post, create_term):
    boats = create_term("Boats", Taxonomy.TAG)
    create_post("Sailing", terms=[boats])
    create_post("Walking", days_ago=2)
    html = client.get("/tag/boats/").get_data(as_text=True)
    assert titles(html) == ["Sailing"]
    assert '<p class="archive-kind">Tag</p>' in html
    assert_not_found(client.get("/tag/cars/"))


def test_author_archive(client, create_post, create_user):
    kim = create_user("kim", role=Role.AUTHOR, display_name="Kim Lee")
    create_post("By Kim", author=kim)
    create_post("By the writer", days_ago=2)
    html = client.get("/author/kim/").get_data(as_text=True)
    assert titles(html) == ["By Kim"]
    assert '<h1 class="archive-title">Kim Lee</h1>' in html
    assert_not_found(client.get("/author/nobody/"))


def test_year_and_month_archives(client, create_post):
    create_post("March post", published_at=at(2024, 3, 9))
    create_post("April post", published_at=at(2024, 4, 1))
    create_post("Next year", published_at=at(2025, 4, 1))
    year = client.get("/2024/").get_data(as_text=True)
    assert titles(year) == ["April post", "March post"]
    assert '<h1 class="archive-title">2024</h1>' in year
    month = client.get("/2024/03/").get_data(as_text=True)
    assert titles(month) == ["March post"]
    assert '<h1 class="archive-title">March 2024</h1>' in month
    assert_not_found(client.get("/2023/"))
    assert_not_found(client.get("/2024/13/"))
    assert_not_found(client.get("/2024/00/"))
    assert_not_found(client.get("/0000/"))


# Pages


def test_pages_and_child_pages(client, create_post):
    about = create_post("About", "Who we are.", post_type=PostType.PAGE)
    create_post("Team", "The people.", post_type=PostType.PAGE, parent=about)
    html = client.get("/about/").get_data(as_text=True)
    assert '<h1 class="entry-title" id="entry-title">About</h1>' in html
    assert "Who we are." in html
    # Top-level pages are in the menu.
    assert re.search(r'<nav class="site-nav"[^>]*>.*href="/about/">About</a>', html, re.S)
    child = client.get("/about/team/").get_data(as_text=True)
    assert "The people." in child
    assert 'class="breadcrumb"><a href="/about/">About</a>' in child
    assert_not_found(client.get("/team/"))
    assert_not_found(client.get("/other/team/"))
    # Pages are not in the blog's stream.
    assert titles(client.get("/").get_data(as_text=True)) == []


def test_draft_page_is_404(client, create_post):
    create_post("Secret plans", post_type=PostType.PAGE, status=PostStatus.DRAFT)
    assert_not_found(client.get("/secret-plans/"))


# 404 and uploads


@pytest.mark.parametrize("url", ["/no-such-thing/", "/a/b/c/d/", "/tag/", "/%E2%98%83/"])
def test_unknown_urls_show_the_404_page_with_a_search_box(client, url):
    assert_not_found(client.get(url))


def test_missing_upload_is_404(client, app):
    assert_not_found(client.get("/uploads/missing.png"))
    assert_not_found(client.get("/uploads/../config.py"))


def test_existing_upload_is_served(client, app):
    from pathlib import Path

    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "note.txt").write_text("hello from the upload folder")
    response = client.get("/uploads/note.txt")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "hello from the upload folder"
    response.close()


# Query counts: fixed, whatever the number of posts, terms or comments


def _home_with_posts(create_post, create_term, n):
    # Posts, categories, tags and archive months all grow with n.
    tags = [create_term(f"Tag {i}", Taxonomy.TAG) for i in range(3)]
    for i in range(n):
        category = create_term(f"Cat {i}")
        create_post(
            f"Counted {i}", terms=[category, tags[i % 3], tags[(i + 1) % 3]], days_ago=i * 35 + 1
        )


# settings, menu pages, count, posts (with author, image), their terms; sidebar: recent
# posts, categories with counts, months
HOME_QUERIES = 8
# settings, menu pages, the post (author, image), its terms, its comments, older, newer;
# sidebar: recent posts, categories with counts, months
POST_QUERIES = 10


@pytest.mark.parametrize("n", [2, 10])
def test_home_page_query_count_is_fixed(client, db, count_queries, create_post, create_term, n):
    _home_with_posts(create_post, create_term, n)
    db.session.expire_all()
    with count_queries() as statements:
        html = client.get("/").get_data(as_text=True)
    assert len(titles(html)) == n
    assert len(statements) == HOME_QUERIES, statements


@pytest.mark.parametrize("n", [5, 200])
def test_post_page_query_count_does_not_grow_with_comments(
    client, db, count_queries, create_post, create_term, create_user, n
):
    tag = create_term("Busy", Taxonomy.TAG)
    create_post("Before", published_at=at(2025, 8, 1))
    post = create_post("Popular", published_at=at(2025, 8, 2), terms=[tag])
    create_post("After", published_at=at(2025, 8, 3))
    member = create_user("member", role=Role.SUBSCRIBER)
    parent = None
    for i in range(n):
        # Every third comment answers the one before; some are by a registered user.
        # Added in one transaction: the factory's commit per comment is slow at 200.
        parent = Comment(
            post=post,
            parent=parent if i % 3 else None,
            author_name=f"Reader {i}",
            body_html=f"<p>Comment body {i}</p>",
            status=CommentStatus.APPROVED,
            user=member if i % 4 == 0 else None,
            created_at=utcnow() - timedelta(minutes=n - i),
        )
        db.session.add(parent)
    post.comment_count = n
    db.session.commit()
    db.session.expire_all()
    with count_queries() as statements:
        html = client.get("/2025/08/02/popular/").get_data(as_text=True)
    assert html.count('class="comment-content"') == n
    assert f"{n} responses to" in html
    assert len(statements) == POST_QUERIES, "\n".join(x[:150] for x in statements)


def test_unknown_user_in_the_session_is_treated_as_a_reader(client, create_post):
    post = create_post("Private note", status=PostStatus.PRIVATE)
    with client.session_transaction() as session:
        session["_user_id"] = "99999"
    assert_not_found(client.get(f"/{post.published_at:%Y/%m/%d}/private-note/"))


def test_post_dated_late_in_the_day_uses_the_site_time_zone(app, client, create_post):
    from app.settings import set_settings

    set_settings({"timezone": "America/New_York"})
    # 02:00 UTC on the 10th is 21:00 or 22:00 on the 9th in New York.
    create_post("Late night", published_at=at(2025, 3, 10, 2))
    assert "Late night" in client.get("/2025/03/09/late-night/").get_data(as_text=True)
    assert_not_found(client.get("/2025/03/10/late-night/"))


def test_future_dates_in_archives_do_not_leak(client, create_post):
    next_year = utcnow() + timedelta(days=400)
    create_post("From the future", published_at=next_year)
    assert_not_found(client.get(f"/{next_year:%Y}/"))


# The sidebar


def _widget(html: str, title: str) -> str:
    match = re.search(rf">{title}</h2>\s*<ul>(.*?)</ul>", html, re.S)
    assert match, f"no {title} widget"
    return match.group(1)


def test_sidebar_lists_recent_posts_categories_and_months(client, create_post, create_term):
    food = create_term("Food")
    fish = create_term("Fish", parent=food)
    create_term("Empty category")
    create_post("Old soup", terms=[food], published_at=at(2025, 1, 5))
    for day in range(1, 7):
        create_post(f"February {day}", terms=[fish], published_at=at(2025, 2, day))
    create_post("Draft fish", terms=[fish], status=PostStatus.DRAFT, published_at=at(2025, 3, 1))
    html = client.get("/").get_data(as_text=True)
    assert '<aside class="widget-area" aria-label="Sidebar">' in html

    recent = _widget(html, "Recent Posts")
    assert re.findall(r'">([^<]+)</a>', recent) == [f"February {d}" for d in range(6, 1, -1)]
    assert 'href="/2025/02/06/february-6/"' in recent

    categories = _widget(html, "Categories")
    assert re.findall(
        r'href="([^"]+)">([^<]+)</a> <span class="widget-count">\((\d+)', categories
    ) == [
        ("/category/food/fish/", "Fish", "6"),
        ("/category/food/", "Food", "1"),
    ]
    assert "Empty category" not in categories and "Draft fish" not in html

    months = _widget(html, "Archives")
    assert re.findall(r'href="([^"]+)">([^<]+)</a> <span class="widget-count">\((\d+)', months) == [
        ("/2025/02/", "February 2025", "6"),
        ("/2025/01/", "January 2025", "1"),
    ]
    assert client.get("/2025/02/").status_code == 200


def test_sidebar_is_on_reading_pages_and_the_404_page(client, create_post):
    post = create_post("Only post", published_at=at(2025, 4, 4))
    create_post("About", post_type=PostType.PAGE)
    for url in ("/", "/2025/04/04/only-post/", "/about/", "/?s=only", "/2025/", "/nowhere/"):
        html = client.get(url).get_data(as_text=True)
        assert 'aria-label="Sidebar"' in html, url
        assert f'href="/2025/04/04/only-post/">{post.title}</a>' in _widget(html, "Recent Posts")


def test_empty_site_has_an_empty_sidebar(client):
    html = client.get("/").get_data(as_text=True)
    assert "Recent Posts" not in html and "Archives</h2>" not in html


def test_summaries_cut_at_whole_words_and_skip_code(client, create_post):
    words = " ".join(f"word{i}" for i in range(60))
    create_post("Long one", f"```\nprint('code is not prose')\n```\n\n{words}")
    html = client.get("/").get_data(as_text=True)
    summary = re.search(r'<div class="entry-summary">\s*<p>(.*?)</p>', html, re.S).group(1)
    assert summary == " ".join(f"word{i}" for i in range(40)) + " \u2026"
    assert "code is not prose" not in summary


# More URLs readers meet


def test_search_results_are_paged_and_keep_the_words(client, create_post):
    for n in range(12):
        create_post(f"Gull sighting {n}", days_ago=n + 1)
    create_post("Crab sighting", days_ago=20)
    first = client.get("/?s=gull").get_data(as_text=True)
    assert len(titles(first)) == 10 and "12 results" in first
    assert 'href="/page/2/?s=gull"' in first
    second = client.get("/page/2/?s=gull").get_data(as_text=True)
    assert titles(second) == ["Gull sighting 10", "Gull sighting 11"]
    assert 'href="/?s=gull"' in second
    assert_not_found(client.get("/page/3/?s=gull"))


def test_unicode_slug_permalink(client, create_post):
    create_post("Καλημέρα κόσμε", "Γεια σας.", published_at=at(2025, 9, 9))
    html = client.get("/").get_data(as_text=True)
    assert 'href="/2025/09/09/%CE%BA%CE%B1%CE%BB%CE%B7%CE%BC%CE%AD%CF%81%CE%B1-' in html
    response = client.get("/2025/09/09/καλημέρα-κόσμε/")
    assert response.status_code == 200
    assert "Γεια σας." in response.get_data(as_text=True)


def test_old_slug_redirects_to_the_current_permalink(client, db, create_post):
    from app.models import SlugRedirect

    post = create_post("New name", published_at=at(2025, 10, 1))
    page = create_post("Contact us", post_type=PostType.PAGE)
    db.session.add_all(
        [
            SlugRedirect(post_type=PostType.POST, old_slug="old-name", post_id=post.id),
            SlugRedirect(post_type=PostType.PAGE, old_slug="contact", post_id=page.id),
        ]
    )
    db.session.commit()
    moved = client.get("/2025/10/01/old-name/")
    assert moved.status_code == 301
    assert moved.headers["Location"] == "/2025/10/01/new-name/"
    moved_page = client.get("/contact/")
    assert moved_page.status_code == 301
    assert moved_page.headers["Location"] == "/contact-us/"


def test_old_slug_of_a_hidden_post_does_not_redirect(client, db, create_post):
    from app.models import SlugRedirect

    post = create_post("Pulled", status=PostStatus.TRASH, published_at=at(2025, 10, 2))
    db.session.add(SlugRedirect(post_type=PostType.POST, old_slug="pulled-old", post_id=post.id))
    db.session.commit()
    assert_not_found(client.get("/2025/10/02/pulled-old/"))


def test_listing_page_titles_name_the_archive_and_page(client, create_post, create_term):
    news = create_term("News")
    for n in range(11):
        create_post(f"Item {n}", terms=[news], days_ago=n + 1)
    assert "<title>Quire &ndash; Page 2</title>" in client.get("/page/2/").get_data(as_text=True)
    html = client.get("/category/news/page/2/").get_data(as_text=True)
    assert "<title>Category: News &ndash; Quire &ndash; Page 2</title>" in html
    html = client.get("/?s=item").get_data(as_text=True)
    assert "<title>Search results for &ldquo;item&rdquo; &ndash; Quire</title>" in html


def test_post_body_markup_is_served_as_stored_and_safe(client, db, create_post):
    # content_html is rendered through app/content on save; the page serves exactly that.
    create_post(
        "Escaped",
        'Hello <script>alert(1)</script><img src=x onerror="alert(2)">',
        published_at=at(2025, 11, 1),
    )
    html = client.get("/2025/11/01/escaped/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "onerror" not in html


def test_featured_image_offers_its_scaled_copies(client, db, create_post):
    media = Media(
        filename="2025/06/pier.jpg",
        mime_type="image/jpeg",
        width=2000,
        height=1000,
        sizes={"1280": "2025/06/pier-1280w.jpg", "320": "2025/06/pier-320w.jpg"},
    )
    db.session.add(media)
    db.session.commit()
    create_post("Pier", published_at=at(2025, 6, 20), featured_media=media, featured_alt="A pier")
    html = client.get("/2025/06/20/pier/").get_data(as_text=True)
    assert (
        'srcset="/uploads/2025/06/pier-320w.jpg 320w, /uploads/2025/06/pier-1280w.jpg 1280w, '
        '/uploads/2025/06/pier.jpg 2000w"'
    ) in html
    assert 'sizes="(min-width: 45rem) 42rem, calc(100vw - 2.5rem)"' in html


def test_archives_show_the_term_description_and_author_bio(client, db, create_post, create_term,
                                                           create_user):  # fmt: skip
    fish = create_term("Fish")
    fish.description = "Everything that swims <and> ends up on the grill."
    db.session.commit()
    kim = create_user("kim", role=Role.AUTHOR, bio="Kim writes about the pier.")
    post = create_post("Grilled sardines", terms=[fish], author=kim)
    html = client.get("/category/fish/").get_data(as_text=True)
    assert (
        '<p class="archive-description">Everything that swims &lt;and&gt; ends up on the grill.</p>'
    ) in html
    author = client.get("/author/kim/").get_data(as_text=True)
    assert '<p class="archive-description">Kim writes about the pier.</p>' in author
    year = client.get(f"/{post.published_at:%Y}/").get_data(as_text=True)
    assert "Grilled sardines" in year and "archive-description" not in year


def test_posts_and_pages_name_their_canonical_url(client, create_post):
    create_post("Canon", published_at=at(2025, 12, 1))
    create_post("Colophon", post_type=PostType.PAGE)
    html = client.get("/2025/12/01/canon/").get_data(as_text=True)
    assert '<link rel="canonical" href="http://localhost/2025/12/01/canon/">' in html
    page = client.get("/colophon/").get_data(as_text=True)
    assert '<link rel="canonical" href="http://localhost/colophon/">' in page


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "Pacific/Kiritimati", "America/Los_Angeles"])
def test_archives_at_the_ends_of_the_calendar_in_any_time_zone(client, create_post, zone):
    from app.settings import set_settings

    set_settings({"timezone": zone})
    create_post("Ordinary day")
    for url in ("/0001/", "/0001/01/", "/9998/", "/9998/12/", "/0001/01/01/ordinary-day/"):
        assert_not_found(client.get(url))


@pytest.mark.parametrize(
    "url",
    [
        "/?p=99999999999999999999",
        "/?page_id=99999999999999999999",
        "/?p=%C2%B2",  # "²" counts as a digit for str.isdigit
        "/?p=%D9%A3",  # an Arabic-Indic three
        "/%00/",
        "/category/a%00b/",
        "/tag/%00/",
        "/author/%00/",
        "/2025/01/01/%00/",
        "/2025/01/01/" + "a" * 3000 + "/",
    ],
)
def test_hostile_urls_are_a_clean_404(client, create_post, url):
    create_post("Something")
    assert_not_found(client.get(url))


def test_search_ignores_nul_bytes(client, create_post):
    create_post("Lighthouse keeper")
    html = client.get("/?s=light%00house").get_data(as_text=True)
    assert titles(html) == ["Lighthouse keeper"]


def test_front_page_setting_shows_the_chosen_page(client, db, create_post):
    from app.settings import set_settings

    create_post("Latest news", "Fresh from the quay.")
    about = create_post("Welcome aboard", "This is our *front page*.", post_type=PostType.PAGE)
    set_settings({"show_on_front": "page", "page_on_front": about.id})
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Welcome aboard" in html and "<em>front page</em>" in html
    assert "Latest news" not in html.split('id="content"')[1].split("</main>")[0]

    about.status = PostStatus.DRAFT  # a page readers cannot see: back to the latest posts
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Latest news" in html and "Welcome aboard" not in html

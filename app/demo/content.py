"""The demo site's words: an original small-town blog, "Notes from the Harbour"."""

AUTHOR = {
    "username": "marta",
    "display_name": "Marta Lind",
    "email": "marta@example.org",
    "bio": "Writes about the harbour, old boats and the books that get her through winter.",
}

# (slug, name, parent slug)
CATEGORIES = [
    ("town-life", "Town Life", None),
    ("workshop", "Workshop", None),
    ("boats", "Boats", "workshop"),
    ("books", "Books", None),
]
TAGS = [
    ("market", "market", None),
    ("food", "food", None),
    ("woodwork", "woodwork", None),
    ("walks", "walks", None),
    ("reading", "reading", None),
    ("code", "code", None),
]

POSTS = [
    {
        "slug": "morning-at-the-harbour-market",
        "title": "Morning at the Harbour Market",
        "days_ago": 1,
        "featured": True,
        "terms": ["town-life", "market", "food"],
        "excerpt": "Before seven the quay smells of tar, coffee and the first catch.",
        "source": """Before seven the quay smells of tar, coffee and the first catch. The stalls
go up in the same order every Saturday: the bread van first, then the fish tables, then
the woman who sells nothing but eggs and honey and will tell you which hen laid which.

## What to get early

- **Smoked mackerel** from the blue stall, still warm at half past seven.
- Sourdough from the van, before the cafés buy the lot.
- Whatever the egg-and-honey stall recommends. Do not argue.

> "Come before the ferry," the baker says, "or come tomorrow."

By nine the day-trippers arrive and the light goes flat. The best hour is the first one,
when the boats are still ticking against the quay and nobody is in a hurry yet.
""",
    },
    {
        "slug": "repairing-a-wooden-rowboat-part-one",
        "title": "Repairing a Wooden Rowboat, Part One",
        "days_ago": 4,
        "terms": ["boats", "woodwork"],
        "source": """The rowboat came to us for the price of taking it away: twelve feet of
larch on oak frames, two cracked planks and a transom that had seen better decades.

This first part is about **taking stock** before touching a tool:

1. Photograph everything, from every side, before anything comes off.
2. Tap each plank with a knuckle. A dull note means soft wood underneath.
3. Mark the frames that move when you push on the gunwale.

Next time: steaming new oak for the two broken frames, and why the shed now smells like
a sauna.
""",
    },
    {
        "slug": "a-reading-list-for-long-winter-evenings",
        "title": "A Reading List for Long Winter Evenings",
        "days_ago": 9,
        "terms": ["books", "reading"],
        "source": """When the ferry stops running on weekdays, the library becomes the busiest
building in town. Here is what the reading group chose this year, with one line each:

| Book | Why |
| --- | --- |
| A sea novel with no happy ending | Because November deserves honesty |
| A cookbook read like a novel | The soup chapter alone is worth it |
| Letters between two lighthouse keepers | Slow, kind and very funny |

Bring your own suggestions to the library on Thursday; there is always tea.
""",
    },
    {
        "slug": "how-we-built-the-tide-table-widget",
        "title": "How We Built the Tide Table Widget",
        "days_ago": 15,
        "terms": ["workshop", "code"],
        "source": """The harbour office asked for a small tide table on the town's website. It
reads the published high and low waters and prints the next four:

```python
def next_tides(table, now, count=4):
    return [t for t in table if t.time >= now][:count]
```

The tricky part was not the code but the clocks: the tables are printed in local time,
and twice a year an hour disappears or happens twice. We store everything in UTC and
convert at the last moment.
""",
    },
    {
        "slug": "walking-the-cliff-path-at-dawn",
        "title": "Walking the Cliff Path at Dawn",
        "days_ago": 22,
        "terms": ["town-life", "walks"],
        "source": """From the lifeboat station the path climbs for twenty minutes and then
levels out along the cliff top. At dawn you share it with rabbits, a few determined
runners and, in spring, more skylarks than seems reasonable.

Take the left fork at the bench with the brass plaque; the right fork ends in gorse.
""",
    },
]

PAGES = [
    {
        "slug": "about",
        "title": "About",
        "order": 1,
        "source": """*Notes from the Harbour* is a small blog about a small town: its market,
its boats, its library and the paths around it.

It is written by Marta, who repairs old boats badly and reads books well.
""",
    },
    {
        "slug": "colophon",
        "title": "Colophon",
        "parent": "about",
        "source": """This site runs on Quire. The harbour photograph on the front page is a
drawing made by the demo itself.
""",
    },
]

# post slug -> [(key, parent key, name, website, body, status)]
COMMENTS = {
    "morning-at-the-harbour-market": [
        (
            "jonas",
            None,
            "Jonas Berg",
            "",
            "The smoked mackerel really is worth getting up for. "
            "I was there at 7:15 last week and there were only three left.",
            "approved",
        ),
        (
            "marta",
            "jonas",
            "Marta Lind",
            "",
            "Three left at 7:15? Next week I'm setting two alarms.",
            "approved",
        ),
        (
            "ines",
            "marta",
            "Inés Duarte",
            "https://example.org/ines",
            "Set them for *6:45*. The baker told me the ferry crowd starts queueing at seven.",
            "approved",
        ),
        (
            "priya",
            None,
            "Priya Raman",
            "",
            "Does the honey stall take cards, or should I bring cash?",
            "approved",
        ),
        (
            "jonas2",
            "priya",
            "Jonas Berg",
            "",
            "Cash only, but she will happily keep a jar for you until next Saturday.",
            "approved",
        ),
        ("spammy", None, "Cheap Offers", "", "Visit my shop for amazing deals!", "pending"),
    ],
}

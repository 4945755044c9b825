"""A WordPress import of a generated export, timed.

    python -m bench.wordpress --posts 10000 \
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/pressroom_bench_wp

writes a WXR 1.2 export of ``--posts`` posts (bench/results/wordpress-N.xml, kept for reuse)
and imports it into the database (migrated first; it should be empty), then imports it again
(nothing changes). The export mixes what real sites hold: classic posts (paragraphs by blank
lines, lists, a table, hand-typed endnotes with citations after a rule) and block posts (block
footnotes, an embed, a dynamic block), in English with a Turkish translation of one post in
four (Polylang), 40 authors, 12 categories under 3 parents and 200 tags. Prints the time of
each phase: reading the export, writing the posts, and bringing the search index and
similar-post lists up to date.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import migrations
from publishing.clock import SYSTEM_CLOCK
from publishing.imports.wordpress.importer import import_wordpress

RESULTS = Path(__file__).parent / "results"
_SYLLABLES = [a + b for a in "bdfgklmnprstvz" for b in ("a", "e", "i", "o", "u", "ar", "en", "is")]


def _vocabulary(size: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words: dict[str, None] = {}
    while len(words) < size:
        words["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))] = None
    return list(words)


# Words drawn as in real text: a few very common, most rare (Zipf).
WORDS = _vocabulary(5000, seed=3)
_WEIGHTS = [1 / rank for rank in range(1, len(WORDS) + 1)]


def _sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choices(WORDS, _WEIGHTS, k=words))
    return text[0].upper() + text[1:] + "."


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _classic(rng: random.Random) -> str:
    paragraphs = [" ".join(_sentence(rng) for _ in range(4)) + f"[{n}]" for n in range(1, 4)]
    items = "\n".join(f"<li>{_sentence(rng, 5)}</li>" for _ in range(3))
    notes = "\n".join(
        f"<p>[{n}] “{_sentence(rng, 4)[:-1]}”, Energy Agency, "
        f"https://example.org/r/{rng.randrange(10**6)} (Accessed: 11.03.2025).</p>"
        for n in range(1, 4)
    )
    return (
        f"{paragraphs[0]}\n\n{paragraphs[1]}\nA line of its own.\n<ul>\n{items}\n</ul>\n"
        "<table><thead><tr><th>Year</th><th>TWh</th></tr></thead>"
        "<tbody><tr><td>2024</td><td>12</td></tr></tbody></table>\n\n"
        f"{paragraphs[2]}\n\n<hr />\n{notes}"
    )


def _block(rng: random.Random, post_id: int) -> tuple[str, str]:
    ids = [f"{post_id}-n{n}" for n in range(2)]
    markers = "".join(
        f'<sup data-fn="{i}" class="fn"><a href="#{i}" id="{i}-link">{n}</a></sup>'
        for n, i in enumerate(ids, start=1)
    )
    content = (
        f"<!-- wp:paragraph -->\n<p>{_sentence(rng)}{markers}</p>\n<!-- /wp:paragraph -->\n\n"
        f'<!-- wp:heading -->\n<h2 class="wp-block-heading">{_sentence(rng, 4)}</h2>\n'
        "<!-- /wp:heading -->\n\n"
        f"<!-- wp:paragraph -->\n<p>{_sentence(rng, 30)}</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=M7lc1UVf-VE",'
        '"providerNameSlug":"youtube"} -->\n<figure class="wp-block-embed"><div '
        'class="wp-block-embed__wrapper">\nhttps://www.youtube.com/watch?v=M7lc1UVf-VE\n'
        "</div></figure>\n<!-- /wp:embed -->\n\n"
        "<!-- wp:latest-posts /-->\n\n<!-- wp:footnotes /-->"
    )
    notes = json.dumps([{"id": i, "content": _sentence(rng, 8)} for i in ids])
    return content, notes


@dataclass(frozen=True, slots=True)
class _Post:
    post_id: int
    language: str
    group: str | None


def _item(rng: random.Random, post: _Post, authors: int, tags: int) -> str:
    n = post.post_id
    classic = n % 2 == 0
    meta = ""
    if classic:
        content = _classic(rng)
    else:
        content, notes = _block(rng, n)
        meta = (
            f"<wp:postmeta><wp:meta_key>footnotes</wp:meta_key>"
            f"<wp:meta_value>{_cdata(notes)}</wp:meta_value></wp:postmeta>"
        )
    terms = [f'<category domain="category" nicename="cat-{n % 12}">Category {n % 12}</category>']
    terms += [
        f'<category domain="post_tag" nicename="tag-{t}">Tag {t}</category>'
        for t in sorted({rng.randrange(tags) for _ in range(3)})
    ]
    terms.append(
        f'<category domain="language" nicename="{post.language}">{post.language}</category>'
    )
    if post.group:
        terms.append(
            f'<category domain="post_translations" nicename="{post.group}">{post.group}</category>'
        )
    day = 1 + n % 28
    date = f"20{10 + n % 15}-{1 + n % 12:02d}-{day:02d} 09:{n % 60:02d}:00"
    return f"""
    <item>
      <title>{_cdata(_sentence(rng, 6)[:-1])}</title>
      <dc:creator>{_cdata(f"author{n % authors}")}</dc:creator>
      <guid isPermaLink="false">https://bench.example/?p={n}</guid>
      <content:encoded>{_cdata(content)}</content:encoded>
      <excerpt:encoded>{_cdata(_sentence(rng, 20))}</excerpt:encoded>
      <wp:post_id>{n}</wp:post_id>
      <wp:post_date>{_cdata(date)}</wp:post_date>
      <wp:post_date_gmt>{_cdata(date)}</wp:post_date_gmt>
      <wp:post_name>{_cdata(f"post-{n}")}</wp:post_name>
      <wp:status>{_cdata("publish" if n % 20 else "draft")}</wp:status>
      <wp:post_type>{_cdata("post")}</wp:post_type>
      {"".join(terms)}{meta}
    </item>"""


def _posts(count: int) -> Iterator[_Post]:
    """English posts; one in four with a Turkish translation right after it."""
    post_id = 1
    made = 0
    while made < count:
        group = f"pll_{post_id}" if post_id % 4 == 1 and made + 1 < count else None
        yield _Post(post_id, "en", group)
        made += 1
        if group:
            yield _Post(post_id + 1, "tr", group)
            made += 1
        post_id += 2


def write_export(path: Path, posts: int, *, seed: int = 7) -> None:
    rng = random.Random(seed)
    authors, tags = 40, 200
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="https://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="https://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Bench</title><link>https://bench.example</link><language>en</language>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_site_url>https://bench.example</wp:base_site_url>\n"
            "<wp:base_blog_url>https://bench.example</wp:base_blog_url>\n"
        )
        for a in range(authors):
            out.write(
                f"<wp:author><wp:author_login>author{a}</wp:author_login>"
                f"<wp:author_display_name>{escape(f'Author {a}')}</wp:author_display_name>"
                "</wp:author>\n"
            )
        for c in range(12):
            parent = f"parent-{c % 3}" if c >= 3 else ""
            out.write(
                f"<wp:category><wp:term_id>{c + 1}</wp:term_id><wp:category_nicename>cat-{c}"
                f"</wp:category_nicename><wp:category_parent>{parent}</wp:category_parent>"
                f"<wp:cat_name>Category {c}</wp:cat_name></wp:category>\n"
            )
        for post in _posts(posts):
            out.write(_item(rng, post, authors, tags))
        out.write("\n</channel>\n</rss>\n")


@dataclass
class _Clock:
    """Progress callbacks as phase times."""

    started: float = field(default_factory=time.perf_counter)
    marks: dict[str, float] = field(default_factory=dict)

    def reading(self, done: int, total: int) -> None:
        pass

    def fetching(self, total: int) -> None:  # media: not part of this benchmark
        pass

    def importing(self, total: int) -> None:
        self._mark("read")

    def finishing(self, total: int) -> None:
        self._mark("posts")

    def _mark(self, phase: str) -> None:
        if phase not in self.marks:
            self.marks[phase] = time.perf_counter()
            print(f"{phase} done at {self.marks[phase] - self.started:.1f} s", file=sys.stderr)

    def advance(self, step: int = 1) -> None:
        pass

    def phases(self, ended: float) -> dict[str, float]:
        read = self.marks.get("read", ended)
        posts = self.marks.get("posts", ended)
        return {
            "read": round(read - self.started, 1),
            "posts": round(posts - read, 1),
            "search_and_similar": round(ended - posts, 1),
            "total": round(ended - self.started, 1),
        }


@dataclass
class Result:
    posts: int
    backend: str
    first: dict[str, float]
    again: dict[str, float]
    created: int
    unchanged_again: int
    machine: str = field(default_factory=platform.platform)


async def run(database_url: str, posts: int) -> Result:
    RESULTS.mkdir(exist_ok=True)
    export = RESULTS / f"wordpress-{posts}.xml"
    if not export.exists():
        write_export(export, posts)
    first_clock = _Clock()
    first = await import_wordpress(
        database_url, export, progress=first_clock, now=SYSTEM_CLOCK.now()
    )
    first_times = first_clock.phases(time.perf_counter())
    again_clock = _Clock()
    again = await import_wordpress(
        database_url, export, progress=again_clock, now=SYSTEM_CLOCK.now()
    )
    again_times = again_clock.phases(time.perf_counter())
    return Result(
        posts=posts,
        backend=database_url.split(":", 1)[0],
        first=first_times,
        again=again_times,
        created=first.created,
        unchanged_again=again.unchanged,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--database-url", required=True, help="an empty database")
    args = parser.parse_args()
    migrations.upgrade(args.database_url)  # runs its own event loop: before ours
    result = asyncio.run(run(args.database_url, args.posts))
    print(json.dumps(asdict(result), indent=2))
    out = RESULTS / f"wordpress-{result.posts}-{result.backend.split('+')[0]}.json"
    out.write_text(json.dumps(asdict(result), indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

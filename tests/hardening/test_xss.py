"""Stored XSS: payloads saved through the mutations into bodies, bios, footnotes and source URLs
never come back as live markup in any `html` output, nor as a script address in any
`document` tree, and URLs accept only http and https."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from publishing.access import Role
from tests.document.render import links, validate
from tests.support.client import ApiClient
from tests.support.tokens import bearer, issue_token

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '"><script>alert(1)</script>',
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    '<a href="http://ok.example" onclick="alert(1)">x</a>',
    '<a href="javascript:alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<style>body { background: url("javascript:alert(1)") }</style>',
    '<p style="color:red;expression(alert(1))">x</p>',
    "<!--<script>alert(1)</script>-->",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml,<svg onload=alert(1)>)",
    "<javascript:alert(1)>",
    "[ref][evil]\n\n[evil]: javascript:alert(1)",
    '[title](https://ok.example "x\\" onmouseover=\\"alert(1)")',
    '```js" onmouseover="alert(1)\ncode\n```',
    "`<script>alert(1)</script>`",
    "| a | b |\n| --- | --- |\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |",
    "> <iframe src=https://evil.example></iframe>",
    # Protocol-relative: the scheme would be whatever the showing page or app has.
    "[click](//evil.example/x)",
    "[click](<//evil.example/x>)",
    "[click](\\/\\/evil.example/x)",
    "[click](///evil.example/x)",
    "![img](//evil.example/x.png)",
    "[ref][far]\n\n[far]: //evil.example/x",
]

# What sanitised prose may contain; anything else is a hole.
SAFE_TAGS = {
    *("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6"),
    *("strong", "em", "del", "s", "code", "pre", "blockquote"),
    *("ul", "ol", "li", "a", "img", "sup", "sub", "section", "span"),
    *("table", "thead", "tbody", "tr", "th", "td"),
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background"}
SAFE_SCHEMES = {"", "http", "https", "mailto"}
_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")
# "//host", "/\\host", "\\\\host": another host, under the scheme of whatever shows the HTML.
_PROTOCOL_RELATIVE = re.compile(r"[/\\]{2}")


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SAFE_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc"}:
                self.problems.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value is not None:
                # Browsers drop tabs and newlines in URLs and trim controls and spaces.
                url = _IGNORED_IN_URLS.sub("", value).strip("\x00\x01\x02\x03\x04 \x0b\x0c")
                scheme = urlsplit(url).scheme.lower() if ":" in url else ""
                if scheme not in SAFE_SCHEMES or _PROTOCOL_RELATIVE.match(url):
                    self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def live_markup(html: str) -> list[str]:
    """What in ``html`` a browser would run or load from a script URL."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


class _Addresses(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            # Footnote markers link within the page; the tree numbers them instead.
            if name in ("href", "src") and value is not None and not value.startswith("#"):
                self.found.append(value)

    handle_startendtag = handle_starttag


def addresses_in(html: str) -> list[str]:
    """Every link and image address of ``html``, in order."""
    parser = _Addresses()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_inspector_spots_live_markup() -> None:
    assert live_markup("<script>alert(1)</script>") == ["<script>"]
    assert live_markup('<img src="x" onerror="alert(1)">') == ["<img onerror=...>"]
    assert live_markup('<a href="jav&#x09;ascript:alert(1)">x</a>')
    assert live_markup('<a href="https://ok.example">x</a> &lt;script&gt;') == []
    assert live_markup('<a href="//evil.example">x</a>')
    assert live_markup('<img src=" /\\evil.example/x.png">')
    assert live_markup('<a href="/local/path">x</a><a href="#n1">1</a>') == []


ARTICLE_HTML = """
query($id: ID!) {
  node(id: $id) {
    ... on Article {
      body { html document }
      footnotes { content { html document } source { url } }
      authors { bio(language: "en") { html document } }
    }
  }
}
"""


async def admin(client: ApiClient, fresh_demo_url: str) -> dict[str, str]:
    return bearer(await issue_token(fresh_demo_url, Role.ADMIN))


async def create_author(client: ApiClient, headers: dict[str, str], bio: str) -> str:
    result = await client.data(
        """mutation($input: CreateAuthorInput!) {
          createAuthor(input: $input) {
            __typename ... on CreateAuthorSuccess { author { id } }
            ... on ValidationError { issues { path code } }
          }
        }""",
        {
            "input": {
                "slug": "payload-author",
                "name": "Payload",
                "bios": [{"language": "en", "markdown": bio}],
            }
        },
        headers=headers,
    )
    assert result["createAuthor"]["__typename"] == "CreateAuthorSuccess", result
    author_id: str = result["createAuthor"]["author"]["id"]
    return author_id


async def create_article(
    client: ApiClient,
    headers: dict[str, str],
    author_id: str,
    slug: str,
    body: str,
    footnotes: list[dict[str, Any]],
) -> dict[str, Any]:
    result = await client.data(
        """mutation($input: CreateArticleInput!) {
          createArticle(input: $input) {
            __typename ... on CreateArticleSuccess { article { id } }
            ... on ValidationError { issues { path code } }
          }
        }""",
        {
            "input": {
                "language": "en",
                "slug": slug,
                "title": "<script>alert(1)</script>",
                "body": body,
                "footnotes": footnotes,
                "credits": [{"authorId": author_id, "role": "AUTHOR"}],
            }
        },
        headers=headers,
    )
    created: dict[str, Any] = result["createArticle"]
    return created


async def test_no_payload_survives_into_html(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    headers = await admin(writable_client, fresh_demo_url)
    author_id = await create_author(writable_client, headers, "\n\n".join(PAYLOADS))
    footnotes = [
        {
            "key": f"n{i}",
            "content": payload,
            "source": {"title": payload, "publisher": payload, "url": f"https://ok.example/{i}"},
        }
        for i, payload in enumerate(PAYLOADS)
    ]
    body = "\n\n".join(f"{payload}\n\nSee [^n{i}]." for i, payload in enumerate(PAYLOADS))
    created = await create_article(writable_client, headers, author_id, "payloads", body, footnotes)
    assert created["__typename"] == "CreateArticleSuccess", created

    found = await writable_client.data(
        ARTICLE_HTML, {"id": created["article"]["id"]}, headers=headers
    )
    article = found["node"]
    outputs = {
        "body": article["body"]["html"],
        "bio": article["authors"][0]["bio"]["html"],
        **{f"footnote {i}": f["content"]["html"] for i, f in enumerate(article["footnotes"])},
    }
    assert len(outputs) == 2 + len(PAYLOADS)
    problems = {where: live_markup(html) for where, html in outputs.items()}
    assert not any(problems.values()), {k: v for k, v in problems.items() if v}
    # The payloads are there, as text: escaped, not dropped wholesale.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in outputs["body"]
    # A protocol-relative link is the external link its author meant, on https.
    for where in ("body", "bio"):
        assert outputs[where].count('href="https://evil.example/x"') == 5, where
        assert outputs[where].count('src="https://evil.example/x.png"') == 1, where
    assert {f["source"]["url"] for f in article["footnotes"]} == {
        f"https://ok.example/{i}" for i in range(len(PAYLOADS))
    }
    # The document trees link to what the HTML links to, and nothing a browser would run.
    trees = {
        "body": (article["body"]["document"], outputs["body"]),
        "bio": (article["authors"][0]["bio"]["document"], outputs["bio"]),
        **{
            f"footnote {i}": (f["content"]["document"], outputs[f"footnote {i}"])
            for i, f in enumerate(article["footnotes"])
        },
    }
    for where, (tree, html) in trees.items():
        validate(tree)
        addresses = links(tree)
        assert addresses == addresses_in(html), where
        as_html = "".join(f'<a href="{escape(address)}">x</a>' for address in addresses)
        assert not live_markup(as_html), where
    assert links(trees["body"][0]).count("https://evil.example/x") == 5


BAD_URLS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://files.example/x",
    "//evil.example/x",
    "/relative/path",
    "https:/missing-slash",
    "<script>alert(1)</script>",
    # Absolute http(s), but not as a browser or an HTML attribute can take it.
    'https://ok.example/a"onmouseover="alert(1)',
    "https://ok.example/<script>",
    "https://ok.example/a b",
    "https://ok.example/a\nb",
    "https://ok.example/a\u2028b",
    "https://ok.example/\x7f",
    "https://ok.example/`x`",
    "https://ok.example\\@evil.example/",
    "https://user:pass@ok.example/",
    "https://ok.example@evil.example/",
    "https://ok.example:99999/",
]


async def test_source_urls_accept_only_http_and_https(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    headers = await admin(writable_client, fresh_demo_url)
    author_id = await create_author(writable_client, headers, "A bio.")

    def cited(urls: list[str]) -> tuple[str, list[dict[str, Any]]]:
        body = " ".join(f"Claim [^u{i}]." for i in range(len(urls)))
        notes = [
            {"key": f"u{i}", "content": "A note.", "source": {"title": "A source", "url": url}}
            for i, url in enumerate(urls)
        ]
        return body, notes

    refused = await create_article(writable_client, headers, author_id, "bad", *cited(BAD_URLS))
    assert refused["__typename"] == "ValidationError"
    bad = {tuple(i["path"]) for i in refused["issues"] if i["code"] == "INVALID_URL"}
    assert bad == {("footnotes", str(i), "source", "url") for i in range(len(BAD_URLS))}

    good = [
        "http://ok.example/a",
        "https://ok.example/b?q=1#c",
        "https://en.wikipedia.org/wiki/Conan_O'Brien",
        "https://ru.wikipedia.org/wiki/Газ",
        "https://ok.example:8443/%22quoted%22%20and%20spaced",
    ]
    accepted = await create_article(writable_client, headers, author_id, "good", *cited(good))
    assert accepted["__typename"] == "CreateArticleSuccess", accepted
    found = await writable_client.data(
        ARTICLE_HTML, {"id": accepted["article"]["id"]}, headers=headers
    )
    assert [f["source"]["url"] for f in found["node"]["footnotes"]] == good


async def test_avatar_urls_accept_only_http_and_https(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    headers = await admin(writable_client, fresh_demo_url)
    for index, url in enumerate(BAD_URLS):
        result = await writable_client.data(
            """mutation($input: CreateAuthorInput!) {
              createAuthor(input: $input) {
                __typename ... on ValidationError { issues { path code } }
              }
            }""",
            {"input": {"slug": f"avatar-{index}", "name": "A", "avatarUrl": url}},
            headers=headers,
        )
        assert result["createAuthor"]["__typename"] == "ValidationError", url
        assert result["createAuthor"]["issues"][0]["path"] == ["avatarUrl"], url

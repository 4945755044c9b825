"""What the index reads from Markdown: the words readers see, none of the syntax."""

from __future__ import annotations

import re

import pytest

from publishing.demo.content import STORIES
from publishing.search.document import MARK_END, MARK_START, markdown_text, search_text
from publishing.text import render_markdown

_WORDS = re.compile(r"[^\W_]+")
_REFERENCES = re.compile(r"\[\^[A-Za-z0-9][A-Za-z0-9_-]*\]")

SAMPLE = """\
## A heading ##

Text with *emphasis*, **strong**, ***both***, ~~struck~~ and `code`; snake_case stays,
a [link](https://example.org/a_(b) "title") and <https://example.org>.
Escaped \\*stars\\* and an &amp; entity.[^note]

> Quoted *words*
> > nested

1. First item
   continued here
2. Second
   1990. was a year inside an item

- Dash item
* Star item

In 1990. a year at a line start stays.

| Col A | Col B |
| :---- | ----: |
| a1    | b1    |

---

```python
code_block = 1
```

[ref]: https://example.org/definition
"""


def words(text: str) -> list[str]:
    return _WORDS.findall(text)


def rendered_words(markdown: str) -> list[str]:
    return words(render_markdown(_REFERENCES.sub("", markdown)).text)


def test_sample_reads_as_rendered() -> None:
    text = markdown_text(SAMPLE)
    assert words(text) == rendered_words(SAMPLE)
    assert "note" not in words(text)
    assert "Escaped *stars* and an & entity." in text
    assert "snake_case" in text and "code_block = 1" in text


def test_image_descriptions_are_words_too() -> None:
    assert markdown_text("A map: ![Gas pipelines of Anatolia](map.png)") == (
        "A map: Gas pipelines of Anatolia"
    )


@pytest.mark.parametrize("story", STORIES, ids=lambda s: s.key)
def test_demo_texts_read_as_rendered(story) -> None:  # type: ignore[no-untyped-def]
    for version in story.versions:
        for markdown in (version.body, *(f.content for f in version.footnotes)):
            assert words(markdown_text(markdown)) == rendered_words(markdown)


def test_snippet_markers_cannot_be_forged() -> None:
    text = search_text(
        title=f"A {MARK_START}title{MARK_END}",
        subtitle=None,
        excerpt=MARK_START,
        body=f"body {MARK_END} text",
    )
    for part in (text.title, text.lead, text.body, text.notes):
        assert MARK_START not in part and MARK_END not in part

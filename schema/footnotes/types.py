from __future__ import annotations

import datetime as dt

import strawberry

from publishing.footnotes.citation import format_citation
from publishing.footnotes.models import Footnote as FootnoteModel
from publishing.footnotes.models import Source as SourceModel
from publishing.footnotes.references import FootnoteNumber
from schema.richtext import RichText


@strawberry.type(description="A cited source; footnotes may share one.")
class Source:
    title: str
    publisher: str | None
    url: str | None
    accessed_on: dt.date | None = strawberry.field(description="When the URL was last checked.")

    @classmethod
    def from_model(cls, source: SourceModel) -> Source:
        return cls(
            title=source.title,
            publisher=source.publisher,
            url=source.url,
            accessed_on=source.accessed_on,
        )


@strawberry.type(description="A numbered note of an article.")
class Footnote:
    key: str = strawberry.field(description="The key its references use in the body: [^key].")
    number: int = strawberry.field(description="Order of its first reference in the body, from 1.")
    label: str = strawberry.field(
        description='The number in the article\'s numbering style: "3" or "iii".'
    )
    anchor_id: str = strawberry.field(
        description="The id to give the note's element; body references link to #anchorId."
    )
    reference_ids: list[str] = strawberry.field(
        description="Ids of its references in body.html, in order: targets for back links."
    )
    content: RichText
    source: Source | None
    citation: str | None = strawberry.field(
        description="The source as one line in the article's language, with its access date."
    )

    @classmethod
    def of(
        cls,
        number: FootnoteNumber,
        footnote: FootnoteModel,
        source: SourceModel | None,
        *,
        language: str,
    ) -> Footnote:
        """``footnote`` as it stands in its article (``number``), citing ``source`` in the
        article's ``language``."""
        return cls(
            key=footnote.key,
            number=number.number,
            label=number.label,
            anchor_id=number.anchor_id,
            reference_ids=list(number.reference_ids),
            content=RichText.of(footnote.content),
            source=None if source is None else Source.from_model(source),
            citation=None
            if source is None
            else format_citation(
                title=source.title,
                publisher=source.publisher,
                url=source.url,
                accessed_on=source.accessed_on,
                language=language,
            ),
        )

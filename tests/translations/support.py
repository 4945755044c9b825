"""What the translation workflow's tests share: the operations, as a frontend sends them."""

from __future__ import annotations

from typing import Any

from tests.support.client import ApiClient

RESULT = """
  __typename
  ... on UserError { message }
  ... on ValidationError { issues { path code message } }
"""
CONFLICT = "... on ConflictError { currentVersion }"
TASK = """id status dueOn note isOverdue version createdBy submittedAt completedAt
  staleSegmentCount
  language { code } assignee { token name email }
  original { __typename title language { code } }
  translation { __typename title version }"""
CREATE_TASK = f"""mutation($input: CreateTranslationTaskInput!) {{
  createTranslationTask(input: $input) {{ {RESULT}
    ... on CreateTranslationTaskSuccess {{ task {{ {TASK} }} }} }} }}"""
UPDATE_TASK = f"""mutation($input: UpdateTranslationTaskInput!) {{
  updateTranslationTask(input: $input) {{ {RESULT} {CONFLICT}
    ... on UpdateTranslationTaskSuccess {{ task {{ {TASK} }} }} }} }}"""
CANCEL_TASK = f"""mutation($input: CancelTranslationTaskInput!) {{
  cancelTranslationTask(input: $input) {{ {RESULT} {CONFLICT}
    ... on CancelTranslationTaskSuccess {{ task {{ {TASK} }} }} }} }}"""
SUBMIT = f"""mutation($input: SubmitTranslationInput!) {{
  submitTranslation(input: $input) {{ {RESULT}
    ... on SubmitTranslationSuccess {{ translation {{ title }} tasks {{ {TASK} }} }} }} }}"""
TASKS = f"""query($first: Int, $after: String, $filter: TranslationTaskFilter) {{
  translationTasks(first: $first, after: $after, filter: $filter) {{
    totalCount pageInfo {{ hasNextPage endCursor }}
    edges {{ cursor node {{ {TASK} }} }} }} }}"""
ARTICLE = """query($language: String!, $slug: String!) {
  article(language: $language, slug: $slug) {
    id version title body { markdown }
    translationStatus { isOutdated }
    translations { id language { code } slug version translationStatus { isOutdated } }
  } }"""
CREATE_TRANSLATION = f"""mutation($input: CreateTranslationInput!) {{
  createTranslation(input: $input) {{ {RESULT}
    ... on CreateTranslationSuccess {{ article {{ id version }} }} }} }}"""
UPDATE_ARTICLE = f"""mutation($input: UpdateArticleInput!) {{ updateArticle(input: $input) {{
  {RESULT} ... on UpdateArticleSuccess {{ article {{ id version }} }} }} }}"""
PUBLISH = f"""mutation($input: PublishArticleInput!) {{ publishArticle(input: $input) {{
  {RESULT} ... on ArticleStatusSuccess {{ article {{ id version }} }} }} }}"""

# An English story with no translation in the demo content.
UNTRANSLATED = ("en", "arms-control-without-a-treaty")
# English, with a published Turkish and a draft Russian translation.
NUCLEAR = ("en", "the-future-of-nuclear-verification")


async def run(
    api: ApiClient, query: str, variables: dict[str, Any], headers: dict[str, str], name: str
) -> dict[str, Any]:
    """The mutation's result, whatever its type."""
    result: dict[str, Any] = (await api.data(query, variables, headers=headers))[name]
    return result


async def ok(
    api: ApiClient, query: str, variables: dict[str, Any], headers: dict[str, str], name: str
) -> dict[str, Any]:
    """The mutation's result, insisting it succeeded."""
    result = await run(api, query, variables, headers, name)
    assert result["__typename"].endswith("Success"), result
    return result


async def article(api: ApiClient, headers: dict[str, str], key: tuple[str, str]) -> Any:
    data = await api.data(ARTICLE, {"language": key[0], "slug": key[1]}, headers=headers)
    return data["article"]


def issues(result: dict[str, Any]) -> set[tuple[tuple[Any, ...], str]]:
    assert result["__typename"] == "ValidationError", result
    return {(tuple(i["path"]), i["code"]) for i in result["issues"]}

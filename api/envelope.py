"""The envelope of a GraphQL request over HTTP, checked before any GraphQL work.

The envelope is what carries an operation: a JSON object in a POST body, or the query string
of a GET, with ``query``, ``variables``, ``operationName``, ``extensions`` (and ``documentId``
for persisted documents). One that cannot be read is refused here with a 4xx and a
GraphQL-shaped JSON error, in development and production alike:

- a POST body that is not JSON (415 when not even declared as JSON), not UTF-8, or not an
  object; a GET query string that is not UTF-8, or ``variables``/``extensions`` that are not
  JSON;
- ``query`` that is not a string, ``variables``/``extensions`` that are not objects,
  ``operationName``/``documentId`` that are not strings;
- JSON nested deeper than MAX_NESTING levels (no input of the schema comes near it);
- in an upload (a multipart form), ``operations`` and ``map`` read as above, and a ``map``
  that does not name places in ``variables`` and files in the form (``read_upload``);
- a lone surrogate anywhere outside ``variables``, a NUL in ``operationName``,
  ``documentId`` or ``extensions``.

Strings in ``variables``, and NULs in the query's literals, are left to the GraphQL layer
(schema.characters), which refuses them at the argument that receives them, naming its
path. Lone surrogates are valid JSON (``"\\ud800"``) that orjson does not accept, so a body
orjson refuses is read again by the standard library before it is called malformed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import parse_qsl

import orjson

from schema.characters import describe

# Deeper JSON is refused: the deepest input of the schema (a menu's item tree) needs about a
# dozen levels, and encoders and decoders downstream have recursion limits of their own.
MAX_NESTING: Final = 64

INVALID_JSON: Final = "INVALID_JSON"
INVALID_REQUEST: Final = "INVALID_REQUEST"
NESTED_TOO_DEEPLY: Final = "NESTED_TOO_DEEPLY"
INVALID_CHARACTER: Final = "INVALID_CHARACTER"
UNSUPPORTED_MEDIA_TYPE: Final = "UNSUPPORTED_MEDIA_TYPE"

# Lone UTF-16 surrogates: no UTF-8 encoding exists for them, so no GraphQL document holds one.
SURROGATE: Final = re.compile("[\ud800-\udfff]")

# The parameters that may hold JSON in a GET query string.
_JSON_PARAMETERS: Final = ("variables", "extensions")
_STRING_PARAMETERS: Final = ("query", "operationName", "documentId")


class EnvelopeError(Exception):
    """A request whose envelope cannot be read; answered with ``status`` and a JSON error."""

    def __init__(self, message: str, code: str, status: int = 400, **extensions: object) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.extensions: dict[str, object] = {"code": code, **extensions}

    def body(self) -> bytes:
        return orjson.dumps({"errors": [{"message": self.message, "extensions": self.extensions}]})


def dumps(value: Any, *, sort_keys: bool = False) -> bytes:
    """JSON of ``value``, with orjson's speed; strings orjson cannot encode (lone surrogates)
    are written as \\u escapes, as the client sent them."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else None)
    except orjson.JSONEncodeError:
        return json.dumps(value, sort_keys=sort_keys, separators=(",", ":")).encode()


def read_envelope(
    method: str, query_string: bytes, content_type: str, body: bytes
) -> dict[str, Any]:
    """The GraphQL parameters of a GET (from its query string) or a JSON POST (from its body);
    raises EnvelopeError when they cannot be read or have the wrong shape."""
    if method == "GET":
        params = _query_parameters(query_string)
    else:
        media_type = content_type.split(";")[0].strip().lower()
        if media_type != "application/json":
            given = f"got {media_type[:80]!r}" if media_type else "the request has none"
            raise EnvelopeError(
                "GraphQL requests are sent as JSON: use 'Content-Type: application/json' "
                f"(or multipart/form-data for uploads); {given}.",
                UNSUPPORTED_MEDIA_TYPE,
                415,
            )
        decoded = read_json(body, "The request body")
        if not isinstance(decoded, dict):
            raise EnvelopeError(
                "The request body must be a JSON object with `query` (and `variables`, "
                f"`operationName`, `extensions`); got {_kind(decoded)}.",
                INVALID_REQUEST,
            )
        params = decoded
    _check_shape(params)
    return params


def _query_parameters(query_string: bytes) -> dict[str, Any]:
    try:
        # Percent escapes must decode as UTF-8: replaced characters would change the query.
        pairs = parse_qsl(query_string.decode("latin-1"), errors="strict")
    except UnicodeDecodeError:
        raise EnvelopeError(
            "The query string is not valid UTF-8 once percent-decoded.", INVALID_JSON
        ) from None
    params: dict[str, Any] = dict(pairs)
    for name in _JSON_PARAMETERS:
        raw = params.get(name)
        if raw:
            params[name] = read_json(raw.encode(), f"The `{name}` parameter")
    return params


def read_json(raw: bytes, what: str) -> Any:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        value = _json_with_surrogates(raw, what)
    depth = _depth(value)
    if depth > MAX_NESTING:
        raise _too_deep(what)
    return value


def _json_with_surrogates(raw: bytes, what: str) -> Any:
    """What orjson refused, read by the standard library, which also accepts lone surrogate
    escapes; anything else it refuses too (NaN and Infinity included: they are not JSON)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise EnvelopeError(
            f"{what} is not valid UTF-8 (byte {error.start}).", INVALID_JSON
        ) from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise _too_deep(what) from None
    except ValueError as error:  # JSONDecodeError, and the constants refused below
        raise EnvelopeError(f"{what} is not valid JSON: {error}.", INVALID_JSON) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _too_deep(what: str) -> EnvelopeError:
    return EnvelopeError(
        f"{what} nests arrays and objects more than {MAX_NESTING} levels deep.",
        NESTED_TOO_DEEPLY,
        limit=MAX_NESTING,
    )


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in ``value`` (0 for a scalar); walked without
    recursion, and stopping once past MAX_NESTING."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_NESTING:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def _check_shape(params: dict[str, Any]) -> None:
    for name in _STRING_PARAMETERS:
        value = params.get(name)
        if value is not None and not isinstance(value, str):
            raise EnvelopeError(
                f"`{name}` must be a string (or null); got {_kind(value)}.", INVALID_REQUEST
            )
    for name in _JSON_PARAMETERS:
        value = params.get(name)
        if value is not None and not isinstance(value, dict):
            raise EnvelopeError(
                f"`{name}` must be a JSON object (or null); got {_kind(value)}.",
                INVALID_REQUEST,
            )
    query = params.get("query")
    if isinstance(query, str) and SURROGATE.search(query):
        # No GraphQL string can hold one (the parser refuses the escape); a NUL in a literal
        # argument is refused at that argument, like one in a variable.
        raise _bad_character(["query"], "a lone surrogate")
    for name in ("operationName", "documentId", "extensions"):
        found = _unstorable_in(params.get(name), [name])
        if found is not None:
            raise _bad_character(*found)


def _bad_character(path: list[str], problem: str) -> EnvelopeError:
    return EnvelopeError(
        f"`{'.'.join(path)}` contains {problem}, which no request may carry outside "
        "`variables` (where it is refused at the argument that receives it).",
        INVALID_CHARACTER,
        path=path,
    )


def _unstorable_in(value: Any, path: list[str]) -> tuple[list[str], str] | None:
    """The first string (object keys included) in ``value`` that breaks the character
    contract, with its path; nesting is bounded by MAX_NESTING already."""
    if isinstance(value, str):
        problem = describe(value)
        return None if problem is None else (path, problem)
    if isinstance(value, dict):
        for key, item in value.items():
            problem = describe(key)
            if problem is not None:
                return [*path, key.encode("utf-8", "backslashreplace").decode()], problem
            found = _unstorable_in(item, [*path, key])
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _unstorable_in(item, [*path, str(index)])
            if found is not None:
                return found
    return None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def read_upload(
    operations: str | bytes | None, files_map: str | bytes | None, files: Mapping[str, Any]
) -> dict[str, Any]:
    """The GraphQL parameters of a multipart upload (the GraphQL multipart request spec): the
    ``operations`` field read like a JSON body, each file put where ``map`` says."""
    params = read_json(_bytes(operations), "The `operations` field")
    if not isinstance(params, dict):
        raise EnvelopeError(
            f"The `operations` field must be a JSON object; got {_kind(params)}.", INVALID_REQUEST
        )
    _check_shape(params)
    places = read_json(_bytes(files_map), "The `map` field")
    if not isinstance(places, dict) or not all(
        isinstance(paths, list) and all(isinstance(p, str) for p in paths)
        for paths in places.values()
    ):
        raise EnvelopeError(
            "The `map` field must be a JSON object of file field names to lists of paths, e.g. "
            '{"0": ["variables.input.file"]}.',
            INVALID_REQUEST,
        )
    for name, paths in places.items():
        if name not in files:
            raise EnvelopeError(
                f"The map names a file `{name}` the form does not hold.", INVALID_REQUEST
            )
        for path in paths:
            _place(params, path, files[name])
    return params


def _bytes(value: str | bytes | None) -> bytes:
    if value is None:
        return b"{}"
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value


def _place(params: dict[str, Any], path: str, file: Any) -> None:
    *parents, last = path.split(".")
    target: Any = params
    for key in parents:
        target = _step(target, key, path)
    if isinstance(target, dict):
        target[last] = file
    elif isinstance(target, list) and last.isdigit() and int(last) < len(target):
        target[int(last)] = file
    else:
        raise _no_place(path)


def _step(target: Any, key: str, path: str) -> Any:
    if isinstance(target, dict) and key in target:
        return target[key]
    if isinstance(target, list) and key.isdigit() and int(key) < len(target):
        return target[int(key)]
    raise _no_place(path)


def _no_place(path: str) -> EnvelopeError:
    return EnvelopeError(
        f"The map's path {path[:200]!r} names no place in `operations` a file can go "
        "(e.g. variables.input.file, with that variable set to null).",
        INVALID_REQUEST,
    )

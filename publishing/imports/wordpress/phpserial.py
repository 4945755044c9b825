"""Reads PHP's ``serialize()`` form, which Polylang stores in term descriptions, e.g.
``a:2:{s:2:"en";i:12;s:2:"tr";i:14;}`` (a translation group: language -> post id).

Only data is read (arrays, strings, numbers, booleans, null); objects are refused. String
lengths count UTF-8 bytes, as PHP does.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PhpSerialError", "unserialize"]


class PhpSerialError(ValueError):
    pass


def unserialize(text: str) -> Any:
    data = text.encode("utf-8")
    value, end = _value(data, 0)
    if data[end:].strip():
        raise PhpSerialError(f"trailing data at byte {end}")
    return value


def _expect(data: bytes, pos: int, token: bytes) -> int:
    if not data.startswith(token, pos):
        raise PhpSerialError(f"expected {token.decode()!r} at byte {pos}")
    return pos + len(token)


def _until(data: bytes, pos: int, stop: bytes) -> tuple[str, int]:
    end = data.find(stop, pos)
    if end < 0:
        raise PhpSerialError(f"unterminated value at byte {pos}")
    return data[pos:end].decode("utf-8"), end + len(stop)


def _value(data: bytes, pos: int) -> tuple[Any, int]:
    kind = data[pos : pos + 2]
    if kind == b"N;":
        return None, pos + 2
    if kind == b"i:":
        raw, pos = _until(data, pos + 2, b";")
        return int(raw), pos
    if kind == b"d:":
        raw, pos = _until(data, pos + 2, b";")
        return float(raw), pos
    if kind == b"b:":
        raw, pos = _until(data, pos + 2, b";")
        return raw == "1", pos
    if kind == b"s:":
        raw, pos = _until(data, pos + 2, b":")
        length = int(raw)
        pos = _expect(data, pos, b'"')
        value = data[pos : pos + length].decode("utf-8")
        pos = _expect(data, pos + length, b'";')
        return value, pos
    if kind == b"a:":
        raw, pos = _until(data, pos + 2, b":")
        pos = _expect(data, pos, b"{")
        items: dict[Any, Any] = {}
        for _ in range(int(raw)):
            key, pos = _value(data, pos)
            items[key], pos = _value(data, pos)
        return items, _expect(data, pos, b"}")
    raise PhpSerialError(f"unsupported value {kind.decode(errors='replace')!r} at byte {pos}")

"""BER-TLV as EMV and PBOC cards use it (EMV Book 3 Annex B, ISO/IEC 7816-4 §5.2; JR/T 0025 keeps the same coding).

- Tag: one byte, or more when the low five bits of the first are all ones (1F); further bytes follow while their
  top bit is set. Bit 6 (0x20) of the first byte marks a constructed data object (its value is more TLVs).
- Length: one byte below 0x80; otherwise 0x81..0x84 announce 1..4 length bytes. 0x80 (indefinite) is not BER as
  cards use it and is refused.
- Bytes 00 (and FF, which ISO/IEC 7816-4 also allows) may pad before, between and after data objects.

Every malformed input raises TlvError (a typed card error); nesting is bounded, so no input can recurse deeply.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from drivers.bankcard.errors import TlvError

MAX_DEPTH = 8  # PPSE FCI nests 6F > A5 > BF0C > 61 > 4F: four levels; eight is generous
MAX_TAG_BYTES = 4
MAX_LENGTH_BYTES = 4
PADDING = (0x00, 0xFF)


@dataclass(frozen=True)
class Tlv:
    tag: int
    value: bytes
    children: tuple[Tlv, ...] | None = None  # parsed value of a constructed object; None for a primitive one

    @property
    def constructed(self) -> bool:
        return self.children is not None

    def find(self, tag: int) -> Tlv | None:
        return find(self.children or (), tag)

    def __repr__(self) -> str:  # values may be card data: show sizes, not bytes
        kind = f"{len(self.children)} children" if self.children is not None else f"{len(self.value)} bytes"
        return f"Tlv({self.tag:X}, {kind})"


def tag_is_constructed(tag: int) -> bool:
    first = tag
    while first > 0xFF:
        first >>= 8
    return bool(first & 0x20)


def parse(data: bytes, *, max_depth: int = MAX_DEPTH) -> tuple[Tlv, ...]:
    """All data objects of ``data`` with constructed ones parsed recursively; TlvError when malformed."""
    return tuple(_parse(bytes(data), 0, max_depth))


def _parse(data: bytes, depth: int, max_depth: int) -> Iterator[Tlv]:
    if depth > max_depth:
        raise TlvError(f"data objects nested deeper than {max_depth} levels")
    offset = 0
    end = len(data)
    while offset < end:
        if data[offset] in PADDING:
            offset += 1
            continue
        tag, offset = _read_tag(data, offset)
        length, offset = _read_length(data, offset, tag)
        if length > end - offset:
            raise TlvError(f"tag {tag:X}: length {length} runs past the end ({end - offset} bytes left)")
        value = data[offset : offset + length]
        offset += length
        children = tuple(_parse(value, depth + 1, max_depth)) if tag_is_constructed(tag) else None
        yield Tlv(tag, value, children)


def _read_tag(data: bytes, offset: int) -> tuple[int, int]:
    start = offset
    tag = data[offset]
    offset += 1
    if tag & 0x1F == 0x1F:
        while True:
            if offset >= len(data):
                raise TlvError(f"tag starting at offset {start} is cut short")
            byte = data[offset]
            tag = (tag << 8) | byte
            offset += 1
            if offset - start > MAX_TAG_BYTES:
                raise TlvError(f"tag at offset {start} is longer than {MAX_TAG_BYTES} bytes")
            if not byte & 0x80:
                break
    return tag, offset


def _read_length(data: bytes, offset: int, tag: int) -> tuple[int, int]:
    if offset >= len(data):
        raise TlvError(f"tag {tag:X}: no length byte")
    first = data[offset]
    offset += 1
    if first < 0x80:
        return first, offset
    count = first & 0x7F
    if count == 0:
        raise TlvError(f"tag {tag:X}: indefinite length (80) is not allowed")
    if count > MAX_LENGTH_BYTES:
        raise TlvError(f"tag {tag:X}: length of {count} bytes is not allowed")
    if offset + count > len(data):
        raise TlvError(f"tag {tag:X}: length bytes cut short")
    return int.from_bytes(data[offset : offset + count], "big"), offset + count


def find(objects: Iterable[Tlv], tag: int) -> Tlv | None:
    """The first data object with ``tag``, depth first through constructed ones."""
    for item in objects:
        if item.tag == tag:
            return item
        if item.children is not None:
            found = find(item.children, tag)
            if found is not None:
                return found
    return None


def find_all(objects: Iterable[Tlv], tag: int) -> list[Tlv]:
    found: list[Tlv] = []
    for item in objects:
        if item.tag == tag:
            found.append(item)
        if item.children is not None:
            found.extend(find_all(item.children, tag))
    return found


def primitives(objects: Iterable[Tlv]) -> Iterator[Tlv]:
    """Every primitive data object, depth first."""
    for item in objects:
        if item.children is None:
            yield item
        else:
            yield from primitives(item.children)


# -- the inverse, for the virtual card and tests ------
def encode_tag(tag: int) -> bytes:
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    size = (length.bit_length() + 7) // 8
    return bytes([0x80 | size]) + length.to_bytes(size, "big")


def encode(tag: int, value: bytes) -> bytes:
    return encode_tag(tag) + encode_length(len(value)) + value


def encode_constructed(tag: int, *parts: bytes) -> bytes:
    return encode(tag, b"".join(parts))


# -- data object lists (PDOL, CDOL) ------
def parse_dol(data: bytes) -> list[tuple[int, int]]:
    """A data object list: tags and lengths without values (EMV Book 3 §5.4)."""
    entries: list[tuple[int, int]] = []
    offset = 0
    data = bytes(data)
    while offset < len(data):
        tag, offset = _read_tag(data, offset)
        length, offset = _read_length(data, offset, tag)
        entries.append((tag, length))
    return entries

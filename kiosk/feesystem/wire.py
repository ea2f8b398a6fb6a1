"""JSON encoding of the fee-system API, driven by type hints so that new dataclasses and methods need no code here.

A call is ``POST /rpc/<method>`` with a JSON object of keyword arguments; the answer is ``{"result": ...}`` or
``{"error": {"code", "detail", "citizen_message"}}``. Values are encoded by their type: dataclasses as objects
of their fields, enums by value, dates and datetimes in ISO 8601, YearMonth as ``YYYY-MM``, Period as
``{"start", "end"}``, tuples/frozensets/lists as arrays. Money stays integer fen: floats and booleans are refused
where an int is expected.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import inspect
import itertools
import json
import re
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

from kiosk.domain.periods import Period, YearMonth
from kiosk.feesystem.api import (
    AlreadyPaid,
    FeeSystem,
    FeeSystemError,
    IdempotencyConflict,
    InvalidRequest,
    NotAllowed,
    NotRegistered,
    Unavailable,
    UnknownRecord,
)

RPC_PREFIX = "/rpc/"
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_PARAMETER = "idempotency_key"
MAX_BODY_BYTES = 1 << 20
# Limits checked before (or while) parsing a body, so that hostile JSON costs a bounded amount of work: the deepest
# API value (a list of records of periods) is 4 levels; no amount, year or count needs more than 18 digits.
MAX_JSON_DEPTH = 32
MAX_NUMBER_CHARS = 40
MAX_JSON_CONTAINERS = 10_000  # arrays and objects in one body (the longest API list is a person's payments)
# Methods that change state without an idempotency key and are not idempotent by nature (each call counts once
# more): a client retries them only when the request surely never reached the server.
AT_MOST_ONCE_METHODS = frozenset({"record_certificate_print", "record_receipt_reprint"})

# The HTTP status tells the kind of outcome; the body's machine code (``FeeSystemError.code``) tells the exact error
# and is what the client trusts (both "not found" kinds share 404).
ERROR_STATUS: dict[type[FeeSystemError], int] = {
    IdempotencyConflict: 422,  # the key's stored request differs (the Idempotency-Key draft's answer)
    InvalidRequest: 400,
    AlreadyPaid: 409,  # Conflict: a posting already holds the period (the code, not the status, names it)
    NotAllowed: 403,
    NotRegistered: 404,
    UnknownRecord: 404,
    Unavailable: 503,
    FeeSystemError: 500,
}
ERROR_BY_CODE: dict[str, type[FeeSystemError]] = {kind.code: kind for kind in ERROR_STATUS}


class WireError(ValueError):
    """A value does not match the type the API expects (malformed JSON, wrong field, float money...)."""


# --- encoding -----------------------------------------------------------------------------------------------


def encode(value: Any) -> Any:
    """A Python value of the API as plain JSON data."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, YearMonth):
        return str(value)
    if isinstance(value, Period):
        return {"start": str(value.start), "end": str(value.end)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    if isinstance(value, frozenset | set):
        # Sorted so that equal sets encode alike (answers are comparable byte for byte).
        return sorted((encode(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    raise TypeError(f"cannot encode {type(value).__name__} for the fee-system wire")


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(body: bytes) -> Any:
    """Parse a request or answer body within the wire's limits; WireError for anything else.

    The nesting depth and the number of arrays and objects are counted before ``json.loads`` (which recurses, and
    dies of RecursionError at about 1,000 levels); numbers are bounded in length by the parse hooks before
    ``int()`` sees them (Python refuses more than 4,300 digits with ValueError, and that limit is process-wide);
    NaN and Infinity, duplicate keys and lone surrogates (which no UTF-8 encoder, SQLite's included, will take)
    are refused."""
    if len(body) > MAX_BODY_BYTES:
        raise WireError(f"body of {len(body)} bytes is too large")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise WireError("not UTF-8") from None
    depth, containers = json_shape(body)
    if depth > MAX_JSON_DEPTH:
        raise WireError(f"JSON nested deeper than {MAX_JSON_DEPTH}")
    if containers > MAX_JSON_CONTAINERS:
        raise WireError(f"more than {MAX_JSON_CONTAINERS} arrays and objects")
    try:
        data = json.loads(
            text,
            parse_int=_bounded_int,
            parse_float=_bounded_float,
            parse_constant=_refused_constant,
            object_pairs_hook=_object_without_duplicates,
        )
    except json.JSONDecodeError as error:
        raise WireError(f"not JSON: {error.msg} at {error.pos}") from None
    if _MAYBE_SURROGATE.search(body) and _holds_a_lone_surrogate(data):
        raise WireError("a lone surrogate in a string")
    return data


# JSON strings (escapes included; an unterminated one runs to the end) are removed before the brackets are
# counted, so that brackets inside them do not count. Malformed text is json.loads's to refuse: this only needs
# to be right about well-formed nesting. Bytes, not text: UTF-8 never uses ASCII bytes inside a multibyte
# character, and bytes.translate and the C iterators keep a 1 MiB body's scan to milliseconds.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_BRACKET_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
# A \uD800-\uDFFF escape: only then can the parsed text hold a lone surrogate (the walk is skipped otherwise).
_MAYBE_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def json_shape(body: bytes) -> tuple[int, int]:
    """The deepest nesting of arrays and objects in a JSON body, and how many there are, without parsing it."""
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    if not brackets:
        return 0, 0
    depths = itertools.accumulate(map(_BRACKET_STEP.__getitem__, brackets))
    return max(depths), brackets.count(b"[") + brackets.count(b"{")


def _bounded_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise WireError(f"a number of {len(text)} characters")
    return int(text)


def _bounded_float(text: str) -> float:
    # Money is integer fen: decode() refuses a float where an int is declared; here only its length is bounded.
    if len(text) > MAX_NUMBER_CHARS:
        raise WireError(f"a number of {len(text)} characters")
    return float(text)


def _refused_constant(name: str) -> Any:
    raise WireError(f"{name} is not JSON")


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise WireError("duplicate key in an object")
        result[key] = value
    return result


def _holds_a_lone_surrogate(data: Any) -> bool:
    """Whether a string anywhere in ``data`` holds a lone surrogate (``"\\ud800"`` parses, but no UTF-8 encoder
    takes it: the database and the answer would fail later, inside the call). Depth is bounded by loads."""
    if isinstance(data, str):
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(data, dict):
        return any(_holds_a_lone_surrogate(key) or _holds_a_lone_surrogate(value) for key, value in data.items())
    if isinstance(data, list):
        return any(_holds_a_lone_surrogate(item) for item in data)
    return False


# --- decoding -----------------------------------------------------------------------------------------------


def decode(data: Any, hint: Any, where: str = "value") -> Any:
    """``data`` (parsed JSON) as a value of type ``hint``; WireError when it does not fit."""
    if hint is Any:
        return data
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if data is None and type(None) in options:
            return None
        errors = []
        for option in options:
            if option is type(None):
                continue
            try:
                return decode(data, option, where)
            except WireError as error:
                errors.append(str(error))
        raise WireError("; ".join(errors) or f"{where}: null not allowed")
    if hint is type(None):
        if data is not None:
            raise WireError(f"{where}: expected null")
        return None
    if origin in (list, tuple, frozenset, set):
        if not isinstance(data, list):
            raise WireError(f"{where}: expected an array")
        args = typing.get_args(hint)
        if origin is tuple and args and args[-1] is not Ellipsis:
            if len(args) != len(data):
                raise WireError(f"{where}: expected {len(args)} items")
            pairs = enumerate(zip(data, args, strict=True))
            return tuple(decode(item, arg, f"{where}[{i}]") for i, (item, arg) in pairs)
        item_hint = args[0] if args else Any
        items = [decode(item, item_hint, f"{where}[{i}]") for i, item in enumerate(data)]
        return origin(items)
    if origin is dict:
        if not isinstance(data, dict):
            raise WireError(f"{where}: expected an object")
        key_hint, value_hint = typing.get_args(hint) or (Any, Any)
        return {decode(k, key_hint, where): decode(v, value_hint, f"{where}.{k}") for k, v in data.items()}
    if not isinstance(hint, type):
        raise WireError(f"{where}: unsupported type {hint!r}")
    return _decode_class(data, hint, where)


def _decode_class(data: Any, hint: type, where: str) -> Any:
    if hint is bool:
        if not isinstance(data, bool):
            raise WireError(f"{where}: expected true or false")
        return data
    if hint is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise WireError(f"{where}: expected an integer")  # money is integer fen, never float
        return data
    if hint is str:
        if not isinstance(data, str):
            raise WireError(f"{where}: expected a string")
        return data
    if not isinstance(data, str | dict):
        raise WireError(f"{where}: expected {hint.__name__}")
    try:
        if issubclass(hint, enum.Enum):
            return hint(data)
        if hint is dt.datetime:
            return dt.datetime.fromisoformat(_text(data, where))
        if hint is dt.date:
            return dt.date.fromisoformat(_text(data, where))
        if hint is YearMonth:
            return YearMonth.parse(_text(data, where))
        if hint is Period:
            fields = _object(data, where)
            return Period(
                YearMonth.parse(_text(fields.get("start"), where)), YearMonth.parse(_text(fields.get("end"), where))
            )
    except (ValueError, TypeError) as error:
        raise WireError(f"{where}: {error}") from None
    if dataclasses.is_dataclass(hint):
        return _decode_dataclass(_object(data, where), hint, where)
    raise WireError(f"{where}: unsupported type {hint.__name__}")


def _text(data: Any, where: str) -> str:
    if not isinstance(data, str):
        raise WireError(f"{where}: expected a string")
    return data


def _object(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise WireError(f"{where}: expected an object")
    return data


def _decode_dataclass(data: dict[str, Any], cls: type, where: str) -> Any:
    hints = _dataclass_hints(cls)
    unknown = set(data) - set(hints)
    if unknown:
        raise WireError(f"{where}: unknown fields {sorted(unknown)}")
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            values[f.name] = decode(data[f.name], hints[f.name], f"{where}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise WireError(f"{where}: missing field {f.name}")
    try:
        return cls(**values)
    except (ValueError, TypeError) as error:
        raise WireError(f"{where}: {error}") from None


@cache
def _dataclass_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


# --- methods ------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class MethodSpec:
    """One remote method: its parameters (name -> type) and its result type, read from the signature."""

    name: str
    parameters: dict[str, Any]
    result: Any
    required: frozenset[str]

    @property
    def takes_idempotency_key(self) -> bool:
        return IDEMPOTENCY_PARAMETER in self.parameters

    def decode_arguments(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise WireError("the arguments must be a JSON object")
        unknown = set(data) - set(self.parameters)
        if unknown:
            raise WireError(f"unknown arguments {sorted(unknown)}")
        missing = self.required - set(data)
        if missing:
            raise WireError(f"missing arguments {sorted(missing)}")
        return {name: decode(value, self.parameters[name], name) for name, value in data.items()}

    def encode_arguments(self, arguments: dict[str, Any]) -> dict[str, Any]:
        return {name: encode(value) for name, value in arguments.items()}


def method_spec(function: Callable[..., Any], name: str | None = None) -> MethodSpec:
    hints = typing.get_type_hints(function)
    signature = inspect.signature(function)
    parameters = {p: hints.get(p, Any) for p in signature.parameters if p != "self"}
    required = frozenset(
        p.name for p in signature.parameters.values() if p.name != "self" and p.default is inspect.Parameter.empty
    )
    return MethodSpec(name or function.__name__, parameters, hints.get("return", Any), required)


def protocol_methods(protocol: type = FeeSystem) -> dict[str, MethodSpec]:
    """Every public method the FeeSystem protocol declares, by name."""
    return {
        name: method_spec(member, name)
        for name, member in vars(protocol).items()
        if not name.startswith("_") and inspect.isfunction(member)
    }


# --- errors -------------------------------------------------------------------------------------------------


def error_status(error: FeeSystemError) -> int:
    for kind in type(error).__mro__:
        if kind in ERROR_STATUS:
            return ERROR_STATUS[kind]
    return 500


def encode_error(error: FeeSystemError) -> dict[str, Any]:
    return {"error": {"code": error.code, "detail": error.detail, "citizen_message": error.citizen_message}}


def decode_error(data: Any) -> FeeSystemError | None:
    """The error an answer body carries, or None when it carries no recognisable one."""
    if not isinstance(data, dict) or not isinstance(data.get("error"), dict):
        return None
    body = data["error"]
    code = body.get("code")
    kind = ERROR_BY_CODE.get(code) if isinstance(code, str) else None
    if kind is None:
        return None
    detail = body.get("detail") if isinstance(body.get("detail"), str) else ""
    message = body.get("citizen_message")
    return kind(detail, message if isinstance(message, str) and message else None)

"""Setting one value in a TOML file's text, keeping its comments and layout (no TOML writer round trip).

Only the forms the kiosk's own files use: ``[section]`` headers (dotted names allowed) and ``key = value`` lines.
The caller validates the result with load_config before it replaces the file.
"""

from __future__ import annotations

import json
import re
from typing import Any


def toml_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _header(line: str) -> str | None:
    match = re.match(r"^\s*\[\s*([A-Za-z0-9_.\-\"]+)\s*\]\s*(#.*)?$", line)
    return match.group(1).replace('"', "").replace(" ", "") if match else None


def set_value(text: str, section: str, key: str, value: Any) -> str:
    """``text`` with ``section.key = value``: replaced where it is, added to the section, or a new section."""
    lines = text.splitlines()
    literal = f"{key} = {toml_literal(value)}"
    key_line = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
    start = next((i for i, line in enumerate(lines) if _header(line) == section), None)
    if start is None:
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["", f"[{section}]", literal]
        return "\n".join(lines) + "\n"
    end = next((i for i in range(start + 1, len(lines)) if _header(lines[i]) is not None), len(lines))
    for i in range(start + 1, end):
        if key_line.match(lines[i]):
            lines[i] = literal
            return "\n".join(lines) + "\n"
    insert_at = end
    while insert_at > start + 1 and not lines[insert_at - 1].strip():
        insert_at -= 1
    lines.insert(insert_at, literal)
    return "\n".join(lines) + "\n"

"""Fill unfinished entries of a Qt .ts file from a JSON object {source: translation}, leaving every other entry as
it is: `python scripts/fill_translations.py kiosk/i18n/kiosk_zh_CN.ts map.json`. Several people may add strings at
once; each fills only its own, after `bash scripts/update_translations.sh`."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

ENTRY = re.compile(
    r"(<source>(?P<source>[^<]*)</source>\s*(?:<comment>[^<]*</comment>\s*)?)"
    r'<translation type="unfinished">(?P<old>[^<]*)</translation>',
    re.S,
)


def fill(ts_path: Path, translations: dict[str, str]) -> int:
    text = ts_path.read_text(encoding="utf-8")
    filled = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal filled
        source = html.unescape(match["source"])
        if source not in translations:
            return match.group(0)
        filled += 1
        return f"{match.group(1)}<translation>{html.escape(translations[source], quote=False)}</translation>"

    ts_path.write_text(ENTRY.sub(replace, text), encoding="utf-8")
    return filled


if __name__ == "__main__":
    ts, mapping = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    count = fill(ts, mapping)
    left = ts.read_text(encoding="utf-8").count('type="unfinished"')
    print(f"{ts}: {count} filled, {left} left")

"""Translates Hugging Face tokenizer regexes (Rust `regex` / Oniguruma syntax) to Python `re`.

Python's `re` lacks Unicode property classes such as `\\p{L}` and `\\p{N}` that every byte-level
BPE split pattern uses, and the `regex` package is not available, so the classes are expanded
into explicit code point ranges built once from `unicodedata`.

`\\s` and `\\S` are rewritten to Unicode's White_Space set, as Rust's `regex` and JavaScript read
them: Python's `re` also counts the information separators U+001C..U+001F as whitespace, which
split text differently ("  \\x1c\\x1d  ").
"""

import re
import sys
import unicodedata
from functools import lru_cache

_runs: list[tuple[int, int, str]] | None = None


def _category_runs() -> list[tuple[int, int, str]]:
    """(first, last, category) for maximal runs of code points sharing a general category."""
    global _runs
    if _runs is None:
        runs = []
        start, current = 0, unicodedata.category("\x00")
        for cp in range(1, sys.maxunicode + 1):
            cat = unicodedata.category(chr(cp))
            if cat != current:
                runs.append((start, cp - 1, current))
                start, current = cp, cat
        runs.append((start, sys.maxunicode, current))
        _runs = runs
    return _runs


# Unicode White_Space (what Rust's \s matches; JavaScript's differs only in U+0085 and U+FEFF)
WHITESPACE_BODY = "\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"


def _escape(cp: int) -> str:
    return f"\\U{cp:08x}" if cp > 0xFFFF else f"\\u{cp:04x}"


@lru_cache(maxsize=None)
def class_body(prop: str, negate: bool) -> str:
    """Character-class body (no brackets) for a general category prefix such as L, N, Lu."""
    aliases = {"Letter": "L", "Number": "N", "Punctuation": "P", "Mark": "M", "Symbol": "S",
               "Separator": "Z", "Other": "C"}
    prop = aliases.get(prop, prop)
    ranges = []
    for first, last, cat in _category_runs():
        if cat.startswith(prop) != negate:
            if ranges and ranges[-1][1] == first - 1:
                ranges[-1] = (ranges[-1][0], last)
            else:
                ranges.append((first, last))
    if not ranges:
        raise ValueError(f"unknown Unicode property \\p{{{prop}}}")
    return "".join(_escape(a) if a == b else f"{_escape(a)}-{_escape(b)}" for a, b in ranges)


def translate(pattern: str) -> str:
    """Rewrites \\p{..} / \\P{..} / \\pL so Python's `re` can compile the pattern."""
    out = []
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt in "pP":
                if i + 2 < len(pattern) and pattern[i + 2] == "{":
                    end = pattern.index("}", i + 3)
                    prop = pattern[i + 3:end]
                    i = end + 1
                else:
                    prop = pattern[i + 2]
                    i += 3
                negate = nxt == "P"
                if in_class:
                    out.append(class_body(prop, negate))
                else:
                    out.append("[" + class_body(prop, negate) + "]")
                continue
            if nxt == "s":
                out.append(WHITESPACE_BODY if in_class else "[" + WHITESPACE_BODY + "]")
                i += 2
                continue
            if nxt == "S" and not in_class:
                out.append("[^" + WHITESPACE_BODY + "]")
                i += 2
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
            out.append(c)
            i += 1
            # a leading ']' or '^]' is a literal member, not the end of the class
            if pattern[i:i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i:i + 1] == "]":
                out.append("\\]")
                i += 1
            continue
        if c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


@lru_cache(maxsize=64)
def compile_pattern(pattern: str) -> "re.Pattern[str]":
    return re.compile(translate(pattern))

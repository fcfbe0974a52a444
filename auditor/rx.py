"""Regular expressions for the whole package: the standard library's ``re`` for a pattern whose matches it gives
the same as the ``regex`` module, ``regex`` for every other pattern (``\\w``, ``\\G``, a variable-width
lookbehind, ...).  Modules import this as ``re``.

Why: each call of a ``regex`` pattern costs some 0.5 µs before it looks at the text, a ``re`` pattern some 0.1 µs,
and the stages call patterns a few ten thousand times per document on short lines and cells.

The same matches: ``regex`` without a VERSION1 flag behaves as ``re`` does (its documented "version 0", which
follows ``re``'s handling of zero-width matches since Python 3.7).  Where the two differ, ``regex`` is kept:
a pattern goes to ``re`` only when all of it is in the part both read alike (``_for_re``):
- no escape but ``\\d \\D \\s \\S``, a property ``\\p{Han}``/``\\P{Han}`` (each spelt out for ``re`` as the class
  of the code points regex matches: the two modules' Unicode tables differ, and ``re`` has no properties),
  ``\\t \\n \\r \\f``, ``\\uXXXX``/``\\xXX`` and an escaped punctuation mark or non-ASCII character (``\\w``,
  ``\\b`` and the rest follow different tables in the two);
- no group construct but ``(?:``, ``(?=``, ``(?!``, ``(?<=``, ``(?<!``, ``(?P<name>``, ``(?P=name)``, ``(?>``;
  no inline flag; no POSIX class ``[:alpha:]``;
- flags none, MULTILINE or DOTALL (case-folding tables differ);
- ``re`` compiles it without an error or a warning (a "possible nested set" warning marks a set the two may read
  differently).
``tests/test_rx.py`` runs both modules on the patterns of the package and on random texts.
"""
from __future__ import annotations

import re as _re
import sys
import warnings
from array import array
from functools import lru_cache
from typing import Union

import regex as _regex

M = MULTILINE = _regex.MULTILINE
S = DOTALL = _regex.DOTALL
I = IGNORECASE = _regex.IGNORECASE  # noqa: E741
X = VERBOSE = _regex.VERBOSE
error = _regex.error
escape = _regex.escape
Pattern = Union[_re.Pattern, _regex.Pattern]
Match = Union[_re.Match, _regex.Match]

_PORTABLE_FLAGS = _regex.MULTILINE | _regex.DOTALL
_PLAIN_ESCAPES = set("tnrf")
_CLASS_ESCAPES = set("dDsSpP")
_PORTABLE_GROUPS = ("?:", "?=", "?!", "?<=", "?<!", "?P<", "?P=", "?>")
_HEX = set("0123456789abcdefABCDEF")


@lru_cache(maxsize=1)
def _every() -> str:
    """Every code point, in order, as one string."""
    return array("I", range(0x110000)).tobytes().decode(f"utf-32-{sys.byteorder[0]}e", "surrogatepass")


@lru_cache(maxsize=None)
def _members(esc: str) -> str:
    """The members of a class for ``re`` that are the code points ``regex`` matches by ``\\d``, ``\\s`` or a
    property ``\\p{Han}``.  The two modules' Unicode tables differ: regex's ``\\d`` has some hundred digits more
    (of scripts added to Unicode since), so it becomes ``\\d`` and those; ``re``'s ``\\s`` has four separators
    more (U+001C-U+001F), so it is spelt out as regex's ranges, as is a property (which ``re`` does not know)."""
    every = _every()
    runs = [(m.start(), m.end() - 1) for m in _regex.finditer(f"\\{esc}+", every)]
    if esc in ("d", "s"):
        ours = {i for a, b in runs for i in range(a, b + 1)}
        theirs = {m.start() for m in _re.finditer(f"\\{esc}", every)}
        if theirs <= ours:
            return f"\\{esc}" + _ranges(ours - theirs)
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in runs)


def _ranges(cps: set[int]) -> str:
    out: list[list[int]] = []
    for cp in sorted(cps):
        if out and cp == out[-1][1] + 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in out)


def _for_re(p: str) -> str | None:
    """The pattern as ``re`` reads it as ``regex`` does (``\\d`` and ``\\s`` spelt out as classes), or None when
    a construct of it is not in the part both read alike (see the module doc)."""
    if "[:" in p:
        return None
    out: list[str] = []
    i, n, in_set, first = 0, len(p), False, 0
    while i < n:
        ch = p[i]
        if ch == "\\":
            if i + 1 >= n:
                return None
            c = p[i + 1]
            if c in ("u", "x"):
                width = 4 if c == "u" else 2
                digits = p[i + 2:i + 2 + width]
                if len(digits) != width or not set(digits) <= _HEX:
                    return None
                out.append(p[i:i + 2 + width])
                i += 2 + width
                continue
            width = 2
            if c in ("p", "P"):
                end = p.find("}", i)
                prop = p[i + 3:end]
                if not p.startswith("{", i + 2) or end < 0 or not prop.isascii() or not prop.isalnum():
                    return None
                width = end + 1 - i
            if c in _CLASS_ESCAPES:
                members = _members(p[i + 1:i + width].lower() if width == 2 else "p" + p[i + 2:i + width])
                if in_set:
                    if c.isupper():
                        return None  # a negated class inside a set
                    out.append(members)
                else:
                    out.append(("[^" if c.isupper() else "[") + members + "]")
                i += width
                continue
            if c.isascii() and c.isalnum() and c not in _PLAIN_ESCAPES:
                return None
            else:
                out.append(p[i:i + 2])
            i += 2
            continue
        if in_set:
            if ch == "]" and i > first:
                in_set = False
            elif ch == "[":
                return None  # a nested set
        elif ch == "[":
            in_set = True
            first = i + 2 if p.startswith("^", i + 1) else i + 1  # a "]" there is a member, not the end
        elif ch == "(" and p.startswith("?", i + 1) and not p.startswith(_PORTABLE_GROUPS, i + 1):
            return None
        out.append(ch)
        i += 1
    return "".join(out)


@lru_cache(maxsize=4096)
def compile(pattern: str, flags: int = 0) -> Pattern:  # noqa: A001  (the name every regular-expression module uses)
    """The compiled pattern, from ``re`` when it is portable, else from ``regex``; cached per process."""
    if isinstance(pattern, _re.Pattern) and not flags:
        return pattern  # compiled here already
    if not isinstance(pattern, str):
        return _regex.compile(pattern, flags)  # a regex pattern (returned as it is) or bytes
    spelt = None if flags & ~_PORTABLE_FLAGS else _for_re(pattern)
    if spelt is not None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                return _re.compile(spelt, flags)
        except (_re.error, Warning):
            pass
    return _regex.compile(pattern, flags)


def search(pattern: str, string: str, flags: int = 0):
    return compile(pattern, flags).search(string)


def match(pattern: str, string: str, flags: int = 0):
    return compile(pattern, flags).match(string)


def fullmatch(pattern: str, string: str, flags: int = 0):
    return compile(pattern, flags).fullmatch(string)


def sub(pattern: str, repl, string: str, count: int = 0, flags: int = 0) -> str:
    return compile(pattern, flags).sub(repl, string, count)


def subn(pattern: str, repl, string: str, count: int = 0, flags: int = 0):
    return compile(pattern, flags).subn(repl, string, count)


def split(pattern: str, string: str, maxsplit: int = 0, flags: int = 0) -> list:
    return compile(pattern, flags).split(string, maxsplit)


def findall(pattern: str, string: str, flags: int = 0) -> list:
    return compile(pattern, flags).findall(string)


def finditer(pattern: str, string: str, flags: int = 0):
    return compile(pattern, flags).finditer(string)

"""auditor.rx: a pattern given to the standard library's re must match exactly as the regex module matches it.

Oracle: regex itself.  The patterns are every constant pattern of the package (found in the source), and the texts
are lines of the seeds and random texts built from each pattern's own characters, digits and spaces of several
scripts (the code points where the two modules' Unicode tables differ among them)."""
from __future__ import annotations

import ast
import random
import re
from array import array
from pathlib import Path

import pytest
import regex

from auditor import rx

ROOT = Path(__file__).resolve().parent.parent
CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer", "pattern"}


def _constant_patterns() -> list[str]:
    """The first argument of every re.compile/search/sub/... and lexicons.pattern call written as a constant."""
    found: set[str] = set()
    for f in sorted((ROOT / "auditor").rglob("*.py")):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                continue
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else fn.id if isinstance(fn, ast.Name) else ""
            owner = fn.value.id if isinstance(fn, ast.Attribute) and isinstance(fn.value, ast.Name) else ""
            if name in CALLS and (owner in ("re", "rx") or name == "pattern"):
                found.add(node.args[0].value)
    return sorted(found)


PATTERNS = _constant_patterns()
PORTABLE = [p for p in PATTERNS if isinstance(rx.compile(p), re.Pattern)]
SEED_LINES = [ln for f in sorted((ROOT / "corpus" / "seeds").glob("*"))[:6] if f.is_file()
              for ln in f.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
# digits and spaces the two modules' tables disagree on (U+11DE0 a digit only to regex, U+001C a space only to re),
# digits of other scripts, and the characters budget texts are made of
EXTRA = list("0123456789٣۵९") + ["\U00011de3", "\U0001d7d9", "\x1c", "\x1f", "\u3000", "\xa0", " ", "\t", "\n",
                                 "\u2028"] + list("年度万元支出收入（）()%％,.，。、：:-—第表类款项合计")


def _texts(p: str, rng: random.Random) -> list[str]:
    alphabet = sorted({ch for ch in p if ch not in "\\^$*+?{}[]()|"}) + EXTRA
    rand = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(150)]
    return rand + rng.sample(SEED_LINES, min(150, len(SEED_LINES)))


def _behaviour(pat, text: str):
    return ([(m.span(), m.groups()) for m in pat.finditer(text)], pat.sub("<>", text), pat.split(text),
            pat.fullmatch(text) is not None, pat.match(text) is not None)


def test_most_patterns_found_and_routed():
    assert len(PATTERNS) > 150 and len(SEED_LINES) > 500
    assert len(PORTABLE) > len(PATTERNS) // 3


@pytest.mark.parametrize("p", PORTABLE)
def test_portable_pattern_matches_as_regex_does(p):
    rng = random.Random(p)
    ours, theirs = rx.compile(p), regex.compile(p)
    for text in _texts(p, rng):
        assert _behaviour(ours, text) == _behaviour(theirs, text), (p, text)


def test_digit_space_and_property_classes_are_regexs_on_every_code_point():
    every = array("I", range(0x110000)).tobytes().decode("utf-32-le" if array("I", [1]).tobytes()[0] else
                                                           "utf-32-be", "surrogatepass")
    for esc in (r"\d", r"\D", r"\s", r"\S", r"[\d,]", r"[\s.]", r"[^\d]", r"[^\s]", r"\p{Han}", r"\P{Han}",
                r"[\p{Han}（）]", r"[\p{P}\p{S}\p{Zs}\x20-\x7e]"):
        assert isinstance(rx.compile(esc), re.Pattern), esc
        ours = [m.start() for m in rx.compile(esc).finditer(every)]
        theirs = [m.start() for m in regex.compile(esc).finditer(every)]
        assert ours == theirs, esc


@pytest.mark.parametrize("p", [r"\w+", r"\bx", r"\p{Script=Han}", r"[\P{Han}]", r"[[:alpha:]]", r"(?i)a", r"(?<name>a)", r"[\S]",
                               r"[\D,]", r"\Z", r"\A", r"\1", r"a\N{DIGIT ONE}", r"\x{41}", r"[[a]]",
                               r"(?V1)[[a]--[b]]", r"(?|a)", "\\"])
def test_constructs_the_two_read_differently_stay_with_regex(p):
    try:
        compiled = rx.compile(p)
    except regex.error:
        return  # neither module takes it
    assert isinstance(compiled, regex.Pattern), p


def test_flags_outside_multiline_and_dotall_stay_with_regex():
    assert isinstance(rx.compile("a", rx.IGNORECASE), regex.Pattern)
    assert isinstance(rx.compile("^a$", rx.MULTILINE | rx.DOTALL), re.Pattern)


def test_compiled_patterns_pass_through():
    p = rx.compile("ab")
    assert rx.compile(p) is p
    q = regex.compile(r"\p{Han}")
    assert rx.compile(q) is q
    assert rx.sub(r"\d", "#", "a1٣") == regex.sub(r"\d", "#", "a1٣") == "a##"

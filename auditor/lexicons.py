"""Domain knowledge as data: loaders for the TOML files under lexicons/."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional


def lexicon_dir() -> Path:
    """The folder of the lexicon TOML files: $AUDITOR_LEXICONS if set; in an installed wheel the package data
    ``auditor/_lexicons/`` (setup.py maps the source tree's ``lexicons/`` there); in a source checkout or an
    editable install the top-level ``lexicons/`` folder beside the package."""
    env = os.environ.get("AUDITOR_LEXICONS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    packaged = here / "_lexicons"
    if (packaged / "tables.toml").is_file():
        return packaged
    return here.parent / "lexicons"


@lru_cache(maxsize=None)
def pattern(p: str):
    """``rx.compile(p)`` (``re`` where it reads the pattern as ``regex`` does, else ``regex``), cached per process:
    a call of ``regex.search(p, ...)`` or ``regex.sub(p, ...)`` costs several microseconds of flag handling before
    it reaches the regex module's own cache; hot loops and the patterns of the lexicons use this instead."""
    from .rx import compile

    return compile(p)


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """Parsed content of lexicons/<name>.toml (cached per process)."""
    with open(lexicon_dir() / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class SideDef:
    id: str
    name: str                     # 收入 | 支出
    columns: tuple[str, ...]


@dataclass(frozen=True)
class TableDef:
    id: str
    family: str
    title: str
    aliases: tuple[str, ...]
    row_key: str
    columns: tuple[str, ...]
    label: Optional[str] = None
    sides: tuple[SideDef, ...] = field(default_factory=tuple)
    type: str = ""                # canonical type of the hand labels (tests/labels/README.md)
    repeats: bool = False         # one printed form per item (绩效目标表 per project): same titles are separate tables
    class_columns: tuple[tuple[str, tuple[str, ...]], ...] = ()  # column <- economic classes (人员经费 <- 301, 303)
    printed_columns: tuple[str, ...] = ()   # columns kept only where the header prints them (会议费, 培训费)
    outer_total: Optional[str] = None       # a bare 合计 beside a group's 小计 mapped to 合计 (三公 + 会议费 + 培训费)

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.title,) + self.aliases


@lru_cache(maxsize=None)
def table_defs() -> tuple[TableDef, ...]:
    out = []
    for t in load("tables")["table"]:
        out.append(TableDef(
            id=t["id"], family=t["family"], title=t["title"], aliases=tuple(t.get("aliases", [])),
            row_key=t["row_key"], columns=tuple(t["columns"]), label=t.get("label"),
            sides=tuple(SideDef(s["id"], s["name"], tuple(s["columns"])) for s in t.get("sides", [])),
            type=t.get("type", ""), repeats=t.get("repeats", False),
            class_columns=tuple((c, tuple(v)) for c, v in t.get("class_columns", {}).items()),
            printed_columns=tuple(t.get("printed_columns", [])), outer_total=t.get("outer_total"),
        ))
    return tuple(out)


def table_def(table_id: str) -> TableDef:
    for d in table_defs():
        if d.id == table_id:
            return d
    raise KeyError(table_id)


@dataclass(frozen=True)
class TitleRule:
    """A catalogue rule of lexicons/tables.toml: a printed title holding these words names table ``id``."""

    id: str
    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    none: tuple[str, ...] = ()

    def matches(self, title: str) -> bool:
        return (all(w in title for w in self.all) and (not self.any or any(w in title for w in self.any))
                and not any(w in title for w in self.none))


@lru_cache(maxsize=None)
def title_rules() -> tuple[TitleRule, ...]:
    return tuple(TitleRule(r["id"], tuple(r.get("all", ())), tuple(r.get("any", ())), tuple(r.get("none", ())))
                 for r in load("tables").get("title_rule", []))

"""The document model shared by every stage: typed dataclasses with provenance on every object.

read      -> list[Block]                (ordered, each with its Provenance)
structure -> Document(sections, tables) (tables parsed into Rows of Cells, DataFrame on demand)
claims / align / checks / report build on Document.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional

import pandas as pd


@dataclass(frozen=True)
class Provenance:
    """Where something came from. ``line`` is 1-based in a text source; ``page`` 1-based in a paginated one."""

    path: str
    line: Optional[int] = None
    page: Optional[int] = None
    bbox: Optional[tuple[float, float, float, float]] = None  # x0, top, x1, bottom in PDF points

    def where(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        return " ".join(parts) or "?"


@dataclass
class Block:
    """One ordered unit of a source: a heading, a paragraph line, a table row (cells known) or a whole table grid.

    kind: "heading" | "text" | "row" | "grid"
      heading  -- text with a markdown level (``level``) when the source marked it
      text     -- a line/paragraph of running text (cells is None)
      row      -- a line whose cells are known (tab-separated text, DOCX/XLSX row): ``cells`` holds the raw strings
      grid     -- a ruled table read from a PDF/DOCX/XLSX: ``grid`` rows of GridCell
    """

    kind: str
    text: str
    prov: Provenance
    level: int = 0
    cells: Optional[list[str]] = None
    grid: Optional[list[list["GridCell"]]] = None


@dataclass(frozen=True)
class GridCell:
    text: str
    prov: Provenance


@dataclass
class Cell:
    """A parsed table cell: its number (None when empty), the raw printed text and where it stands."""

    value: Optional[float]
    raw: str
    prov: Provenance
    exact: bool = True   # False: a flattened row had fewer figures than columns, so this cell's column is a guess
    unit: Optional[str] = None  # the printed unit: its column's (header "金额（万元）") or else its table's

    @property
    def decimals(self) -> int:
        """Printed decimals of the figure (the basis of the rounding tolerance)."""
        s = self.raw.replace(",", "").strip()
        if "." in s:
            return len(s.split(".", 1)[1].rstrip("%").strip())
        return 0


@dataclass
class Row:
    key: str                      # canonical row key: normalised code, or canonical name
    code: Optional[str]
    name: Optional[str]
    prov: Provenance
    cells: dict[str, Cell] = field(default_factory=dict)
    line_no: Optional[str] = None  # printed 行次 where the table has one
    other_codes: list[str] = field(default_factory=list)  # other identifiers printed on the row (单位代码, 序号)
    code_from_name: bool = False  # the code was not printed: placed from the name (auditor.structure.classify)

    def value(self, column: str) -> Optional[float]:
        c = self.cells.get(column)
        return None if c is None else c.value


# the columns of a table in long format (one row per cell with its provenance): Table.long_frame, tables_frame
LONG_COLUMNS = ["table", "row", "code", "name", "column", "value", "raw", "line", "page"]


@dataclass
class Table:
    """A recognised standard table (or one side of a two-sided table)."""

    id: str                       # stable id from lexicons/tables.toml, e.g. "J03", "J01.income", "Y05"
    title: str                    # canonical Chinese title
    printed_title: str
    prov: Provenance
    family: str                   # "决算" | "预算" | "附件" | "generic" (a grid matching no catalogue entry)
    row_key: str                  # "code" | "econ" | "name" | "group"; generic tables also "tree" | "mixed"
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    unit: str = "万元"
    label: Optional[str] = None   # printed 公开NN表 / 预算NN表 label
    notes: list[str] = field(default_factory=list)
    no_data_note: Optional[Provenance] = None  # where a 说明 says the table has no data
    column_units: dict[str, str] = field(default_factory=dict)  # columns whose header prints their own unit
    headers: dict[str, list[str]] = field(default_factory=dict)  # generic tables: each column's printed header labels
    complete: bool = True         # False: a generic table runs to its page's end and may go on unread
    unplaced: int = 0             # name-only rows auditor.structure.classify could not place (合计 = Σ类 unchecked)
    rows_by: str = ""              # "unit": below its 合计 row the table lists the units (header 单位名称)

    @property
    def empty(self) -> bool:
        return not any(c.value not in (None, 0) for r in self.rows for c in r.cells.values())

    def row(self, key: str) -> Optional[Row]:
        """The first row with this key.  Through an index of first positions, rebuilt when ``rows`` is replaced or
        shrinks, extended when it grows (a lookup per row would make a table of n rows cost n^2: a 10,000-row sheet took minutes); a position
        whose row no longer has its key (a row's key edited in place, which nothing does today) falls back to the
        scan."""
        rows = self.rows
        idx = self.__dict__.get("_row_index")
        if idx is None or idx[0] is not rows or idx[1] > len(rows):
            idx = (rows, 0, {})
        if idx[1] < len(rows):  # rows appended since: index the new ones only
            first = idx[2]
            for i in range(idx[1], len(rows)):
                first.setdefault(rows[i].key, i)
            idx = (rows, len(rows), first)
        self.__dict__["_row_index"] = idx
        i = idx[2].get(key)
        if i is None:
            return None
        if rows[i].key == key:
            return rows[i]
        self.__dict__.pop("_row_index", None)  # a key edited in place: scan
        return next((r for r in rows if r.key == key), None)

    def cell(self, key: str, column: str) -> Optional[Cell]:
        r = self.row(key)
        return None if r is None else r.cells.get(column)

    def value(self, key: str, column: str) -> Optional[float]:
        c = self.cell(key, column)
        return None if c is None else c.value

    def cells(self) -> Iterator[tuple[Row, str, Cell]]:
        for r in self.rows:
            for col, c in r.cells.items():
                yield r, col, c

    @property
    def frame(self) -> pd.DataFrame:
        """Values as a DataFrame indexed by row key, columns canonical (NaN where empty)."""
        data = [{c: r.value(c) for c in self.columns} for r in self.rows]
        df = pd.DataFrame(data, columns=self.columns, index=[r.key for r in self.rows], dtype="float64")
        df.index.name = "key"
        return df

    def long_frame(self) -> pd.DataFrame:
        """One row per cell with provenance (for the store and for debugging)."""
        recs = [
            {"table": self.id, "row": r.key, "code": r.code, "name": r.name, "column": col,
             "value": c.value, "raw": c.raw, "line": c.prov.line, "page": c.prov.page}
            for r, col, c in self.cells()
        ]
        return pd.DataFrame(recs, columns=LONG_COLUMNS)


@dataclass
class Section:
    """A heading of the document tree: part (第一部分), section (一、), subsection (（一）), item (1.)."""

    title: str
    level: int                    # 1 part, 2 一、, 3 （一）, 4 1.
    number: Optional[str]         # printed number ("三", "（二）", "4")
    prov: Provenance
    part: Optional[str] = None    # canonical part: "概况" | "表" | "说明" | "名词解释" | "附件"
    start: int = 0                # index of the first block after the heading
    end: int = 0                  # index past the last block in this section


@dataclass
class SourceInfo:
    path: str
    format: str                   # "text" | "pdf" | "docx" | "xlsx"
    encoding: Optional[str] = None
    sha256: Optional[str] = None
    pages: Optional[int] = None
    replaced: int = 0             # undecodable byte sequences replaced by U+FFFD while reading (text files)


@dataclass
class Document:
    source: SourceInfo
    blocks: list[Block]
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    department: Optional[str] = None
    year: Optional[int] = None
    kind: Optional[str] = None    # "决算" | "预算"
    unit: str = "万元"
    table_regions: list[tuple[int, int]] = field(default_factory=list)  # block index ranges holding tables
    claims: list["Claim"] = field(default_factory=list)  # filled by the claims stage (auditor.claims)
    narrative: list[int] = field(default_factory=list)   # block indexes of the narrative (情况说明, annex text)

    def table(self, table_id: str) -> Optional[Table]:
        """The first printed table of an id (``Y05``); a second one of the same type is ``Y05_2`` (tables_of)."""
        for t in self.tables:
            if t.id == table_id:
                return t
        return None

    def tables_of(self, table_id: str) -> list[Table]:
        """Every printed table of an id, in page order: ``Y05`` and ``Y05_2`` (财政拨款支出表 and 一般公共预算支出表),
        ``Y01.income`` and ``Y01_2.income``; the in-table checks run on each."""
        base, dot, side = table_id.partition(".")
        return [t for t in self.tables if t.id == table_id or (
            t.id.partition(".")[1:] == (dot, side) and t.id.partition(".")[0].startswith(base + "_")
            and t.id.partition(".")[0][len(base) + 1:].isdigit())]

    def section_of(self, block_index: int) -> list[Section]:
        """The chain of sections (outermost first) containing a block."""
        return [s for s in self.sections if s.start <= block_index < s.end]


@dataclass
class Claim:
    """A figure stated in the narrative, typed. Extraction judges nothing: checks compare claims with cells.

    kind: amount | share | change_amount | change_pct | completion | count | score | comparison | no_data
    period: 本年 | 上年 | 年初预算 | 全年预算 | None
    subject: canonical quantity key from lexicons/quantities.toml (e.g. "收支总计", "基本支出", "func:2010101",
             "三公.公务接待费"), or None when it cannot be resolved
    """

    kind: str
    value: Optional[float]
    unit: Optional[str]           # "万元" | "元" | "亿元" | "%" | "辆" | "分" | ...
    raw: str                      # the printed figure, e.g. "65.45", "10.05%"
    sentence: str
    prov: Provenance
    span: tuple[int, int] = (0, 0)  # character span of the figure in ``sentence``
    subject: Optional[str] = None
    subject_text: Optional[str] = None  # the words the subject was resolved from
    period: Optional[str] = None
    polarity: int = 0             # +1 增加/增长, -1 减少/下降, 0 none
    base: Optional[str] = None    # for shares: the quantity it is a share of, when stated
    word: Optional[str] = None    # for comparisons: 无差异 / 持平 / 大于 / 小于 / 没有 ...
    section: Optional[str] = None  # title of the innermost section holding the sentence
    id: str = ""
    scope: dict = field(default_factory=dict)  # fund / entity / part / 预算 period / per_unit / sub_of (claims/scope.py)

    @property
    def decimals(self) -> int:
        s = self.raw.replace(",", "").rstrip("%").strip()
        return len(s.split(".", 1)[1]) if "." in s else 0


@dataclass
class Evidence:
    """One cell or statement a finding compares."""

    prov: Provenance
    table: Optional[str] = None
    row: Optional[str] = None
    column: Optional[str] = None
    value: Optional[float] = None
    text: str = ""
    unit: Optional[str] = None    # the cell's printed unit


@dataclass
class Finding:
    rule: str
    title: str
    severity: str                 # "error" | "warning" | "info"
    message: str
    prov: Optional[Provenance] = None
    stated: Optional[float] = None
    expected: Optional[float] = None
    tolerance: Optional[float] = None
    evidence: list[Evidence] = field(default_factory=list)
    section: Optional[str] = None


@dataclass
class AuditResult:
    """What `auditor check` produces for one document: the document model (tables, claims) and the findings."""

    doc: Document
    findings: list[Finding] = field(default_factory=list)
    claims_checked: int = 0

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    # --- notebook API: the report as plain data and as pandas DataFrames ---------------------------------------
    def to_dict(self) -> dict:
        """The JSON contract (schema auditor.report/1) as a dict."""
        from .report.findings import result_dict

        return result_dict(self)

    def render(self, fmt: str = "text", **opts) -> "str | bytes":
        """The report in one of the registered formats (text, json, md, html, csv, xlsx)."""
        from .report.findings import render_findings

        return render_findings([self], fmt, **opts)

    @property
    def findings_frame(self) -> pd.DataFrame:
        """One row per finding (errors first, then by position), evidence as a list column."""
        from .report.findings import finding_dict, sorted_findings

        cols = ["rule", "title", "severity", "message", "line", "page", "section", "stated", "expected",
                "tolerance", "evidence"]
        return pd.DataFrame([finding_dict(f) for f in sorted_findings(self.findings)], columns=cols)

    @property
    def claims_frame(self) -> pd.DataFrame:
        """One row per narrative claim (kind, value, unit, subject, period, sentence, line/page, span)."""
        from .report.findings import claim_dict

        cols = ["id", "kind", "value", "unit", "raw", "subject", "subject_text", "period", "polarity", "base",
                "word", "section", "sentence", "line", "page", "span"]
        return pd.DataFrame([claim_dict(c) for c in self.doc.claims], columns=cols)

    @property
    def tables_frame(self) -> pd.DataFrame:
        """Every table cell in long format with its provenance (table, row, code, name, column, value, line, page)."""
        frames = [t.long_frame() for t in self.doc.tables]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=LONG_COLUMNS)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Each recognised table as a wide DataFrame (row key × canonical columns), by table id."""
        return {t.id: t.frame for t in self.doc.tables}

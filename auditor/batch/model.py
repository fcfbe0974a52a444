"""Plain data passed between the batch parent and its workers (picklable; of the document model only a PART's
Part, sent back to be paired, and a group task's blocks, sent out to be joined)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..report import EXTENSIONS

# status of one document in the store and the overview
OK = "ok"                  # audited
INPUT_ERROR = "input_error"  # unreadable or not a disclosure (auditor.errors.InputError)
CRASHED = "crashed"        # the pipeline raised (a bug): recorded, the batch goes on
DIED = "died"              # the worker process died (killed, out of memory) while auditing this document
TIMEOUT = "timeout"        # the worker was killed: still running a grace period after its time budget
OVER_BUDGET = "over_budget"  # over the time or size budget (auditor.budget): stopped and reported by the worker
SKIPPED = "skipped"        # read, but not a disclosure (auditor.pipeline.NotDisclosure): nothing to audit
JOINED = "joined"          # audited as one disclosure with other files: the results are under the group's lead file
PART = "part"              # (never stored) a narrative-only or tables-only file, sent back to be paired
FAILED = (INPUT_ERROR, CRASHED, DIED, TIMEOUT, OVER_BUDGET)
RETRIED = (DIED, TIMEOUT)  # a re-run tries these again even when the file is unchanged

STATUS_ZH = {OK: "已审核", INPUT_ERROR: "无法读取", CRASHED: "程序出错", DIED: "进程中止", TIMEOUT: "超时",
             OVER_BUDGET: "超出时间/大小限制", SKIPPED: "跳过",
             JOINED: "已合并审核"}

REPORT_SUFFIX = {fmt: ext.lstrip(".") for fmt, ext in EXTENSIONS.items()}


@dataclass(frozen=True)
class DocTask:
    """One document to audit: where it is, its content hash, and what to render."""

    path: str                     # absolute path, as the file system names it (may hold undecodable bytes)
    rel: str                      # root label / path relative to the root
    sha256: str
    size: int
    formats: tuple[str, ...]      # report formats to render
    max_bytes: int                # files larger than this are refused without reading (text files: a tenth)
    seconds: Optional[float] = None  # time budget (auditor.budget); None: no deadline
    parts: tuple["DocTask", ...] = ()  # the other files of the same disclosure: audited with this one as one document
    pairable: bool = False        # a narrative-only or tables-only file comes back as PART, to be paired
    # a group paired after the first pass: its files' (SourceInfo, blocks) as that pass read them, narrative first
    # (the worker joins them without reading the files again); empty: the worker reads the files
    read: tuple = field(default=(), compare=False, repr=False)

    @property
    def key(self) -> str:
        """The store's key and the name shown: the path as text (auditor.names.text_name)."""
        from ..names import text_name

        return text_name(self.path)

    @property
    def name(self) -> str:
        """``rel`` as text: what reports, the overview and the summary show."""
        from ..names import text_name

        return text_name(self.rel)


@dataclass
class DocOutcome:
    """What a worker returns for one document: store rows (tuples in auditor.store.schema order), facts for the
    cross-document rules, and the rendered reports. Never raises: a failure is a status and a reason."""

    task: DocTask
    status: str
    error: Optional[str] = None
    format: Optional[str] = None
    encoding: Optional[str] = None
    pages: Optional[int] = None
    department: Optional[str] = None
    dept_key: Optional[str] = None
    year: Optional[int] = None
    kind: Optional[str] = None
    unit: Optional[str] = None
    counts: dict[str, int] = field(default_factory=dict)   # tables, cells, claims, claims_checked, errors, ...
    cells: list[tuple] = field(default_factory=list)
    claims: list[tuple] = field(default_factory=list)
    findings: list[tuple] = field(default_factory=list)
    evidence: list[tuple] = field(default_factory=list)
    facts: Optional[dict] = None  # DocFacts.to_dict()
    reports: dict[str, str | bytes] = field(default_factory=dict)  # format -> rendered report
    seconds: float = 0.0
    rss_mb: float = 0.0           # the worker's peak resident memory so far
    audited_at: str = ""          # ISO timestamp (UTC)
    part: Optional[object] = None  # status PART: the auditor.pipeline.Part, for pair_parts in the parent

    @property
    def ok(self) -> bool:
        return self.status == OK

"""A batch ends cleanly however it is stopped (SIGTERM, kill -9) and loses nothing to a hostile archive: a
non-UTF-8 file name, a bit-flipped PDF, a zip bomb, a 50 MB text. Real subprocesses and real workers."""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.store.query import run_query
from test_robust import GBK_NAME, fs_copy, make_zip_bomb, seed

ROOT = Path(__file__).resolve().parent.parent
PDFS = ROOT / "tests" / "fixtures" / "pdf"

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")


def descendants(pid: int) -> set[int]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                ppid = int(Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(d))
    out, stack = set(), [pid]
    while stack:
        for c in kids.get(stack.pop(), []):
            out.add(c)
            stack.append(c)
    return out


def running(pids: set[int]) -> set[int]:
    out = set()
    for p in pids:
        try:
            state = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state not in ("Z", "X"):
            out.add(p)
    return out


def start_batch(src: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "auditor", "batch", str(src), "-o", str(out), "--jobs", "2",
                             "--format", "json", *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_reports(p: subprocess.Popen, out: Path, n: int = 1, seconds: float = 240) -> None:
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        if (out / "reports").is_dir() and len(list((out / "reports").rglob("*.json"))) >= n:
            return
        assert p.poll() is None, p.communicate()
        time.sleep(0.1)
    pytest.fail("no report written in time")


def q(db: Path, sql: str) -> list[tuple]:
    return run_query(str(db), sql)[1]


def many_seeds(folder: Path, copies: int) -> Path:
    folder.mkdir(parents=True)
    for i in range(copies):
        for n in ("000", "001", "002", "004"):
            shutil.copy(seed(n), folder / f"{i}-{n}.txt")
    return folder


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_ends_the_batch_promptly_with_what_is_done_stored(tmp_path, sig):
    src, out = many_seeds(tmp_path / "in", 8), tmp_path / "out"
    p = start_batch(src, out)
    wait_for_reports(p, out, 2)
    kids = descendants(p.pid)
    t0 = time.monotonic()
    p.send_signal(sig)
    _, err = p.communicate(timeout=60)
    assert time.monotonic() - t0 < 20
    assert p.returncode == 130, err.decode()
    assert "已中断 interrupted" in err.decode() and "Traceback" not in err.decode()
    done = q(out / "auditor.duckdb", "SELECT count(*), count(DISTINCT path) FROM documents WHERE status = 'ok'")[0]
    assert done[0] >= 1 and done[0] == done[1]
    t1 = time.monotonic()
    while running(kids) and time.monotonic() - t1 < 10:
        time.sleep(0.2)
    assert not running(kids)


def hostile_archive(root: Path) -> tuple[Path, list[str], dict[str, str]]:
    """-> (folder, good documents' rel names as stored, bad documents' rel -> expected status)."""
    src = root / "档案"
    src.mkdir(parents=True)
    good = []
    for i in range(3):
        for n in ("000", "002", "004"):
            shutil.copy(seed(n), src / f"{i}-{n}.txt")
            good.append(f"档案/{i}-{n}.txt")
    fs_copy(seed("001"), src, GBK_NAME)
    good.append("档案/" + "\\xb2\\xbf\\xc3\u017e\\xf6\\xcb\\xe3.txt")
    pdf = bytearray(next(PDFS.glob("000_*.pdf")).read_bytes())
    rng = random.Random(16)
    for _ in range(32):
        pdf[rng.randrange(len(pdf))] ^= 1 << rng.randrange(8)
    (src / "flipped.pdf").write_bytes(bytes(pdf))
    make_zip_bomb(src / "bomb.docx")
    text = seed("001").read_bytes()
    with open(src / "huge.txt", "wb") as fh:  # 50 MB
        for _ in range(50 * 2**20 // len(text) + 1):
            fh.write(text)
    bad = {"档案/bomb.docx": "over_budget", "档案/huge.txt": "over_budget"}
    return src, good, bad


def test_hostile_archive_after_a_killed_run_keeps_every_good_document(tmp_path):
    src, good, bad = hostile_archive(tmp_path)
    out = tmp_path / "out"
    db = out / "auditor.duckdb"
    first = start_batch(src, out)
    wait_for_reports(first, out, 2)
    kids = descendants(first.pid)
    assert kids  # the forkserver, the resource tracker, the workers
    first.send_signal(signal.SIGKILL)
    first.wait()
    t0 = time.monotonic()
    while running(kids) and time.monotonic() - t0 < 15:
        time.sleep(0.2)
    assert not running(kids), "processes outlived the killed batch"
    assert time.monotonic() - t0 < 8  # the workers poll every 0.5 s; before they watched, over a minute

    second = start_batch(src, out)
    out_, err = second.communicate(timeout=600)
    err = err.decode("utf-8")
    assert second.returncode == 1, err
    assert "Traceback" not in err + out_.decode("utf-8")
    assert not running(descendants(second.pid))
    rows = dict(q(db, "SELECT rel, status FROM documents"))
    assert q(db, "SELECT count(*) = count(DISTINCT path) FROM documents")[0][0]
    for rel in good:
        assert rows.get(rel) == "ok", (rel, rows.get(rel))
        assert (out / "reports" / f"{rel}.json").is_file(), rel
        cells = q(db, f"SELECT count(*) FROM tables_cells c JOIN documents d ON d.path = c.doc WHERE d.rel = '{rel}'")
        assert cells[0][0] > 100
        assert q(db, f"SELECT count(*) FROM facts f JOIN documents d ON d.path = f.doc WHERE d.rel = '{rel}'") == [(1,)]
    for rel, status in bad.items():
        assert rows[rel] == status
    assert rows["档案/flipped.pdf"] in ("ok", "input_error", "over_budget")
    # no duplicated rows of any per-document table
    dup = q(db, "SELECT count(*) FROM (SELECT doc, table_id, row_key, column_name, count(*) n FROM tables_cells "
                "GROUP BY ALL HAVING n > 1)")
    assert dup == [(0,)]
    assert q(db, "SELECT count(*) FROM (SELECT doc, finding_id, count(*) n FROM findings GROUP BY ALL "
                 "HAVING n > 1)") == [(0,)]
    index = (out / "index.html").read_bytes().decode("utf-8")
    assert "\\xb2\\xbf" in index

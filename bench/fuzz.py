"""Fuzz the auditor with mutations of the corpus, in process, each input within a time budget.

    python3 bench/fuzz.py [--seconds S | --count N] [--budget 10] [--out DIR] [--seed 1] [--jobs N]

Mutations (cheap, so that throughput is high): byte-level mutations of the PDFs (bit flips, overwritten, deleted or
duplicated spans, truncation); text-level mutations of the text seeds and of windows of them (digits in full-width,
Unicode minus and en-dash signs, NUL and zero-width characters, stray invalid bytes, 20-digit and 1e308 numbers, a
large appended table, lines deleted, duplicated or swapped); re-encodings (GB18030, UTF-16 with and without BOM,
UTF-8 with BOM); DOCX and XLSX built from a seed, and their bytes mutated; file names with undecodable bytes, spaces,
markup and long names. Each input is audited by ``auditor.pipeline.audit`` under ``Budget(seconds=--budget)``, and
its JSON and text reports are rendered and checked (valid UTF-8, valid JSON).

Outcomes: ok; clean error (an InputError: one line naming the file); over budget (stopped by the time budget, or
slower than it); crash (any other exception, or a rule that raised -- the pipeline turns that into an info finding
"规则执行出错"). Each distinct crash/over-budget (by kind, exception and innermost frame) keeps its input, minimised
(lines deleted while the failure stays, for text; mutations undone, for bytes), under ``OUT/failures/``.

One process. A C routine that never returns to the interpreter would hang it: a watchdog keeps that input, saves the
counts and re-executes the script in the same process (``--resume``), so a run never stops on one input.
Prints, every --every inputs and at the end: inputs run / ok / clean error / crash / over budget, and inputs/s.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.budget import Budget, OverBudget  # noqa: E402
from auditor.errors import InputError  # noqa: E402

KINDS = ("ok", "clean_error", "crash", "over_budget")


# ------------------------------------------------------------------------------------------------------ seeds
def load_seeds() -> dict[str, list]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "synthetic").glob("SYNTHETIC_*.txt"))]
    pdfs = [p.read_bytes() for p in sorted((ROOT / "corpus" / "shanghai").glob("*.pdf"))]
    pdfs += [p.read_bytes() for p in sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))]
    return {"text": texts, "pdf": pdfs, "docx": [_docx(texts[1])], "xlsx": [_xlsx(texts[1])]}


def _docx(text: str) -> bytes:
    import docx

    d = docx.Document()
    rows = []
    for line in text.splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            _docx_table(d, rows)
            rows = []
        if line.strip():
            d.add_paragraph(line.strip())
    if rows:
        _docx_table(d, rows)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _docx_table(d, rows) -> None:
    n = max(len(r) for r in rows)
    t = d.add_table(rows=len(rows), cols=n)
    for i, r in enumerate(rows):
        for j, c in enumerate(r):
            t.cell(i, j).text = c


def _xlsx(text: str) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for line in text.splitlines():
        if line.strip():
            ws.append(line.split("\t"))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------------ mutations
FULL = str.maketrans("0123456789", "０１２３４５６７８９")
HUGE = ["12345678901234567890", "1e308", "99999999999999999999.99", "-0", "0.000000000000000001", "1,2,3,4",
        "１２３４５６７８９０１２３４５６７８９０", "NaN", "inf"]


def mutate_text(rng: random.Random, text: str) -> tuple[str, list[str]]:
    lines = text.splitlines()
    if rng.random() < 0.85 and len(lines) > 40:  # a window: smaller, faster, and cuts tables and sections anywhere
        a = rng.randrange(len(lines))
        lines = lines[a:a + rng.randint(10, 150)]
    ops = []
    for _ in range(rng.choice((1, 1, 2, 3, 5))):
        op = rng.choice(("full", "minus", "endash", "nul", "zw", "huge", "table", "del", "dup", "swap", "chars"))
        ops.append(op)
        if not lines:
            break
        i = rng.randrange(len(lines))
        if op == "full":
            lines[i] = lines[i].translate(FULL)
        elif op in ("minus", "endash"):
            sign = "\u2212" if op == "minus" else "\u2013"
            lines[i] = "".join(sign + c if c.isdigit() and rng.random() < 0.2 else c for c in lines[i])
        elif op == "nul":
            j = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:j] + "\x00" + lines[i][j:]
        elif op == "zw":
            j = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:j] + rng.choice("\u200b\ufeff\u2060") + lines[i][j:]
        elif op == "huge":
            lines[i] = _replace_number(rng, lines[i], rng.choice(HUGE))
        elif op == "table":
            n = 10000 if rng.random() < 0.05 else rng.choice((10, 30, 100, 300, 1000))  # 10^4: slow, so rare
            rows = [lines[rng.randrange(len(lines))] for _ in range(n)]
            lines.extend(rows)
        elif op == "del":
            del lines[i:i + rng.randint(1, 30)]
        elif op == "dup":
            lines[i:i] = lines[i:i + rng.randint(1, 30)]
        elif op == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "chars":
            s = lines[i]
            j = rng.randrange(len(s) + 1)
            lines[i] = s[:j] + "".join(rng.choice("，。%％万元（）()-—:：、\t 0123456789.") for _ in range(rng.randint(1, 6))) + s[j:]
    return "\n".join(lines) + "\n", ops


def _replace_number(rng: random.Random, line: str, new: str) -> str:
    import re

    nums = list(re.finditer(r"\d[\d,]*(?:\.\d+)?", line))
    if not nums:
        return line + new
    m = rng.choice(nums)
    return line[:m.start()] + new + line[m.end():]


def encode_text(rng: random.Random, text: str) -> tuple[bytes, str]:
    enc = rng.choice(("utf-8", "utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"))
    data = text.encode(enc, errors="replace")
    if rng.random() < 0.15:  # a few stray invalid bytes
        data = bytearray(data)
        for _ in range(rng.randint(1, 5)):
            data.insert(rng.randrange(len(data) + 1), rng.choice((0xFF, 0xFE, 0xC3, 0x80, 0xED)))
        data = bytes(data)
        enc += "+stray"
    return data, enc


def mutate_bytes(rng: random.Random, data: bytes) -> tuple[bytes, list[tuple]]:
    """-> (mutant, edits): each edit (offset, old bytes, new bytes), so a minimiser can undo them one by one."""
    b = bytearray(data)
    edits = []
    for _ in range(rng.choice((1, 2, 4, 8, 16, 64))):
        if not b:
            break
        op = rng.random()
        i = rng.randrange(len(b))
        if op < 0.6:  # bit flip
            old = bytes(b[i:i + 1])
            b[i] ^= 1 << rng.randrange(8)
            edits.append((i, old, bytes(b[i:i + 1])))
        elif op < 0.85:  # overwrite a span with random or "interesting" bytes
            n = rng.randint(1, 16)
            new = rng.choice((os.urandom(n), b"\x00" * n, b"\xff" * n, b"9" * n, b"-" * n))
            old = bytes(b[i:i + n])
            b[i:i + len(old)] = new[:len(old)]
            edits.append((i, old, bytes(b[i:i + len(old)])))
        elif op < 0.95:  # duplicate a span (same length kept: offsets of other edits stay valid)
            n = rng.randint(1, 256)
            j = rng.randrange(len(b))
            old = bytes(b[i:i + n])
            new = bytes(b[j:j + len(old)])
            b[i:i + len(new)] = new
            edits.append((i, old[:len(new)], new))
        else:  # truncate
            edits.append(("truncate", len(b), i))
            del b[i:]
    return bytes(b), edits


SUFFIX = {"text": (".txt", ".md"), "pdf": (".pdf",), "docx": (".docx",), "xlsx": (".xlsx",)}


def mutate_name(rng: random.Random, kind: str) -> bytes:
    suffix = rng.choice(SUFFIX[kind]).encode()
    r = rng.random()
    if r < 0.5:
        return b"doc" + suffix
    base = rng.choice([
        "\u90e8\u95e8\u51b3\u7b97".encode("gbk"),                # 部门决算 in GBK: not UTF-8
        b"\xff\xfe\x80bad", b"a b  c", "<b>&局'\"".encode(), "表\u200b名".encode(), b"-rf --help",
        ("很长的名字" * 40).encode()[:200], b"\xed\xa0\x80surrogate", b"%s%n{}", "ｆｕｌｌ１２".encode()])
    return base + suffix


def make_input(rng: random.Random, seeds: dict) -> dict:
    kind = rng.choices(("text", "pdf", "docx", "xlsx"), weights=(89, 5, 3, 3))[0]
    if kind == "text":
        text, ops = mutate_text(rng, rng.choice(seeds["text"]))
        data, enc = encode_text(rng, text)
        how = {"ops": ops, "encoding": enc}
        edits = None
    else:
        data, edits = mutate_bytes(rng, rng.choice(seeds[kind]))
        how = {"edits": len(edits)}
    return {"kind": kind, "data": data, "name": mutate_name(rng, kind), "how": how, "edits": edits}


# ------------------------------------------------------------------------------------------------------ running
def run_one(path: str, budget: Budget) -> tuple[str, str]:
    """-> (outcome, signature) for one input file."""
    from auditor.pipeline import audit
    from auditor.report.findings import render_findings

    clock = time.process_time if budget.clock == "cpu" else time.perf_counter
    t0 = clock()
    try:
        r = audit(path, budget=budget)
        for fmt in ("json", "text"):
            out = render_findings([r], fmt)
            out.encode("utf-8")  # strict: a name or text that is not valid Unicode fails here
            if fmt == "json":
                json.loads(out)
        crashed = [f for f in r.findings if "规则执行出错" in f.message]
        if crashed:
            return "crash", f"rule {crashed[0].rule}: {crashed[0].message[:120]}"
    except OverBudget as e:
        if "审核超过" in e.zh:
            return "over_budget", "time budget"
        return "clean_error", ""
    except InputError as e:
        str(e).encode("utf-8")  # the one line must be printable
        return "clean_error", ""
    except Exception as e:  # noqa: BLE001  (a crash is what we look for)
        tb = traceback.extract_tb(e.__traceback__)
        at = f"{os.path.basename(tb[-1].filename)}:{tb[-1].lineno}" if tb else "?"
        return "crash", f"{type(e).__name__} at {at}: {str(e)[:100]}"
    if clock() - t0 > budget.seconds:
        return "over_budget", "slower than the budget"
    return "ok", ""


def write_input(tmp: str, inp: dict) -> str:
    p = os.path.join(os.fsencode(tmp), inp["name"])
    with open(p, "wb") as fh:
        fh.write(inp["data"])
    return os.fsdecode(p)


def minimise(inp: dict, outcome: str, sig: str, tmp: str, budget: Budget, seconds: float = 60.0) -> dict:
    """The smallest input found (within ``seconds``) that still gives the same outcome and signature."""
    t_end = time.monotonic() + seconds

    def same(data: bytes) -> bool:
        if time.monotonic() > t_end:
            return False
        trial = dict(inp, data=data)
        path = write_input(tmp, trial)
        try:
            return run_one(path, budget) == (outcome, sig)
        finally:
            os.unlink(path)

    data = inp["data"]
    if inp["kind"] == "text" and outcome == "crash":
        lines = data.split(b"\n")
        chunk = max(1, len(lines) // 2)
        while chunk >= 1 and time.monotonic() < t_end:
            i, changed = 0, False
            while i < len(lines) and time.monotonic() < t_end:
                trial = lines[:i] + lines[i + chunk:]
                if trial and same(b"\n".join(trial)):
                    lines, changed = trial, True
                else:
                    i += chunk
            if not changed:
                chunk //= 2
        data = b"\n".join(lines)
    elif inp["edits"] and outcome == "crash":
        b = bytearray(data)
        for e in inp["edits"]:
            if e[0] == "truncate" or time.monotonic() > t_end:
                continue
            i, old, new = e
            trial = bytearray(b)
            trial[i:i + len(new)] = old
            if same(bytes(trial)):
                b = trial
        data = bytes(b)
    return dict(inp, data=data)


def keep(out: Path, inp: dict, outcome: str, sig: str) -> None:
    d = out / "failures" / f"{outcome}-{hashlib.sha1(sig.encode()).hexdigest()[:10]}"
    if d.exists():
        return
    d.mkdir(parents=True)
    (d / ("input" + os.path.splitext(os.fsdecode(inp["name"]))[1])).write_bytes(inp["data"])
    (d / "about.json").write_text(json.dumps({"outcome": outcome, "signature": sig, "kind": inp["kind"],
                                              "name": os.fsdecode(inp["name"]).encode("utf-8", "surrogateescape")
                                              .decode("utf-8", "backslashreplace"),
                                              "how": inp["how"]}, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, help="run this long")
    ap.add_argument("--count", type=int, help="run this many inputs")
    ap.add_argument("--budget", type=float, default=60.0, help="time budget per input (s; the default budget)")
    ap.add_argument("--out", default="/tmp/fuzz_out", help="where failures and the state are kept")
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="what the budget counts: real time, or this process's CPU time (a loaded shared machine)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--every", type=int, default=1000, help="print the figures every N inputs")
    ap.add_argument("--jobs", type=int, default=1, help="run N fuzzing processes side by side (seeds seed*1000+k, "
                    "each in OUT/jobK) and print their summed figures")
    ap.add_argument("--resume", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.jobs > 1:
        return run_jobs(a, argv if argv is not None else sys.argv[1:])
    import logging

    logging.disable(logging.CRITICAL)  # the PDF libraries' warnings about the damage we did on purpose
    if a.seconds is None and a.count is None:
        a.count = 200
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    state_file = out / "state.json"
    counts = dict.fromkeys(KINDS, 0)
    n, elapsed, sigs = 0, 0.0, {}
    if a.resume and state_file.exists():
        st = json.loads(state_file.read_text())
        counts, n, elapsed, sigs = st["counts"], st["n"], st["elapsed"], st["signatures"]
    rng = random.Random(f"{a.seed}:{n}")
    budget = Budget(seconds=a.budget, clock=a.clock)
    seeds = load_seeds()
    tmp = tempfile.mkdtemp(prefix="auditor-fuzz-")
    t0 = time.monotonic() - elapsed
    current: dict = {}

    def save(k: int) -> None:
        state_file.write_text(json.dumps({"counts": counts, "n": k, "elapsed": time.monotonic() - t0,
                                          "signatures": sigs}, ensure_ascii=False))

    def watchdog() -> None:  # an input stuck in C code past three budgets: keep it, go on in a fresh image
        while True:
            time.sleep(1.0)
            started, cpu0 = current.get("t"), current.get("c")
            if not started:
                continue
            # with --clock cpu a process starved of CPU (nice, a loaded machine) is not hung: count its CPU time,
            # and the wall clock only far past it (a C routine blocked without using CPU)
            over = (time.monotonic() - started > 3 * a.budget + 5) if a.clock == "wall" else (
                time.process_time() - cpu0 > 3 * a.budget + 5 or time.monotonic() - started > 30 * a.budget)
            if over:
                inp = current["inp"]
                counts["over_budget"] += 1
                sigs["over_budget: hung in C code"] = sigs.get("over_budget: hung in C code", 0) + 1
                keep(out, inp, "over_budget", f"hung:{hashlib.sha1(inp['data']).hexdigest()}")
                save(n + 1)
                shutil.rmtree(tmp, ignore_errors=True)
                sys.stdout.flush()
                os.execv(sys.executable, [sys.executable, *sys.argv, *([] if a.resume else ["--resume"])])

    threading.Thread(target=watchdog, daemon=True).start()

    def report() -> None:
        secs = time.monotonic() - t0
        print(f"inputs run {n} / ok {counts['ok']} / clean error {counts['clean_error']} / crash {counts['crash']} "
              f"/ over budget {counts['over_budget']}   ({n / max(secs, 1e-9):.1f} inputs/s, {secs:.0f} s)",
              flush=True)

    try:
        while True:
            if a.count is not None and n >= a.count:
                break
            if a.seconds is not None and time.monotonic() - t0 >= a.seconds:
                break
            inp = make_input(rng, seeds)
            path = write_input(tmp, inp)
            current.update(t=time.monotonic(), c=time.process_time(), inp=inp)
            outcome, sig = run_one(path, budget)
            current["t"] = None
            os.unlink(path)
            counts[outcome] += 1
            n += 1
            if outcome in ("crash", "over_budget"):
                key = f"{outcome}: {sig}" + (f" ({inp['kind']})" if outcome == "over_budget" else "")
                first = key not in sigs
                sigs[key] = sigs.get(key, 0) + 1
                if first:
                    print(f"NEW {key}  ({inp['kind']} {inp['how']})", flush=True)
                    keep(out, minimise(inp, outcome, sig, tmp, budget), outcome, key)
            if n % a.every == 0:
                report()
                save(n)
    except KeyboardInterrupt:
        pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    save(n)
    report()
    for k, v in sorted(sigs.items()):
        print(f"  {v:6}  {k}")
    return 1 if counts["crash"] or counts["over_budget"] else 0


def run_jobs(a, argv: list[str]) -> int:
    """N processes of this script (each with its own watchdog and state), then their figures summed."""
    import subprocess

    rest, skip = [], False
    for x in argv:  # drop the options each job gets its own value of
        if skip:
            skip = False
            continue
        if x in ("--jobs", "--seed", "--out", "--count"):
            skip = True
            continue
        if x.split("=")[0] in ("--jobs", "--seed", "--out", "--count"):
            continue
        rest.append(x)
    out = Path(a.out)
    procs = []
    for k in range(a.jobs):
        extra = ["--count", str(-(-a.count // a.jobs))] if a.count is not None else []
        procs.append(subprocess.Popen([sys.executable, __file__, *rest, *extra, "--seed", str(a.seed * 1000 + k),
                                       "--out", str(out / f"job{k}")]))
    try:
        for p in procs:
            p.wait()
    except KeyboardInterrupt:
        for p in procs:
            p.wait()
    counts, n, sigs, secs = dict.fromkeys(KINDS, 0), 0, {}, 0.0
    for k in range(a.jobs):
        f = out / f"job{k}" / "state.json"
        if not f.exists():
            continue
        st = json.loads(f.read_text())
        n += st["n"]
        secs = max(secs, st["elapsed"])
        for key, v in st["counts"].items():
            counts[key] += v
        for key, v in st["signatures"].items():
            sigs[key] = sigs.get(key, 0) + v
    print(f"ALL {a.jobs} jobs: inputs run {n} / ok {counts['ok']} / clean error {counts['clean_error']} / crash "
          f"{counts['crash']} / over budget {counts['over_budget']}   ({n / max(secs, 1e-9):.1f} inputs/s, "
          f"{secs:.0f} s)", flush=True)
    for key, v in sorted(sigs.items()):
        print(f"  {v:6}  {key}")
    return 1 if counts["crash"] or counts["over_budget"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""The ways a user installs and runs the tool: a non-editable wheel carries the lexicons as package data; a batch
run from a folder that holds another `auditor/` directory (e.g. the clone's parent) still runs the installed code."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seeds" / "001_6d6ee4970fc0bf0d.txt"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot build a wheel here (no network for the build backend?): {r.stderr[-300:]}")
    return next(out.glob("auditor-*.whl"))


def test_wheel_carries_every_lexicon_and_finds_it_from_any_folder(wheel, tmp_path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for f in sorted((ROOT / "lexicons").glob("*.toml")):
        assert f"auditor/_lexicons/{f.name}" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import auditor.lexicons as l, json; "
            "print(json.dumps([str(l.lexicon_dir()), len(l.table_defs()), sorted(l.load('identities'))]))")
    env = {k: v for k, v in os.environ.items() if k != "AUDITOR_LEXICONS"}
    env["PYTHONPATH"] = str(site)
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    where, ntables, keys = json.loads(r.stdout)
    assert Path(where) == site / "auditor" / "_lexicons" and ntables > 10 and keys


def test_wheel_carries_the_compiled_reader_helper_where_a_compiler_is(wheel, tmp_path):
    """The PDF reader's C helper is built into the wheel (it is optional: without a compiler the install goes on),
    and the installed package binds it to pypdfium2's PDFium."""
    import shutil
    import sysconfig

    if shutil.which((sysconfig.get_config_var("CC") or "cc").split()[0]) is None:
        pytest.skip("no C compiler here: the wheel is built without the helper")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("auditor/read/_pdfium_fast") and n.endswith((".so", ".pyd")) for n in names), names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = "from auditor.read import pdfium_page as p; print(p.compiled() is not None, p.compiled().__file__)"
    env = dict(os.environ, PYTHONPATH=str(site))
    env.pop("AUDITOR_PURE_PDF", None)
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    ok, where = r.stdout.split()
    assert ok == "True" and Path(where).is_relative_to(site)


def test_batch_workers_ignore_an_auditor_folder_in_the_current_directory(tmp_path):
    """The parent imports the real package; a folder `auditor/` in the working directory (here an empty
    package) must not be what the batch's worker processes import."""
    cwd = tmp_path / "parent"
    (cwd / "auditor").mkdir(parents=True)
    (cwd / "auditor" / "__init__.py").write_text("")  # a package without the modules: a worker importing it fails
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / SEED.name).write_bytes(SEED.read_bytes())
    script = tmp_path / "run_batch.py"  # a script, like the console entry point: sys.path[0] is its own folder
    script.write_text("import sys\nfrom auditor.cli import main\nif __name__ == '__main__':\n    sys.exit(main(sys.argv[1:]))\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PYTHONSAFEPATH", None)
    r = subprocess.run([sys.executable, str(script), "batch", str(docs), "-o", str(tmp_path / "out"), "--jobs", "1"],
                       cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert "ImportError" not in r.stderr and "ModuleNotFoundError" not in r.stderr, r.stderr
    assert "无法审核 0" in r.stdout, r.stdout + r.stderr

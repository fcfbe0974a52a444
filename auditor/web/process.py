"""Run `auditor serve` as a child process (for the end-to-end tests and bench/web_*.py): start it on a free port,
wait until it answers, stop it."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data: Path, port: int, cwd: Path, *extra: str, timeout: float = 60) -> subprocess.Popen:
    """``python -m auditor serve --data DATA --port PORT`` run in ``cwd``; -> the process once it answers."""
    proc = subprocess.Popen([sys.executable, "-m", "auditor", "serve", "--data", str(data), "--port", str(port),
                             *extra], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"auditor serve exited: {proc.stdout.read().decode(errors='replace')}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"auditor serve did not answer within {timeout:g} s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def launch_chromium(p, executable: str, user_data_dir: str, viewport=(1400, 1000)):
    """A headless Chromium context from the system browser with a fresh profile (no network use of its own)."""
    return p.chromium.launch_persistent_context(user_data_dir, executable_path=executable, headless=True,
                                                args=CHROMIUM_ARGS, accept_downloads=True,
                                                viewport={"width": viewport[0], "height": viewport[1]})

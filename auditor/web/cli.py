"""`auditor serve [--host 127.0.0.1] [--port 8765] [--db FILE] [--data DIR]`: the argument parser and the start."""
from __future__ import annotations

import os
import sys

from ..errors import InputError

TOKEN_ENV = "AUDITOR_TOKEN"


def add_serve_parser(sub) -> None:
    s = sub.add_parser("serve", help="浏览器审核工作台 / the reviewer's workbench in the browser (docs/WEB.md)")
    s.add_argument("--host", default="127.0.0.1", help="监听地址（默认只允许本机）/ address to listen on")
    s.add_argument("--port", type=int, default=8765)
    s.add_argument("--data", metavar="DIR", default="auditor-web",
                   help="上传文件、报告与页面图片缓存的文件夹（默认 ./auditor-web）/ data folder")
    s.add_argument("--db", metavar="FILE", help="DuckDB 数据库（默认 DIR/auditor.duckdb；可用 auditor batch 的数据库）")
    s.add_argument("--token", help=f"访问令牌（或环境变量 {TOKEN_ENV}）；监听非本机地址时必需 / access token")
    s.add_argument("--jobs", type=int, default=None, metavar="N", help="同时审核的文件数（默认：核心数）")
    s.add_argument("--scheduler", metavar="ADDRESS", help="在 Dask 集群上审核 / audit on a Dask cluster")
    s.add_argument("--max-mb", type=float, default=100.0, metavar="MB", help="每次上传的大小上限（默认 100）")
    s.add_argument("--timeout", type=float, default=600.0, metavar="SECONDS", help="单个文件的审核时限")
    s.set_defaults(func=cmd_serve)


def settings_from(a):
    from .app import Settings
    from .security import is_loopback

    token = a.token or os.environ.get(TOKEN_ENV) or None
    local = is_loopback(a.host)
    if not local and not token:
        raise InputError(a.host, f"监听非本机地址时必须设置访问令牌（--token 或环境变量 {TOKEN_ENV}）",
                         f"listening beyond localhost needs an access token (--token or {TOKEN_ENV})")
    if token and len(token) < 16:
        raise InputError("--token", "访问令牌至少 16 个字符", "the access token must have at least 16 characters")
    data = os.path.abspath(a.data)
    try:
        os.makedirs(data, exist_ok=True)
    except OSError as e:
        raise InputError(a.data, f"无法创建数据文件夹（{e.strerror}）", f"cannot create the data folder ({e.strerror})")
    return Settings(db=os.path.abspath(a.db or os.path.join(data, "auditor.duckdb")), data=data, max_mb=a.max_mb,
                    token=token, local_only=local, workers=a.jobs or os.cpu_count() or 1,
                    timeout=a.timeout or None, scheduler=a.scheduler)


def cmd_serve(a) -> int:
    try:
        import uvicorn

        from .app import create_app
    except ImportError as e:
        raise InputError("auditor serve", f"缺少网页依赖（{e.name}）：请运行 pip install 'auditor[web]'",
                         f"the web extra is not installed ({e.name}): pip install 'auditor[web]'")
    s = settings_from(a)
    from ..store import connect

    connect(s.db).close()  # a store in use by another process: one clear line now, not a traceback later
    where = f"http://{a.host if ':' not in a.host else '[' + a.host + ']'}:{a.port}/"
    print(f"审核工作台 workbench: {where}  数据库 store: {s.db}" + ("  (需要令牌 token required)" if s.token else ""),
          file=sys.stderr)
    uvicorn.run(create_app(s), host=a.host, port=a.port, log_level="warning")
    return 0

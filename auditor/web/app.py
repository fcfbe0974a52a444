"""The workbench's routes (Starlette): pages rendered with jinja2 templates, and the JSON API under /api/ that
the pages use and scripts can call (docs/WEB.md)."""
from __future__ import annotations

import os
import re
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Callable, Optional

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..batch.model import STATUS_ZH as BATCH_STATUS_ZH
from ..store.verdicts import VERDICT_ZH, VERDICTS
from . import exports
from .data import WebData, inside
from .detail import detail_of, filter_groups
from .jobs import DONE, FAILED, STATE_ZH, Runner, requeue_unfinished
from .pages import PageError, page_png
from .security import CSRF_COOKIE, CSRF_FIELD, Guard, cross_site, csrf_denied, new_secret
from .grouping import group_name, group_uploads
from .uploads import mark_group, store_upload, stored_uploads, upload_name, wanted

ID = re.compile(r"[0-9a-f]{16}")
FINDING = re.compile(r"([0-9a-f]{16})-([DY][0-9]{1,6})")
MAX_FILES = 200
FORM_OVERHEAD = 1 << 20  # multipart boundaries and headers on top of the files' bytes


@dataclass
class Settings:
    db: str
    data: str
    max_mb: float = 100.0
    token: Optional[str] = None
    local_only: bool = True
    workers: int = 1
    timeout: Optional[float] = 600.0
    scheduler: Optional[str] = None  # a Dask scheduler address: the Dask engine instead of the local pool

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 2**20)


class TooLarge(Exception):
    pass


def default_engine(s: Settings) -> Callable[[], object]:
    from ..batch.engines import DaskEngine, LocalEngine
    from .worker import web_task

    if s.scheduler:
        return lambda: DaskEngine(s.scheduler, s.workers, work=web_task)
    return lambda: LocalEngine(s.workers, s.timeout, work=web_task)


def create_app(s: Settings, make_engine: Optional[Callable[[], object]] = None):
    env = Environment(loader=PackageLoader("auditor.web", "templates"), autoescape=select_autoescape(["html"]))
    env.globals.update(VERDICT_ZH=VERDICT_ZH, STATE_ZH=STATE_ZH,
                       SEVERITY_ZH={"error": "错误", "warning": "警告", "info": "提示"})
    state: dict = {}

    @asynccontextmanager
    async def lifespan(app):
        data = WebData(s.db, s.data)
        runner = Runner(data, make_engine or default_engine(s), s.workers, s.max_bytes,
                        warm=make_engine is None and not s.scheduler).start()
        state.update(data=data, runner=runner)
        requeue_unfinished(runner, stored_uploads(uploads_dir()), data.paths())
        try:
            yield
        finally:
            runner.stop()
            data.close()

    def uploads_dir() -> str:
        return os.path.join(s.data, "uploads")

    # ------------------------------------------------------------------ helpers
    def page(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
        token = request.cookies.get(CSRF_COOKIE) or new_secret()
        html = env.get_template(name).render(csrf=token, request=request, **ctx)
        resp = HTMLResponse(html, status_code=status)
        if request.cookies.get(CSRF_COOKIE) != token:
            resp.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
        return resp

    def not_found(request: Request, what: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": f"没有{what} / not found"}, status_code=404)
        return page(request, "error.html", 404, message=f"没有{what} / not found")

    def entry(doc: Optional[dict], job: Optional[dict]) -> dict:
        """One document as the list shows it: the job's state while it is queued or running, else the store's."""
        if job and (doc is None or job["status"] not in (DONE, FAILED)):
            return dict(job, department=None, year=None, kind=None, errors=None, warnings=None, infos=None,
                        url=f"/documents/{job['id']}")
        ok = doc["status"] == "ok"
        # a batch store's other outcomes keep their own words (跳过: not a disclosure; 已合并审核: another file's report)
        zh = STATE_ZH[DONE] if ok else BATCH_STATUS_ZH.get(doc["status"], STATE_ZH[FAILED])
        return {"id": doc["id"], "name": doc["rel"], "status": DONE if ok else FAILED,
                "status_zh": zh, "error": None if ok else doc["error"],
                "progress": 1.0, "elapsed": doc["seconds"], "department": doc["department"], "year": doc["year"],
                "kind": doc["kind"], "errors": doc["errors"], "warnings": doc["warnings"], "infos": doc["infos"],
                "pages": doc["pages"], "audited_at": doc["audited_at"], "url": f"/documents/{doc['id']}"}

    def listing() -> list[dict]:
        runner: Runner = state["runner"]
        docs = {d["id"]: d for d in state["data"].documents()}
        jobs = {i: runner.state(i) for i in list(runner.jobs)}
        pending = [entry(docs.get(i), j) for i, j in jobs.items() if j["status"] not in (DONE, FAILED)]
        return pending[::-1] + [entry(d, jobs.get(i)) for i, d in docs.items() if i not in
                                {p["id"] for p in pending}]

    def lookup(id_: str) -> tuple[Optional[dict], Optional[dict]]:
        if not ID.fullmatch(id_):
            return None, None
        return state["data"].document(id_), state["runner"].state(id_)

    def finding_of(view: dict, fid: str) -> Optional[dict]:
        return next((f for f in view["findings"] if f["id"] == fid), None)

    # ------------------------------------------------------------------ pages
    async def index(request: Request):
        return page(request, "index.html", docs=listing(), max_mb=s.max_mb)

    async def report_page(request: Request):
        doc, job = lookup(request.path_params["id"])
        if doc is None or (job and job["status"] not in (DONE, FAILED)):
            if job:
                return page(request, "pending.html", job=job)
            return not_found(request, "这个文件")
        if doc["status"] != "ok":
            return page(request, "failed.html", doc=doc)
        view = state["data"].view(doc)
        q = request.query_params
        rule, sevs = q.get("rule") or "", q.getlist("sev") or ["error", "warning", "info"]
        selected = finding_of(view, q.get("f", ""))
        detail = detail_of(doc, view, selected) if selected else None
        names = {x["path"]: upload_name(x["path"]) for x in view["files"]}
        return page(request, "report.html", doc=doc, view=view, file_names=names,
                    groups=filter_groups(view["findings"], rule, sevs),
                    rules=sorted({f["rule"] for f in view["findings"]}), rule=rule, sevs=sevs, sel=selected,
                    detail=detail, verdicts=VERDICTS)

    async def verdict_form(request: Request):
        form = await request.form(max_files=0, max_fields=10)
        why = cross_site(request, form.get(CSRF_FIELD))
        if why:
            return csrf_denied(request, why)
        doc, _ = lookup(request.path_params["id"])
        if doc is None or doc["status"] != "ok":
            return not_found(request, "这个文件")
        view = state["data"].view(doc)
        f = finding_of(view, str(form.get("finding", "")))
        if f is None:
            return not_found(request, "这条问题")
        verdict = str(form.get("verdict", ""))
        if verdict not in VERDICTS:
            return page(request, "error.html", 400, message="审核结论只能是 确认 / 误报 / 待定")
        state["data"].set_verdict(doc, f, verdict, str(form.get("note", "")))
        return RedirectResponse(f"/documents/{doc['id']}?f={f['id']}#detail", status_code=303)

    async def archive_page(request: Request):
        return page(request, "archive.html", archive=state["data"].archive(), db=s.db)

    async def rule_page(request: Request):
        from ..checks import RULES

        r = RULES.get(request.path_params["code"].upper())
        if r is None:
            return not_found(request, "这条规则")
        return page(request, "rule.html", rule=r)

    # ------------------------------------------------------------------ API
    async def api_list(request: Request):
        return JSONResponse({"documents": listing()})

    async def api_upload(request: Request):
        limit = s.max_bytes + FORM_OVERHEAD
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            return JSONResponse({"error": f"上传超过 {s.max_mb:g} MB / upload larger than {s.max_mb:g} MB"}, 413)
        req = Request(request.scope, _limited(request.receive, limit))
        try:
            form = await req.form(max_files=MAX_FILES, max_fields=10)
        except TooLarge:
            return JSONResponse({"error": f"上传超过 {s.max_mb:g} MB / upload larger than {s.max_mb:g} MB"}, 413)
        except ClientDisconnect:
            return JSONResponse({"error": "上传中断 / upload interrupted"}, 400)
        except Exception as e:  # a malformed multipart body (starlette's MultiPartException and the like)
            return JSONResponse({"error": f"无法解析上传内容 / malformed upload ({e})"}, 400)
        why = cross_site(request, form.get(CSRF_FIELD))
        if why:
            return csrf_denied(request, why)
        files = [f for f in form.getlist("file") if isinstance(f, UploadFile)]
        if not files:
            return JSONResponse({"error": "没有上传文件（字段名 file） / no file field"}, 400)
        if sum(f.size or 0 for f in files) > s.max_bytes:
            return JSONResponse({"error": f"上传超过 {s.max_mb:g} MB / upload larger than {s.max_mb:g} MB"}, 413)
        stored, rejected = [], []
        for f in files:
            if not wanted(f.filename):
                continue
            st = store_upload(uploads_dir(), f.file, f.filename)
            if st is None:
                rejected.append({"name": (f.filename or "")[:200],
                                 "error": "不是 PDF、DOCX、XLSX 或文本文件 / not a PDF, DOCX, XLSX or text file"})
                continue
            stored.append(st)
        await form.close()
        accepted = []
        for group in await run_in_threadpool(group_uploads, stored, s.max_bytes, s.timeout):
            if len(group) > 1:
                group = mark_group(group)
            accepted.append(state["runner"].submit(group[0].path, group_name(group), sum(g.size for g in group),
                                                   group[0].parts).id)
        if not accepted:
            return JSONResponse({"error": "没有可审核的文件 / no supported document", "rejected": rejected}, 415)
        if form.get(CSRF_FIELD) is not None:  # the page's plain form (no script): back to the list
            return RedirectResponse("/", status_code=303)
        return JSONResponse({"id": accepted[0], "ids": accepted, "rejected": rejected}, status_code=201)

    async def api_document(request: Request):
        doc, job = lookup(request.path_params["id"])
        if doc is None and job is None:
            return not_found(request, "这个文件")
        e = entry(doc, job)
        out = {k: e[k] for k in ("id", "name", "status", "status_zh", "error", "progress", "elapsed")}
        out["report"] = exports.to_json(state["data"].view(doc)) if e["status"] == DONE else None
        return JSONResponse(out)

    async def api_page(request: Request):
        """Page n of the document's file k (``/files/{k}/pages/{n}.png``; ``/pages/{n}.png`` is file 0): a document
        joined from several files has pages numbered per file."""
        doc, _ = lookup(request.path_params["id"])
        k = request.path_params.get("k", 0)
        if doc is None or doc["format"] != "pdf":
            return not_found(request, "这个文件的页面")
        path, sha = doc["path"], doc["sha256"]
        if k:
            files = state["data"].view(doc)["files"] if doc["status"] == "ok" else []
            if k >= len(files) or not files[k].get("sha256") or not inside(uploads_dir(), files[k]["path"]):
                return not_found(request, "这个文件的页面")
            path, sha = files[k]["path"], files[k]["sha256"]
        if not os.path.isfile(path):
            return not_found(request, "这个文件的页面")
        try:
            png = page_png(path, sha, request.path_params["n"], os.path.join(s.data, "cache", "pages"))
        except PageError:
            return not_found(request, "这一页")
        return FileResponse(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    async def api_verdict(request: Request):
        why = cross_site(request)
        if why:
            return csrf_denied(request, why)
        m = FINDING.fullmatch(request.path_params["finding_id"])
        doc = state["data"].document(m.group(1)) if m else None
        if doc is None or doc["status"] != "ok":
            return not_found(request, "这条问题")
        f = finding_of(state["data"].view(doc), m.group(2))
        if f is None:
            return not_found(request, "这条问题")
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or body.get("verdict") not in VERDICTS or \
                not isinstance(body.get("note", ""), str):
            return JSONResponse({"error": 'verdict must be "confirmed", "false_alarm" or "open"; note a string'}, 400)
        v = state["data"].set_verdict(doc, f, body["verdict"], body.get("note", ""))
        return JSONResponse({"id": f"{doc['id']}-{f['id']}", **v})

    async def api_export(request: Request):
        fmt = request.path_params["fmt"]
        doc, _ = lookup(request.path_params["id"])
        if doc is None or doc["status"] != "ok" or fmt not in ("xlsx", "csv", "json"):
            return not_found(request, "这个文件")
        view = state["data"].view(doc)
        name = f"auditor-{doc['id']}.{fmt}"
        disp = {"Content-Disposition": f'attachment; filename="{name}"'}
        if fmt == "json":
            return JSONResponse(exports.to_json(view), headers=disp)
        if fmt == "csv":
            return Response(exports.to_csv(view), media_type="text/csv; charset=utf-8", headers=disp)
        return Response(exports.to_xlsx(view, doc["rel"]), headers=disp,
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    static = os.path.join(os.path.dirname(__file__), "static")
    routes = [
        Route("/", index), Route("/archive", archive_page), Route("/rules/{code:str}", rule_page),
        Route("/documents/{id:str}", report_page), Route("/documents/{id:str}/verdict", verdict_form, methods=["POST"]),
        Route("/api/documents", api_list, methods=["GET"]), Route("/api/documents", api_upload, methods=["POST"]),
        Route("/api/documents/{id:str}", api_document),
        Route("/api/documents/{id:str}/pages/{n:int}.png", api_page),
        Route("/api/documents/{id:str}/files/{k:int}/pages/{n:int}.png", api_page),
        Route("/api/documents/{id:str}/export.{fmt:str}", api_export),
        Route("/api/findings/{finding_id:str}/verdict", api_verdict, methods=["POST"]),
        Mount("/static", StaticFiles(directory=static), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.web = state
    return Guard(app, s.token, s.local_only)


def _limited(receive, limit: int):
    """``receive`` that stops a request body larger than ``limit`` bytes (with or without Content-Length)."""
    seen = 0

    async def inner():
        nonlocal seen
        msg = await receive()
        if msg["type"] == "http.request":
            seen += len(msg.get("body", b""))
            if seen > limit:
                raise TooLarge()
        return msg
    return inner

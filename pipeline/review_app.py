"""The review station: a web app on 127.0.0.1 where reviewers settle flagged envelopes.

Server-rendered pages (Jinja2), no JavaScript. Every page is behind a login; every form carries
a CSRF token; the session cookie is signed, HttpOnly and SameSite=strict. Envelopes appear in
URLs by an opaque key (a hash of their id), never by a name: a mailroom may have named a folder
after its applicant. Every action is appended to the audit log; the envelope's review state is
read back from that log.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import re
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from extractors.batch_report import render_batch_html, summarise_batch
from extractors.notice import render_notice_html
from extractors.pdf import html_to_pdf
from extractors.report_html import LABELS, crop_for, flag_crops, render_report_html
from extractors.review import flag_key, open_flags, review_state
from pipeline.review_store import open_review_store
from pipeline.store import PacketSummary, open_store
from pipeline.workdir import DataDir
from schemas.codes import IntakeStatus
from schemas.report import IntakeReport
from schemas.review import AuditEntry, ReviewAction, Role

log = logging.getLogger(__name__)

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("review_templates")))
SESSION_HOURS = 8
PAGE_IMAGE = re.compile(r"page-\d{3,4}\.(jpg|png)")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self'; style-src 'self' 'unsafe-inline'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Identity papers: never kept in a browser's or a proxy's cache.
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class User:
    name: str
    role: Role


class LoginRequired(Exception):
    """No valid session: the browser is sent to the login page."""


def envelope_key(packet_id: str) -> str:
    """The opaque name of an envelope in URLs."""
    return hashlib.sha256(packet_id.encode("utf-8")).hexdigest()[:20]


def create_app(data_dir: Path, *, deadline_days: int = 60, secure_cookies: bool = False) -> FastAPI:
    """The station over one data directory (its store, reports and audit log)."""
    data = DataDir(data_dir).create()
    app = FastAPI(title="PCH review station", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.data = data
    app.state.deadline_days = deadline_days
    app.state.keys = {}  # envelope key → packet id, see _envelope
    app.add_middleware(
        SessionMiddleware,
        secret_key=_secret(data),
        session_cookie="intake_review",
        max_age=SESSION_HOURS * 3600,
        same_site="strict",
        https_only=secure_cookies,
    )

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.exception_handler(LoginRequired)
    async def _to_login(request: Request, _exc: LoginRequired):
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(HTTPException)
    async def _error_page(request: Request, exc: HTTPException):
        page = _render(request, "error.html.j2", None, code=exc.status_code, message=exc.detail)
        page.status_code = exc.status_code
        return page

    _routes(app)
    return app


def _secret(data: DataDir) -> str:
    """The key that signs session cookies, kept so that a restart logs nobody out."""
    path = data.root / "review-secret.key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


# --- who is asking ---------------------------------------------------------------------------


def _stores(request: Request):
    data: DataDir = request.app.state.data
    return open_store(data.db_url), open_review_store(data.db_url)


def current_user(request: Request) -> User:
    name = request.session.get("user")
    role = _stores(request)[1].role_of(name) if name else None
    if role is None:
        request.session.clear()
        raise LoginRequired
    return User(name=name, role=role)


def reviewer(user: Annotated[User, Depends(current_user)]) -> User:
    if not user.role.can_review:
        raise HTTPException(403, "Reviewers only.")
    return user


def admin(user: Annotated[User, Depends(current_user)]) -> User:
    if user.role is not Role.ADMIN:
        raise HTTPException(403, "Administrators only.")
    return user


def csrf_token(request: Request) -> str:
    if "csrf" not in request.session:
        request.session["csrf"] = secrets.token_urlsafe(24)
    return request.session["csrf"]


def check_csrf(request: Request, csrf: Annotated[str, Form()] = "") -> None:
    expected = request.session.get("csrf", "")
    if not expected or not secrets.compare_digest(csrf, expected):
        raise HTTPException(403, "The form has expired; reload the page and try again.")


Reviewer = Annotated[User, Depends(reviewer)]
Csrf = Depends(check_csrf)


# --- envelopes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Envelope:
    key: str
    summary: PacketSummary

    @property
    def report_dir(self) -> Path:
        return Path(self.summary.report_dir)

    def report(self) -> IntakeReport:
        return IntakeReport.model_validate_json((self.report_dir / "report.json").read_bytes())


def _envelope(request: Request, key: str) -> Envelope:
    """The envelope behind an opaque key; the key → id index is rebuilt only on a miss."""
    store = _stores(request)[0]
    index: dict[str, str] = request.app.state.keys
    if key not in index:
        index.clear()
        index.update({envelope_key(pid): pid for pid in store.packet_ids()})
    summary = store.get(index[key]) if key in index else None
    if summary is None:
        raise HTTPException(404, "No such envelope.")
    return Envelope(key=key, summary=summary)


def _render(request: Request, name: str, user: User | None, **ctx) -> HTMLResponse:
    lang = request.session.get("lang", "fr")
    return TEMPLATES.TemplateResponse(
        request,
        name,
        {"user": user, "csrf": csrf_token(request), "t": LABELS[lang], "lang": lang, **ctx},
    )


def _queue_rows(request: Request, *, decided: bool) -> list[dict]:
    store, reviews = _stores(request)
    by_packet: dict[str, list[AuditEntry]] = {}
    for e in reviews.entries():
        by_packet.setdefault(e.packet_id, []).append(e)
    rows = []
    for s in store.list():  # oldest received first
        state = review_state(by_packet.get(s.packet_id, []))
        needs = s.status != IntakeStatus.COMPLETE.value
        if state.decided != decided or not (needs or state.decided):
            continue
        rows.append(
            {
                "key": envelope_key(s.packet_id),
                "s": s,
                "state": state,
                "open": len(s.flag_codes) - len(state.flags),
            }
        )
    return rows


def _audit(request: Request, user: User, env: Envelope, action: ReviewAction, **kw) -> None:
    entry = AuditEntry(
        at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        actor=user.name,
        role=user.role,
        packet_id=env.summary.packet_id,
        action=action,
        **kw,
    )
    _stores(request)[1].append(entry)
    # Ids, actions and field names only: values may be names or dates of birth.
    log.info(
        "review %s: %s %s by %s",
        env.summary.packet_id,
        action.value,
        kw.get("target", ""),
        user.name,
    )


def _envelope_view(env: Envelope, report: IntakeReport, entries: list[AuditEntry]) -> dict:
    state = review_state(entries)
    pages = {p.page: p for p in report.pages}
    base = f"/envelopes/{env.key}/"

    def crop(page_no, bbox):
        c = crop_for(pages.get(page_no), bbox)
        return replace(c, image=base + c.image) if c else None

    flags = [
        {
            "f": f,
            "key": flag_key(f),
            "decision": state.flags.get(flag_key(f)),
            "crops": [replace(c, image=base + c.image) for c in flag_crops(f, pages)],
        }
        for f in report.flags
    ]
    fields = [
        {"name": n, "f": f, "crop": crop(f.page, f.bbox), "corrected": state.corrections.get(n)}
        for n, f in sorted(report.fields.items())
    ]
    return {
        "env": env,
        "r": report,
        "state": state,
        "flags": flags,
        "fields": fields,
        "entries": entries,
        "open": len(open_flags(report.flags, state)),
        "statuses": list(IntakeStatus),
        "base": base,
    }


def _corrected_fields(report: IntakeReport, entries: list[AuditEntry]) -> dict[str, str | None]:
    fields = {n: f.value for n, f in report.fields.items()}
    return fields | review_state(entries).corrections


# --- routes ----------------------------------------------------------------------------------


def _routes(app: FastAPI) -> None:  # noqa: C901 - one place lists every route
    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, error: str = ""):
        return _render(request, "login.html.j2", None, error=bool(error))

    @app.post("/login", dependencies=[Csrf])
    def login(request: Request, username: Annotated[str, Form()], password: Annotated[str, Form()]):
        role = _stores(request)[1].authenticate(username.strip(), password)
        if role is None:
            log.warning("review: failed sign-in")
            return RedirectResponse("/login?error=1", status_code=303)
        request.session.clear()  # a new session on sign-in: no fixation
        request.session.update({"user": username.strip(), "csrf": secrets.token_urlsafe(24)})
        log.info("review: %s signed in (%s)", username.strip(), role.value)
        return RedirectResponse("/", status_code=303)

    @app.post("/logout", dependencies=[Csrf])
    def logout(request: Request):
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    @app.post("/lang", dependencies=[Csrf])
    def set_lang(
        request: Request, lang: Annotated[str, Form()], user: Annotated[User, Depends(current_user)]
    ):
        request.session["lang"] = "en" if lang == "en" else "fr"
        return RedirectResponse(request.headers.get("referer") or "/", status_code=303)

    @app.get("/", response_class=HTMLResponse)
    def queue(request: Request, user: Annotated[User, Depends(current_user)], decided: int = 0):
        rows = _queue_rows(request, decided=bool(decided))
        return _render(
            request, "queue.html.j2", user, rows=rows, decided=bool(decided), today=dt.date.today()
        )

    @app.get("/envelopes/{key}", response_class=HTMLResponse)
    def envelope(request: Request, key: str, user: Reviewer):
        env = _envelope(request, key)
        entries = _stores(request)[1].entries(env.summary.packet_id)
        return _render(
            request, "envelope.html.j2", user, **_envelope_view(env, env.report(), entries)
        )

    @app.get("/envelopes/{key}/pages/{name}")
    def page_image(request: Request, key: str, name: str, user: Reviewer):
        env = _envelope(request, key)
        path = env.report_dir / "pages" / name
        if not PAGE_IMAGE.fullmatch(name) or not path.is_file():
            raise HTTPException(404, "No such page image.")
        return FileResponse(path)

    @app.post("/envelopes/{key}/fields", dependencies=[Csrf])
    def correct_field(
        request: Request,
        key: str,
        user: Reviewer,
        field: Annotated[str, Form()],
        value: Annotated[str, Form()],
        reason: Annotated[str, Form()] = "",
    ):
        env = _envelope(request, key)
        report = env.report()
        if field not in report.fields:
            raise HTTPException(400, "No such field on this envelope.")
        entries = _stores(request)[1].entries(env.summary.packet_id)
        before = _corrected_fields(report, entries).get(field)
        value = value.strip().upper() if field != "email" else value.strip()
        if value != (before or ""):
            _audit(
                request,
                user,
                env,
                ReviewAction.CORRECT_FIELD,
                target=field,
                before=before,
                after=value,
                reason=reason.strip(),
            )
        return RedirectResponse(f"/envelopes/{key}#field-{field}", status_code=303)

    @app.post("/envelopes/{key}/flags", dependencies=[Csrf])
    def settle_flag(
        request: Request,
        key: str,
        user: Reviewer,
        flag: Annotated[str, Form()],
        action: Annotated[str, Form()],
        reason: Annotated[str, Form()] = "",
    ):
        env = _envelope(request, key)
        if flag not in {flag_key(f) for f in env.report().flags}:
            raise HTTPException(400, "No such flag on this envelope.")
        if action not in (ReviewAction.RESOLVE_FLAG, ReviewAction.OVERRIDE_FLAG):
            raise HTTPException(400, "Resolve or override.")
        if action == ReviewAction.OVERRIDE_FLAG and not reason.strip():
            raise HTTPException(400, "Say why the flag is wrong.")
        _audit(request, user, env, ReviewAction(action), target=flag, reason=reason.strip())
        return RedirectResponse(f"/envelopes/{key}#flags", status_code=303)

    @app.post("/envelopes/{key}/status", dependencies=[Csrf])
    def set_status(
        request: Request,
        key: str,
        user: Reviewer,
        status: Annotated[str, Form()],
        reason: Annotated[str, Form()] = "",
    ):
        env = _envelope(request, key)
        if status not in set(IntakeStatus):
            raise HTTPException(400, "Unknown status.")
        state = review_state(_stores(request)[1].entries(env.summary.packet_id))
        before = (state.final_status or IntakeStatus(env.summary.status)).value
        _audit(
            request,
            user,
            env,
            ReviewAction.SET_STATUS,
            target="status",
            before=before,
            after=status,
            reason=reason.strip(),
        )
        return RedirectResponse(f"/envelopes/{key}", status_code=303)

    @app.get("/envelopes/{key}/notice.pdf")
    def notice(request: Request, key: str, user: Reviewer, lang: str = "fr"):
        env = _envelope(request, key)
        report = env.report()
        if not report.missing and not report.deadline:
            raise HTTPException(404, "Nothing is missing from this envelope.")
        entries = _stores(request)[1].entries(env.summary.packet_id)
        html = render_notice_html(
            report,
            fields=_corrected_fields(report, entries),
            notice_date=dt.date.today(),
            deadline_days=request.app.state.deadline_days,
            lang="en" if lang == "en" else "fr",
        )
        _audit(request, user, env, ReviewAction.DOWNLOAD_NOTICE, target=lang)
        return _pdf(html_to_pdf(html, base_dir=env.report_dir), f"notice-{env.key}.pdf")

    @app.get("/envelopes/{key}/report.pdf")
    def report_pdf(request: Request, key: str, user: Reviewer):
        env = _envelope(request, key)
        html = render_report_html(env.report(), lang=request.session.get("lang", "fr"))
        return _pdf(html_to_pdf(html, base_dir=env.report_dir), f"report-{env.key}.pdf")

    @app.get("/batch", response_class=HTMLResponse)
    def batch(request: Request, user: Reviewer):
        reports = [
            Envelope(envelope_key(s.packet_id), s).report() for s in _stores(request)[0].list()
        ]
        now = dt.datetime.now()
        summary = summarise_batch(reports, batch_id=now.strftime("%Y-%m-%d"), made_at=now)
        return HTMLResponse(render_batch_html(summary, lang=request.session.get("lang", "fr")))

    @app.get("/audit", response_class=HTMLResponse)
    def audit(request: Request, user: Annotated[User, Depends(admin)]):
        entries = _stores(request)[1].entries()
        return _render(request, "audit.html.j2", user, entries=list(reversed(entries)))

    @app.get("/decisions.json")
    def decisions_json(request: Request, user: Reviewer):
        body = [e.model_dump(mode="json") for e in _stores(request)[1].entries()]
        return Response(
            json.dumps(body, ensure_ascii=False, indent=1),
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="decisions.json"'},
        )

    @app.get("/decisions.csv")
    def decisions_csv(request: Request, user: Reviewer):
        return Response(
            decisions_to_csv(_stores(request)[1].entries()),
            media_type="text/csv",
            headers={"Content-Disposition": 'attachment; filename="decisions.csv"'},
        )


AUDIT_COLUMNS = (
    "id",
    "at",
    "actor",
    "role",
    "packet_id",
    "action",
    "target",
    "before",
    "after",
    "reason",
)


def decisions_to_csv(entries: list[AuditEntry]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=AUDIT_COLUMNS)
    writer.writeheader()
    for e in entries:
        writer.writerow(e.model_dump(mode="json"))
    return out.getvalue()


def _pdf(body: bytes, filename: str) -> Response:
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

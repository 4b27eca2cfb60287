"""The review web app: the queue, one flag side by side, quotes by speaker, and checking an article.

A thin shell over `claimcheck.review` and `claimcheck.check`, as the command line is: handlers parse
the request, call one library function and render a template. Each request opens its own database
connection; pages are plain functions, which Starlette runs in its thread pool, so SQLite never
blocks the event loop. The models are loaded once per process, on the first check, under a lock.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .. import review
from ..archive import SORTS, QuoteQuery, Store, search_quotes
from ..errors import ClaimcheckError, ReviewError
from ..models import FLAG_STATUSES, KINDS
from ..read import MAX_ARTICLE_BYTES, unsafe_character
from ..review import highlight
from .security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    LOOPBACK_NAMES,
    CsrfSigner,
    SecurityMiddleware,
    token_problem,
)

HERE = Path(__file__).resolve().parent
EDITOR_COOKIE = "claimcheck_editor"
QUEUE_PAGE_SIZE = 100
QUOTES_LIMIT = 200
QUOTE_FIELDS = ("speaker", "text", "since", "until", "outlet", "kind", "sort")
ACTION_LABELS = {
    "flagged": "flagged",
    "confirm": "confirmed",
    "dismiss": "dismissed",
    "follow-up": "marked for follow-up",
    "reopen": "reopened",
    "note": "added a note",
}
CHECK_FIELDS = ("text", "outlet", "title", "url", "published")
MAX_FORM_BYTES = 3 * MAX_ARTICLE_BYTES  # URL-encoding can triple the size of pasted text
MAX_ROW_ID = 2**63 - 1  # SQLite's largest integer: a larger id names nothing
MAX_PAGE = 1_000_000  # a hundred million flags


class Models:
    """The embedder and judge, made on first use by the given factories, once per process."""

    def __init__(self, embedder_factory: Callable[[], Any], judge_factory: Callable[[], Any]):
        self._factories = (embedder_factory, judge_factory)
        self._loaded: tuple[Any, Any] | None = None
        self._lock = threading.Lock()

    def get(self) -> tuple[Any, Any]:
        with self._lock:
            if self._loaded is None:
                embedder_factory, judge_factory = self._factories
                self._loaded = (embedder_factory(), judge_factory())
            return self._loaded


def web_url(url: str | None) -> str | None:
    """`url` if it is a web address; never a `javascript:` or `data:` link from article metadata."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else None


def _quote_query_error(params: dict[str, str]) -> str | None:
    """What is wrong with a quote search's filters, in one sentence; None when nothing is."""
    for key in ("since", "until"):
        value = params[key]
        if value:
            try:
                if len(value) != 10:
                    raise ValueError
                dt.date.fromisoformat(value)
            except ValueError:
                return f"“{value}” is not a date like 2025-05-16 ({key})."
    if params["since"] and params["until"] and params["since"] > params["until"]:
        return "The “since” date is after the “until” date."
    if params["kind"] and params["kind"] not in KINDS:
        return f"Kind must be one of: {', '.join(KINDS)}."
    if params["sort"] and params["sort"] not in SORTS:
        return f"Sort must be one of: {', '.join(SORTS)}."
    return None


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template, whatever its name: article text is untrusted
        undefined=jinja2.StrictUndefined,
    )
    env.filters["highlight"] = highlight
    env.filters["web_url"] = web_url
    env.filters["action_label"] = lambda action: ACTION_LABELS.get(action, action)
    env.filters["qs"] = lambda query: f"?{query}" if query else ""
    env.filters["pct"] = lambda x: f"{round(float(x or 0) * 100)}%"
    env.filters["day"] = lambda s: (s or "")[:10]
    env.filters["when"] = lambda s: (s or "").replace("T", " ")[:16]
    return env


def create_app(
    db_path: str,
    *,
    embedder_factory: Callable[[], Any],
    judge_factory: Callable[[], Any],
    token: str | None = None,
    allowed_hosts: Iterable[str] = LOOPBACK_NAMES,
    secure_cookies: bool = False,
) -> Starlette:
    """The Starlette app serving the database at `db_path`.

    `allowed_hosts`: the names a request's Host header may give (security.allowed_hosts_for);
    `token`: at least 16 characters, required by every request when given; `secure_cookies`:
    mark every cookie Secure, for a server reached over HTTPS through a proxy.
    """
    problem = token_problem(token) if token is not None else None
    if problem:
        raise ValueError(problem)
    Store.open(db_path).close()  # create or migrate once, before any request
    models = Models(embedder_factory, judge_factory)
    check_lock = threading.Lock()  # one check at a time: the models and SQLite writes serialise
    signer = CsrfSigner()
    templates = Jinja2Templates(env=_environment())

    @contextmanager
    def opened() -> Iterator[Store]:
        store = Store.open(db_path)
        try:
            yield store
        finally:
            store.close()

    def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        with opened() as store:
            pending = review.status_counts(store)["pending"]
        base = {
            "csrf_token": request.state.csrf_token,
            "csrf_field": CSRF_FIELD,
            "editor": unquote(request.cookies.get(EDITOR_COOKIE, "")),
            "pending_count": pending,
            "nav": name.removesuffix(".html"),
        }
        return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)

    def error_page(request: Request, message: str, status: int) -> Response:
        return render(request, "error.html", {"message": message, "status": status}, status)

    async def checked_form(request: Request) -> FormData | Response:
        """The POSTed form, or a 403/413 page when it is not from this site's own page."""
        size = request.headers.get("content-length")
        if size and size.isdigit() and int(size) > MAX_FORM_BYTES:
            return error_page(request, "The form is too large to accept.", 413)
        origin = request.headers.get("origin")
        host = request.headers.get("host", "")
        if origin and origin != "null" and origin.split("://", 1)[-1] != host:
            return error_page(request, "This form was sent from another site.", 403)
        form = await request.form(max_files=0, max_fields=20, max_part_size=MAX_FORM_BYTES)
        value = form.get(CSRF_FIELD)
        if not signer.matches(request.cookies.get(CSRF_COOKIE), str(value or "")):
            return error_page(
                request,
                "This form has expired or was not sent from this site; reload the page.",
                403,
            )
        return form

    def queue_filter(params: Any) -> review.QueueFilter:
        status = params.get("status") or None
        return review.QueueFilter(
            status=status if status in FLAG_STATUSES else None,
            speaker=(params.get("speaker") or "").strip() or None,
            outlet=(params.get("outlet") or "").strip() or None,
        )

    def filter_query(queue: review.QueueFilter, **extra: Any) -> str:
        pairs = {"status": queue.status, "speaker": queue.speaker, "outlet": queue.outlet, **extra}
        return urlencode({k: v for k, v in pairs.items() if v})

    def row_id(request: Request, name: str) -> int | None:
        """The id in the path, or None when no row can have it (the route takes any digits)."""
        value = request.path_params[name]
        return value if 1 <= value <= MAX_ROW_ID else None

    def queue_page(request: Request) -> Response:
        queue = queue_filter(request.query_params)
        raw_page = request.query_params.get("page", "1")
        if not (raw_page.isascii() and raw_page.isdigit() and 1 <= int(raw_page) <= MAX_PAGE):
            return error_page(request, f"There is no page {raw_page[:40]!r} of the queue.", 400)
        page = int(raw_page)
        with opened() as store:
            counts = review.status_counts(store, queue)
            flags = review.list_flags(
                store, queue, limit=QUEUE_PAGE_SIZE, offset=(page - 1) * QUEUE_PAGE_SIZE
            )
            outlets = review.outlets(store)
        total = counts[queue.status] if queue.status else sum(counts.values())
        return render(
            request,
            "queue.html",
            {
                "queue": queue,
                "counts": counts,
                "total": total,
                "flags": flags,
                "outlets": outlets,
                "statuses": FLAG_STATUSES,
                "page": page,
                "has_more": page * QUEUE_PAGE_SIZE < total,
                "filter_query": lambda **extra: filter_query(queue, **extra),
            },
        )

    def flag_context(store: Store, flag_id: int, queue: review.QueueFilter) -> dict[str, Any]:
        detail = review.get_flag(store, flag_id)
        previous, following = review.neighbours(store, flag_id, queue)
        new_terms = [t for r in detail.reasons for t in r.new_terms]
        stored_terms = [t for r in detail.reasons for t in r.stored_terms]
        return {
            "flag": detail,
            "new_terms": new_terms,
            "stored_terms": stored_terms,
            "previous_id": previous,
            "next_id": following,
            "queue": queue,
            "back_query": filter_query(queue),
        }

    def flag_page(request: Request) -> Response:
        flag_id = row_id(request, "flag_id")
        queue = queue_filter(request.query_params)
        done = request.query_params.get("done")
        if flag_id is None:
            return error_page(request, "There is no such flag.", 404)
        with opened() as store:
            try:
                context = flag_context(store, flag_id, queue)
            except ReviewError as exc:
                return error_page(request, str(exc), 404)
        context.update(done=done in review.ACTIONS or done == "note", error=None, note_text="")
        return render(request, "flag.html", context)

    async def decide(request: Request) -> Response:
        form = await checked_form(request)
        if isinstance(form, Response):
            return form
        return await run_in_threadpool(record_decision, request, form)

    def record_decision(request: Request, form: FormData) -> Response:
        flag_id = row_id(request, "flag_id")
        queue = queue_filter(form)
        editor = str(form.get("editor") or "")
        note = str(form.get("note") or "").replace("\r\n", "\n")
        expected = str(form.get("expected_status") or "")
        if flag_id is None:
            return error_page(request, "There is no such flag.", 404)
        # Refused before anything is written: a decision without the status the editor saw
        # could overwrite a colleague's, and escape sequences would be replayed on terminals.
        problem = None
        bad_editor = unsafe_character(editor)
        bad_note = unsafe_character(note.replace("\n", " ").replace("\t", " "))
        if expected not in FLAG_STATUSES:
            problem = "This form does not say which status the flag had; reload the page."
        elif bad_editor or bad_note:
            what = "editor name" if bad_editor else "note"
            problem = f"The {what} holds the character {bad_editor or bad_note}; give plain text."
        with opened() as store:
            try:
                if problem:
                    raise ReviewError(problem)
                event = review.decide_flag(
                    store,
                    flag_id,
                    str(form.get("action") or ""),
                    editor,
                    note,
                    expected_status=expected,
                )
            except ReviewError as exc:
                try:
                    context = flag_context(store, flag_id, queue)
                except ReviewError:
                    return error_page(request, str(exc), 404)
                context.update(done=False, error=str(exc), note_text=note)
                return render(request, "flag.html", context, status=400 if problem else 409)
            except ClaimcheckError as exc:
                # The database refused the write (read-only, full, locked too long): say so.
                return error_page(request, str(exc), 503)
        url = f"/flags/{flag_id}?{filter_query(queue, done=event.action)}"
        response = RedirectResponse(url, status_code=303)
        response.set_cookie(
            EDITOR_COOKIE, quote(event.editor or ""), max_age=180 * 86400, httponly=True,
            samesite="lax", secure=secure_cookies,
        )  # fmt: skip
        return response

    def quotes_page(request: Request) -> Response:
        params = {k: (request.query_params.get(k) or "").strip() for k in QUOTE_FIELDS}
        searched = any(params.values())
        context: dict[str, Any] = {
            "q": params,
            "kinds": KINDS,
            "sorts": SORTS,
            "results": None,
            "passages": {},
            "searched": searched,
            "limit": QUOTES_LIMIT,
            "error": None,
        }
        error = _quote_query_error(params)
        if error:
            return render(request, "quotes.html", {**context, "error": error}, 400)
        if searched:
            query = QuoteQuery(
                speaker=params["speaker"] or None,
                words=params["text"] or None,
                since=params["since"] or None,
                until=params["until"] or None,
                outlet=params["outlet"] or None,
                kind=params["kind"] or None,
                sort=params["sort"] or "date",
                limit=QUOTES_LIMIT,
            )
            with opened() as store:
                results = search_quotes(store, query)
                context["results"] = results
                context["passages"] = review.claim_passages(store, [h.stored for h in results.hits])
            context["search_for"] = lambda name: urlencode({**params, "speaker": name})
        return render(request, "quotes.html", context)

    def claim_page(request: Request) -> Response:
        claim_id = request.path_params["claim_id"]
        with opened() as store:
            found = store.stored_claims([claim_id]) if claim_id <= MAX_ROW_ID else {}
            if claim_id not in found:
                return error_page(request, f"There is no stored claim {claim_id}.", 404)
            stored = found[claim_id]
            passage = review.claim_passages(store, [stored]).get(claim_id)
        return render(request, "claim.html", {"sc": stored, "passage": passage})

    def check_form(request: Request, values: dict[str, str], error: str | None, status: int = 200):
        return render(request, "check.html", {"values": values, "error": error}, status)

    def check_page(request: Request) -> Response:
        return check_form(request, dict.fromkeys(CHECK_FIELDS, ""), None)

    def run_check(values: dict[str, str]) -> int:
        from ..check import check_article
        from ..read import article_from_text

        article = article_from_text(
            values["text"],
            name="pasted text",
            outlet=values.get("outlet") or None,
            title=values.get("title") or None,
            url=values.get("url") or None,
            published=values.get("published") or None,
        )
        embedder, judge = models.get()
        with check_lock, opened() as store:
            report = check_article(store, article, embedder=embedder, judge=judge, record=True)
        assert report.run_id is not None
        return report.run_id

    async def submit_check(request: Request) -> Response:
        form = await checked_form(request)
        if isinstance(form, Response):
            return form
        values = {k: str(form.get(k) or "").strip() for k in CHECK_FIELDS}
        if not values["text"]:
            return check_form(request, values, "Paste the article's text first.", 400)
        for field in ("outlet", "title", "url", "published"):
            bad = unsafe_character(values[field])
            if bad:
                message = f"The {field} holds the character {bad}; give plain text on one line."
                return check_form(request, values, message, 400)
        if values["url"] and not web_url(values["url"]):
            message = "The address must start with http:// or https://."
            return check_form(request, values, message, 400)
        if len(values["text"].encode("utf-8")) > MAX_ARTICLE_BYTES:
            message = f"The article is longer than {MAX_ARTICLE_BYTES:,} bytes."
            return check_form(request, values, message, 400)
        try:
            run_id = await run_in_threadpool(run_check, values)
        except ClaimcheckError as exc:
            return check_form(request, values, str(exc), 400)
        return RedirectResponse(f"/runs/{run_id}", status_code=303)

    def run_page(request: Request) -> Response:
        run_id = row_id(request, "run_id")
        if run_id is None:
            return error_page(request, "There is no such checked article.", 404)
        with opened() as store:
            try:
                run = review.checked_run(store, run_id)
            except ReviewError as exc:
                return error_page(request, str(exc), 404)
        return render(request, "run.html", {"run": run})

    async def not_found(request: Request, exc: Exception) -> Response:
        return error_page(request, "There is no such page.", 404)

    async def method_not_allowed(request: Request, exc: Exception) -> Response:
        return error_page(request, "That page cannot be changed this way.", 405)

    async def http_error(request: Request, exc: Exception) -> Response:
        """Any other refusal Starlette raises (a malformed form, too many fields) as a page."""
        status = exc.status_code if isinstance(exc, HTTPException) else 400
        status = status if 400 <= status < 500 else 400
        detail = exc.detail if isinstance(exc, HTTPException) else ""
        return error_page(request, f"This request cannot be answered: {detail}", status)

    routes = [
        Route("/", queue_page),
        Route("/flags/{flag_id:int}", flag_page),
        Route("/flags/{flag_id:int}/decision", decide, methods=["POST"]),
        Route("/quotes", quotes_page),
        Route("/claims/{claim_id:int}", claim_page),
        Route("/check", check_page),
        Route("/check", submit_check, methods=["POST"]),
        Route("/runs/{run_id:int}", run_page),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(
                SecurityMiddleware,
                signer=signer,
                token=token,
                allowed_hosts=allowed_hosts,
                secure_cookies=secure_cookies,
            )
        ],
        exception_handlers={404: not_found, 405: method_not_allowed, HTTPException: http_error},
    )

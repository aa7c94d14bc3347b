"""Documents the gateway publishes, such as the standards handbook and the pilot's evaluation report.

A document is one Jinja2 template under gateway/templates, rendered from what the services answer
over gRPC (never from their tables). The page is that HTML. The PDF is the same HTML laid out by
WeasyPrint, so the two can never disagree. The templates' shared layout (`document.html`) gives
every document its title page, table of contents, version and effective date.

WeasyPrint needs Pango and, for Chinese, a CJK font (`make browser` installs fonts-noto-cjk; the
image's runtime stage installs both). It is imported only when a PDF is asked for, so a process
without it still serves every page.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import multiprocessing
import os
import pathlib
import threading
import time

import jinja2

TEMPLATES = pathlib.Path(__file__).parent / "templates"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=jinja2.select_autoescape(("html",)),
    undefined=jinja2.StrictUndefined,  # a figure missing from the context fails the render, not prints ""
    trim_blocks=True,
    lstrip_blocks=True,
)


def html(template: str, **context) -> str:
    """The document as an HTML page."""
    return _env.get_template(template).render(**context)


def pdf(page: str) -> bytes:
    """The same page as a PDF (A4; the table of contents becomes the PDF's bookmarks too)."""
    import weasyprint  # noqa: PLC0415 (lazy: see the module's docstring)

    return weasyprint.HTML(string=page, base_url=str(TEMPLATES)).write_pdf()


# PDFs are laid out one at a time per gateway process, in a process of their own: seconds of CPU in
# the gateway's own would hold up every terminal's stream meanwhile (a thread would too: the GIL).
_pool: concurrent.futures.ProcessPoolExecutor | None = None


def _leave_with_parent(parent: int) -> None:
    """The layout process's start: it ends when the gateway that spawned it is gone, even when the
    gateway was killed and never shut its pool (locally such workers outlived their gateways)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="leave-with-parent", daemon=True).start()


async def pdf_aside(page: str) -> bytes:
    """pdf(page), laid out in the gateway's one layout process."""
    global _pool
    if _pool is None:
        # spawn, not fork: the gateway's gRPC channels and threads must not be forked.
        _pool = concurrent.futures.ProcessPoolExecutor(
            1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_leave_with_parent,
            initargs=(os.getpid(),),
        )
        atexit.register(close)
    return await asyncio.get_running_loop().run_in_executor(_pool, pdf, page)


def close() -> None:
    """Ends the layout process, if one was started (at the gateway's shutdown)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None

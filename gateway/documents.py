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
import pathlib

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


async def pdf_aside(page: str) -> bytes:
    """pdf(page), laid out in the gateway's one layout process."""
    global _pool
    if _pool is None:
        # spawn, not fork: the gateway's gRPC channels and threads must not be forked.
        _pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        atexit.register(_pool.shutdown, cancel_futures=True)
    return await asyncio.get_running_loop().run_in_executor(_pool, pdf, page)

"""Benchmark: the TV app's weight and first paint, standing in for a set-top box's old hardware.

    make bench-tv                              # its own gateway-only platform, 5 loads
    make bench-tv LOADS=20

- Size: every file of gateway/static/tv/, gzipped (level 6, as a server sends it): the goal is
  ≤ 300 KB.
- First paint: headless Chromium with the CPU throttled 4× (DevTools' Emulation.setCPUThrottlingRate)
  opens /tv/ from the gateway; first-contentful-paint from the page's own paint timing, and the time
  until the first screen is drawn (the home with its tiles, signed in as a household of the seed),
  beside a hello-world page's first paint measured the same way in the same browser. The goal is
  ≤ 1 s.

`--base-url URL [--token T]` measures a gateway already running (e2e/test_tv_benchmark.py)."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import pathlib
import statistics
import sys
import uuid

import httpx

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "services"), str(ROOT / "protos")]

TV = ROOT / "gateway" / "static" / "tv"
THROTTLE = 4
HELLO = "data:text/html;charset=utf-8,<!doctype html><title>hello</title><p>hello, world</p>"


def gzipped_size() -> tuple[int, int, int]:
    """(files, bytes, gzipped bytes) of the TV app."""
    files = [p for p in TV.rglob("*") if p.is_file()]
    raw = sum(p.stat().st_size for p in files)
    packed = sum(len(gzip.compress(p.read_bytes(), 6)) for p in files)
    return len(files), raw, packed


PAINT_JS = """() => {
  var e = performance.getEntriesByName("first-contentful-paint")[0];
  return e ? e.startTime : null;
}"""


def paints(browser, url: str, loads: int, token: str | None, base_url: str | None) -> tuple[list[float], list[float]]:
    """(first-contentful-paint ms, first screen drawn ms) of `loads` cold loads, CPU throttled."""
    fcp, drawn = [], []
    for _ in range(loads):
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        if token:
            context.add_init_script(
                f"localStorage.setItem('sbc.tv.token', {json.dumps(token)});"
                "localStorage.setItem('sbc.tv.token_until', String(Date.now() + 3600000));"
            )
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
        page.goto(url)
        if base_url:
            page.wait_for_selector("#screen[data-ready]", state="attached", timeout=30000)
            drawn.append(page.evaluate("() => performance.now()"))
        else:
            page.wait_for_load_state("load")
        page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length > 0")
        fcp.append(page.evaluate(PAINT_JS))
        context.close()
    return fcp, drawn


def measure(base_url: str, loads: int, token: str | None) -> str:
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS

    files, raw, packed = gzipped_size()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            paints(browser, HELLO, 1, None, None)  # a first load warms the browser up: not counted
            hello, _ = paints(browser, HELLO, loads, None, None)
            fcp, drawn = paints(browser, base_url + "/tv/", loads, token, base_url)
        finally:
            browser.close()
    first = "home" if token else "sign-in"
    return "\n".join(
        [
            f"TV app: {files} files, {raw / 1024:.1f} KB, gzipped {packed / 1024:.1f} KB (goal <= 300 KB)",
            f"CPU throttled {THROTTLE}x, {loads} cold loads each (median, max):",
            f"  hello-world first paint   {statistics.median(hello):7.0f} ms  {max(hello):7.0f} ms",
            f"  TV app first paint        {statistics.median(fcp):7.0f} ms  {max(fcp):7.0f} ms (goal <= 1000)",
            f"  TV app {first} drawn{' ' * (11 - len(first))}{statistics.median(drawn):7.0f} ms  {max(drawn):7.0f} ms",
            f"first paint / hello-world: {statistics.median(fcp) / statistics.median(hello):.2f}",
        ]
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--base-url", help="a gateway already running")
    ap.add_argument("--token", help="a household's TV token: measure the home instead of the sign-in screen")
    args = ap.parse_args()
    if args.base_url:
        print(measure(args.base_url, args.loads, args.token))
        return 0
    from e2e.platform import Platform, sign_in_tv

    platform = Platform(None)
    platform.start()
    try:
        with httpx.Client(base_url=platform.base_url, timeout=30) as c:
            token = sign_in_tv(c, platform.households_of("tv")[0], f"STB-BENCH-{uuid.uuid4().hex[:8]}")
        print(measure(platform.base_url, args.loads, token))
    finally:
        platform.stop()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())

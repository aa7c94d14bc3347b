"""The phone app (gateway/static/phone/): plain files served at /phone/, a PWA with its manifest and
service worker. Every file is sent with `Cache-Control: no-cache` (revalidated each time, so a new
version shows at once); the service worker keeps the app's files for offline use and never the API."""

from __future__ import annotations

import pathlib

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = pathlib.Path(__file__).resolve().parent / "static" / "phone"


class PhoneFiles(StaticFiles):
    async def get_response(self, path, scope):
        response = await super().get_response(path, scope)
        response.headers["Cache-Control"] = "no-cache"
        return response


def mount(app: FastAPI) -> None:
    app.mount("/phone", PhoneFiles(directory=STATIC, html=True), name="phone")

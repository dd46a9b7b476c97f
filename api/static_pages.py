"""Serving a page of plain HTML and JavaScript from a folder of ``api/static/``: its index
under a Content-Security-Policy of its own, and only the assets it lists (the room page and
the panel page: decision 0026, issue 10 §7)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files

from fastapi.responses import Response

from domain.errors import NotFoundError


@dataclass(frozen=True)
class StaticPage:
    folder: str  # under api/static/
    assets: Mapping[str, str]  # file name -> media type: nothing else is served
    policy: str  # the page's Content-Security-Policy
    asset_headers: Mapping[str, str] | None = None

    def _read(self, name: str) -> bytes:
        return (files("api") / "static" / self.folder / name).read_bytes()

    def page(self) -> Response:
        return Response(
            self._read("index.html"),
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": self.policy},
        )

    def asset(self, name: str) -> Response:
        media_type = self.assets.get(name)
        if media_type is None:
            listed = ", ".join(self.assets)
            raise NotFoundError(f"no asset {name!r}; the page's assets are {listed}")
        return Response(
            self._read(name),
            media_type=f"{media_type}; charset=utf-8",
            headers=dict(self.asset_headers or {}),
        )

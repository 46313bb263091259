"""Start the app: ``streamlit run app.py`` with three fixes to Streamlit's web server.

1. **TCP_NODELAY** (:func:`disable_nagle`): Streamlit's server (Starlette/uvicorn) binds its listening
   socket itself, with protocol number 0. asyncio sets ``TCP_NODELAY`` on an accepted connection only if
   the socket says ``IPPROTO_TCP``, so with plain ``streamlit run`` every response written in more than
   one piece waits for the browser's delayed ACK – each JavaScript file on a kept-alive connection,
   consecutive websocket messages: ≈ 40 ms each on Linux (loopback: 44 ms per request, 0.8 ms fixed).
2. **Streamlit's files from memory** (:class:`AssetCache`) instead of a thread hop per 64 kB.
3. **The page knows its server's base** (:class:`PageBase`), so a sub-page's first health check hits.

Everything else is Streamlit's own ``run`` command; a Streamlit version built differently runs without
the fixes (with a note).

Usage: ``python3 serve.py [SKRIPT.py] [Streamlit-Optionen …]`` – without a script, ``app.py`` next to
this file; options as for ``streamlit run`` (e.g. ``--server.port 8080``).
"""

from __future__ import annotations

import functools
import socket
import sys
from collections.abc import Callable
from pathlib import Path

APP = Path(__file__).resolve().with_name("app.py")
_MARK = "_nk_serve_fix"  # set on a wrapper serve.py installed, so it is installed once


def tcp_socket(sock: socket.socket) -> socket.socket:
    """``sock`` (an IPv4/IPv6 stream socket) labelled with protocol ``IPPROTO_TCP``; others unchanged.

    Connections accepted from the returned socket carry the label, and asyncio then disables Nagle's
    algorithm on each of them.
    """
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.type != socket.SOCK_STREAM \
            or sock.proto == socket.IPPROTO_TCP:
        return sock
    return socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())


def _wrap_once(module: object, name: str, around: Callable[[Callable], Callable]) -> None:
    """Replace ``module.name`` by ``around(original)`` – once, however often serve.py's fixes are applied."""
    original = getattr(module, name)
    if getattr(original, _MARK, False):
        return
    wrapped = functools.wraps(original)(around(original))
    setattr(wrapped, _MARK, True)
    setattr(module, name, wrapped)


def disable_nagle() -> bool:
    """Make Streamlit's server bind TCP-labelled sockets; False if this Streamlit has no such hook."""
    try:
        from streamlit.web.server.starlette import starlette_server
        _wrap_once(starlette_server, "_bind_socket",
                   lambda bind: lambda *args, **kwargs: tcp_socket(bind(*args, **kwargs)))
    except (ImportError, AttributeError):
        return False
    return True


class AssetCache:
    """ASGI wrapper: Streamlit's own content-hashed assets (``static/…``) answered from memory.

    The first request of a file goes to Streamlit's handler and its response (status 200, headers,
    body) is kept; later ones get the same headers and body in one piece. Starlette's FileResponse
    instead hops to a worker thread to stat, open, read every 64 kB and close, and watches for a
    disconnect in a task group – per file, for the 60–120 files of a cold page load, on the event loop
    that also carries the websocket. Range and conditional requests always go to Streamlit's handler.
    """

    def __init__(self, app: Callable, prefix: str = "/static/") -> None:
        """``prefix``: the URL path of the assets (``/static/`` below the server's base path)."""
        self.app, self.prefix = app, prefix
        self.kept: dict[str, tuple[list, bytes]] = {}

    @staticmethod
    def _plain(scope: dict) -> bool:
        return not any(k in (b"range", b"if-range", b"if-none-match", b"if-modified-since")
                       for k, _ in scope.get("headers", ()))

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD") \
                or not scope.get("path", "").startswith(self.prefix) or not self._plain(scope):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        hit = self.kept.get(path)
        if hit is not None:
            headers, body = hit
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
            return
        sent: list[dict] = []

        async def keep(message: dict) -> None:
            sent.append(message)
            await send(message)

        await self.app(scope, receive, keep if scope["method"] == "GET" else send)
        if _complete(sent) and b"immutable" in dict(sent[0]["headers"]).get(b"cache-control", b""):
            self.kept[path] = (list(sent[0]["headers"]), b"".join(m.get("body", b"") for m in sent[1:]))


def _complete(sent: list[dict]) -> bool:
    """A whole 200 response: its start, then body parts of which the last says no more follow."""
    return len(sent) > 1 and sent[0]["type"] == "http.response.start" and sent[0]["status"] == 200 \
        and all(m["type"] == "http.response.body" for m in sent[1:]) and not sent[-1].get("more_body", False)


class PageBase:
    """ASGI wrapper: Streamlit's page (``index.html``) tells the browser where the server's base is.

    Opened at a page's own address (``/karte``), Streamlit's frontend does not know whether ``karte`` is a
    page or part of the server's base path: it asks ``/karte/_stcore/health`` first (404), waits and then
    asks ``/_stcore/health`` – ≈ 0.15 s before the connection opens, on every full load of a sub-page.
    The page is the same file for every address, so only the server knows how many path segments
    (``n``) below its base were asked for; a script in the head sets ``window.__streamlit.BACKEND_BASE_URL``
    (read by Streamlit's frontend) to the address without them, so the first health check hits. Behind a
    proxy with a path prefix this stays right, since only the segments below the base are cut.
    """

    def __init__(self, app: Callable) -> None:
        from starlette.routing import get_route_path  # Streamlit's server; imported only where it runs

        self.app, self._route_path = app, get_route_path

    @staticmethod
    def script(n: int) -> bytes:
        """The head script for a page ``n`` path segments below the server's base."""
        path = "location.pathname" + (f'.split("/").slice(0, -{n}).join("/")' if n else "")
        return (f"<script>window.__streamlit = window.__streamlit || "
                f"{{BACKEND_BASE_URL: location.origin + {path}}};</script>").encode()

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        n = len([part for part in self._route_path(scope).split("/") if part])
        start: dict = {}
        body: list[bytes] = []

        async def rewrite(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = dict(message["headers"])
                if message["status"] != 200 or not headers.get(b"content-type", b"").startswith(b"text/html"):
                    start["pass"] = True
                    await send(message)
                else:
                    start.update(message)
                return
            if start.get("pass") or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = b"".join(body).replace(b"<head>", b"<head>" + self.script(n), 1)
            # no validators: the page differs by address, and a 304 must never revive another version
            headers = [(k, v) for k, v in start["headers"] if k not in (b"content-length", b"etag", b"last-modified")]
            await send({**start, "headers": [*headers, (b"content-length", str(len(page)).encode())]})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, rewrite)


def wrap_static() -> bool:
    """Put :class:`AssetCache` and :class:`PageBase` in front of Streamlit's own files; False if it differs."""
    try:
        from starlette.routing import Mount
        from streamlit.web.server.starlette import starlette_app

        def around(routes: Callable[..., list]) -> Callable[..., list]:
            return lambda *args, **kwargs: [
                Mount(r.path, app=AssetCache(PageBase(r.app), r.path.rstrip("/") + "/static/"), name=r.name)
                if isinstance(r, Mount) else r for r in routes(*args, **kwargs)]

        _wrap_once(starlette_app, "create_streamlit_static_assets_routes", around)
    except (ImportError, AttributeError):
        return False
    return True


def tune() -> list[str]:
    """Apply the server fixes; the names of those this Streamlit version does not allow."""
    fixes = (("TCP_NODELAY", disable_nagle), ("Zwischenspeicher und Basisadresse für Streamlits Dateien", wrap_static))
    return [name for name, fix in fixes if not fix()]


def main(argv: list[str] | None = None) -> None:
    """``streamlit run`` on ``app.py`` (or the script given first) with the remaining options."""
    args = list(sys.argv[1:] if argv is None else argv)
    script = args.pop(0) if args and args[0].endswith(".py") else str(APP)
    missing = tune()
    if missing:
        print(f"Hinweis: Diese Streamlit-Version ist anders aufgebaut – die App startet ohne "
              f"{' und '.join(missing)} (Seiten laden langsamer, sonst unverändert).", file=sys.stderr)
    from streamlit.web import cli

    cli.main(args=["run", script, *args], prog_name="streamlit")


if __name__ == "__main__":
    main()

"""serve.py: Streamlit's run command with TCP_NODELAY on every connection, its assets from memory and
sub-pages that know the server's base."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

import pytest
from streamlit import file_util
from streamlit.web.server.starlette import starlette_app, starlette_server
from streamlit.web.server.starlette.starlette_static_routes import create_streamlit_static_handler

import serve


def _nodelay_of_accepted(listener: socket.socket) -> int:
    """TCP_NODELAY of the connection an asyncio server accepts on ``listener`` (as uvicorn serves)."""
    async def run() -> int:
        seen: asyncio.Future = asyncio.get_running_loop().create_future()

        class Record(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

        server = await asyncio.get_running_loop().create_server(Record, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname()[:2])
        try:
            return await asyncio.wait_for(seen, 10)
        finally:
            writer.close()
            server.close()
            await server.wait_closed()

    return asyncio.run(run())


def _listener() -> socket.socket:
    """A listening socket made the way Streamlit makes its own: protocol number 0."""
    sock = socket.socket(family=socket.AF_INET)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    return sock


def test_streamlits_kind_of_socket_leaves_nagle_on_and_tcp_socket_turns_it_off() -> None:
    assert _nodelay_of_accepted(_listener()) == 0  # the defect: every split response waits for an ACK
    fixed = serve.tcp_socket(_listener())
    assert fixed.proto == socket.IPPROTO_TCP
    assert _nodelay_of_accepted(fixed) != 0


def test_disable_nagle_wraps_streamlits_binding_once(monkeypatch: pytest.MonkeyPatch) -> None:
    original = starlette_server._bind_socket
    monkeypatch.setattr(starlette_server, "_bind_socket", original)
    assert serve.disable_nagle() and serve.disable_nagle()
    assert starlette_server._bind_socket.__wrapped__ is original  # wrapped once, not twice
    sock = starlette_server._bind_socket("127.0.0.1", 0, 8)
    try:
        assert sock.proto == socket.IPPROTO_TCP and sock.getsockname()[1] > 0
        assert _nodelay_of_accepted(sock) != 0
    finally:
        sock.close()


class Counting:
    """An ASGI app that counts its calls and forwards them."""

    def __init__(self, app) -> None:
        self.app, self.calls = app, 0

    async def __call__(self, scope, receive, send) -> None:
        self.calls += 1
        await self.app(scope, receive, send)


def _get(app, path: str, method: str = "GET", headers: tuple = ()) -> tuple[int, dict, bytes]:
    """One request to an ASGI app: status, headers (without date), body."""
    async def run():
        sent: list[dict] = []

        async def receive() -> dict:
            await asyncio.sleep(3600)  # no disconnect while the response is sent
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "root_path": "",
                 "query_string": b"", "headers": [(b"host", b"localhost"), *headers], "scheme": "http",
                 "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1), "asgi": {"version": "3.0"},
                 "http_version": "1.1"}
        await app(scope, receive, send)
        return sent

    sent = asyncio.run(run())
    head = {k.decode(): v.decode() for k, v in sent[0]["headers"] if k != b"date"}
    return sent[0]["status"], head, b"".join(m.get("body", b"") for m in sent[1:])


@pytest.fixture
def assets():
    """Streamlit's own handler for its static files, a counting view of it, and a real asset path."""
    directory = file_util.get_static_dir()
    handler = Counting(create_streamlit_static_handler(directory, None))
    js = next(p for p in (Path(directory) / "static" / "js").iterdir() if p.suffix == ".js")
    return handler, f"/static/js/{js.name}", js.read_bytes()


def test_asset_cache_answers_like_streamlit_and_from_memory_after_the_first_time(assets) -> None:
    handler, path, content = assets
    cache = serve.AssetCache(handler)
    plain = _get(handler, path)
    first, second = _get(cache, path), _get(cache, path)
    assert plain[0] == first[0] == second[0] == 200
    assert plain[2] == first[2] == second[2] == content
    assert plain[1] == first[1] == second[1] and "immutable" in second[1]["cache-control"]
    assert handler.calls == 2  # the plain request and the first through the cache
    status, head, body = _get(cache, path, method="HEAD")
    assert (status, head, body) == (200, plain[1], b"") and handler.calls == 2


def test_asset_cache_leaves_ranges_misses_and_other_paths_to_streamlit(assets) -> None:
    handler, path, content = assets
    cache = serve.AssetCache(handler)
    for _ in range(2):
        status, head, body = _get(cache, path, headers=((b"range", b"bytes=0-9"),))
        assert status == 206 and body == content[:10]
    assert handler.calls == 2 and not cache.kept
    for _ in range(2):  # not a file: Streamlit answers with its page (no-cache), which is not kept
        status, head, _ = _get(cache, "/static/js/gibt-es-nicht.js")
        assert status == 200 and head["cache-control"] == "no-cache"
    _get(cache, "/index.html")
    assert handler.calls == 5 and not cache.kept


@pytest.mark.parametrize(("path", "kept"), [("/", 0), ("/karte", 1), ("/karte/weiter", 2)])
def test_page_base_tells_the_page_how_many_segments_to_drop(assets, path: str, kept: int) -> None:
    handler, _, _ = assets
    status, head, body = _get(serve.PageBase(handler), path)
    _, plain_head, plain = _get(handler, path)
    script = serve.PageBase.script(kept)
    assert status == 200 and body == plain.replace(b"<head>", b"<head>" + script, 1) and body.count(script) == 1
    assert int(head["content-length"]) == len(body) and "etag" not in head and "last-modified" not in head
    assert head["content-type"] == plain_head["content-type"] and head["cache-control"] == "no-cache"
    assert (f".slice(0, -{kept})" in script.decode()) == (kept > 0)


def _base_url(script: bytes, pathname: str) -> str:
    """BACKEND_BASE_URL as the page script computes it at ``http://h`` + ``pathname`` (JS semantics)."""
    text = script.decode()
    parts = pathname.split("/")
    if ".slice(0, -" in text:
        n = int(text.split(".slice(0, -")[1].split(")")[0])
        parts = parts[:-n]
    return "http://h" + "/".join(parts)


@pytest.mark.parametrize(("route_path", "pathname", "base"), [
    ("/", "/", "http://h/"), ("/karte", "/karte", "http://h"), ("/karte", "/proxy/netzwerk/karte", "http://h/proxy/netzwerk"),
])
def test_page_base_points_at_the_server_also_behind_a_path_prefix(route_path: str, pathname: str, base: str) -> None:
    n = len([p for p in route_path.split("/") if p])
    assert _base_url(serve.PageBase.script(n), pathname) == base


def test_page_base_leaves_everything_but_pages_alone(assets) -> None:
    handler, path, content = assets
    assert _get(serve.PageBase(handler), path) == _get(handler, path)  # a script file: unchanged
    status, _, body = _get(serve.PageBase(handler), path, headers=((b"range", b"bytes=0-9"),))
    assert status == 206 and body == content[:10]


@pytest.mark.parametrize(("base", "prefix"), [(None, "/static/"), ("netzwerk", "/netzwerk/static/")])
def test_wrap_static_puts_cache_and_page_base_in_front_of_streamlits_files(monkeypatch: pytest.MonkeyPatch,
                                                                          base: str | None, prefix: str) -> None:
    monkeypatch.setattr(starlette_app, "create_streamlit_static_assets_routes",
                        starlette_app.create_streamlit_static_assets_routes)
    assert serve.wrap_static() and serve.wrap_static()
    (mount,) = starlette_app.create_streamlit_static_assets_routes(base_url=base)
    assert isinstance(mount.app, serve.AssetCache) and mount.app.prefix == prefix
    assert isinstance(mount.app.app, serve.PageBase)


@pytest.mark.parametrize(("argv", "expected"), [
    ([], ["run", str(serve.APP)]),
    (["--server.port", "8600"], ["run", str(serve.APP), "--server.port", "8600"]),
    (["anderes.py", "--server.headless", "true"], ["run", "anderes.py", "--server.headless", "true"]),
])
def test_main_runs_streamlit_on_the_app_with_the_options_given(monkeypatch: pytest.MonkeyPatch,
                                                               argv: list[str], expected: list[str]) -> None:
    from streamlit.web import cli

    seen = []
    monkeypatch.setattr(serve, "tune", list)
    monkeypatch.setattr(cli, "main", lambda args, prog_name: seen.append((args, prog_name)))
    serve.main(argv)
    assert seen == [(expected, "streamlit")]


def test_a_streamlit_without_these_internals_starts_the_app_without_the_fixes(monkeypatch: pytest.MonkeyPatch,
                                                                             capsys: pytest.CaptureFixture) -> None:
    from streamlit.web import cli

    for name in ("streamlit.web.server.starlette", "streamlit.web.server.starlette.starlette_server",
                 "streamlit.web.server.starlette.starlette_app"):
        monkeypatch.setitem(sys.modules, name, None)  # as in a Streamlit built without its Starlette server
    seen = []
    monkeypatch.setattr(cli, "main", lambda args, prog_name: seen.append(args))
    serve.main([])
    assert seen == [["run", str(serve.APP)]]
    assert "ohne TCP_NODELAY und Zwischenspeicher und Basisadresse" in capsys.readouterr().err

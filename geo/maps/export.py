"""A folium map as one self-contained HTML file (scripts, styles and their images inlined).

For workshop slides and e-mail: the file opens offline, without the app that normally
serves ``static/`` and without any CDN.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

import folium

from geo.maps.partners import STATIC_URL

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
_SCRIPT = re.compile(r'<script src="(?P<url>[^"]+)"></script>')
_STYLE = re.compile(r'<link rel="stylesheet" href="(?P<url>[^"]+)"\s*/?>')
_CSS_URL = re.compile(r"url\((?P<q>['\"]?)(?P<path>[^)'\"]+)(?P=q)\)")


def _local(url: str, static_url: str, static_dir: Path) -> Path | None:
    prefix = static_url.rstrip("/") + "/"
    if not url.startswith(prefix):
        return None
    path = (static_dir / url[len(prefix):]).resolve()
    return path if path.is_file() and static_dir.resolve() in path.parents else None


def _data_uris(css: str, folder: Path) -> str:
    """Replace relative ``url(...)`` references of a stylesheet by data URIs."""
    def repl(m: re.Match) -> str:
        target = (folder / m.group("path")).resolve()
        if m.group("path").startswith(("data:", "http:", "https:", "/")) or not target.is_file():
            return m.group(0)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return f"url(data:{kind};base64,{base64.b64encode(target.read_bytes()).decode('ascii')})"
    return _CSS_URL.sub(repl, css)


def standalone_html(m: folium.Map, static_url: str = STATIC_URL, static_dir: Path = STATIC_DIR) -> bytes:
    """Render ``m`` with every app-served script and stylesheet inlined (UTF-8 bytes)."""
    page = m.get_root().render()

    def script(match: re.Match) -> str:
        path = _local(match.group("url"), static_url, static_dir)
        if path is None:
            return match.group(0)
        return "<script>" + path.read_text(encoding="utf-8").replace("</script", "<\\/script") + "</script>"

    def style(match: re.Match) -> str:
        path = _local(match.group("url"), static_url, static_dir)
        if path is None:
            return match.group(0)
        css = _data_uris(path.read_text(encoding="utf-8"), path.parent).replace("</style", "<\\/style")
        return f"<style>{css}</style>"

    return _STYLE.sub(style, _SCRIPT.sub(script, page)).encode("utf-8")

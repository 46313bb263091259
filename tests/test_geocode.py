"""Geocoding against real loopback sockets: unreachable port, silent server, a Nominatim-like server."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.geocode import Geocoder, approximate_mask
from graph.core.roles import Actor
from graph.pflege.editing import Editor
from graph.store.files import FileStore
from tests.conftest import get_partner

KONZ = {"name": "SRZ Konz", "strasse": "Konstantinstraße 50", "plz": "54329", "ort": "Konz", "ags": "07235068"}


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there any more: connection refused
    return port


@pytest.fixture
def nominatim():
    """A tiny Nominatim stand-in on loopback; ``answers`` maps street → [lat, lon] (missing = no hit)."""
    state = {"answers": {}, "requests": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            q = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            state["requests"].append((self.headers.get("User-Agent"), q))
            hit = state["answers"].get(q.get("street"))
            body = json.dumps([{"lat": str(hit[0]), "lon": str(hit[1]), "display_name": q.get("street"),
                                "place_id": 1}] if hit else []).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["url"] = f"http://127.0.0.1:{server.server_port}"
    yield state
    server.shutdown()
    server.server_close()


def _geocoder(gazetteer, url, tmp_path, **kw):
    return Geocoder(gazetteer, FileStore(tmp_path), url=url, min_delay_s=0, timeout_s=1.0, **kw)


def test_network_unreachable_falls_back_to_the_gemeinde_point(gazetteer, tmp_path):
    g = _geocoder(gazetteer, f"http://127.0.0.1:{_free_port()}", tmp_path)
    r = g.locate(KONZ)
    ref = gazetteer.orte.loc["07235068"]
    assert (r.lat, r.lon) == (ref["lat"], ref["lon"]) and r.ungefaehr and r.quelle == "gemeinde"
    assert "nicht erreichbar" in r.hinweis
    assert not g.online  # the rest of a batch does not wait for the network again
    assert "Kein Netz" in g.locate({**KONZ, "strasse": "Brückenstraße 2"}).hinweis


def test_a_server_that_never_answers_does_not_hang(gazetteer, tmp_path):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections (kernel backlog) but never replies
    try:
        g = _geocoder(gazetteer, f"http://127.0.0.1:{silent.getsockname()[1]}", tmp_path)
        g.timeout_s = 0.3
        r = g.locate(KONZ)
    finally:
        silent.close()
    assert r.ungefaehr and r.quelle == "gemeinde"


def test_hit_inside_the_gemeinde_is_used_and_cached(gazetteer, tmp_path, nominatim):
    nominatim["answers"]["Konstantinstraße 50"] = [49.69955, 6.57905]
    g = _geocoder(gazetteer, nominatim["url"], tmp_path, contact="leitstelle@kreis.example")
    r = g.locate(KONZ)
    assert (r.lat, r.lon, r.quelle, r.ungefaehr) == (49.69955, 6.57905, "nominatim", False)
    agent, query = nominatim["requests"][0]
    assert "netzwerkpartner-karte" in agent and "leitstelle@kreis.example" in agent
    assert query["postalcode"] == "54329" and query["city"] == "Konz" and query["countrycodes"] == "de"
    again = _geocoder(gazetteer, nominatim["url"], tmp_path).locate(KONZ)  # new instance: on-disk cache
    assert (again.lat, again.quelle) == (49.69955, "cache") and len(nominatim["requests"]) == 1


def test_hit_outside_the_stated_gemeinde_warns_and_is_not_used(gazetteer, tmp_path, nominatim):
    nominatim["answers"]["Konstantinstraße 50"] = [49.7560, 6.6410]  # Trier, ~9 km away
    r = _geocoder(gazetteer, nominatim["url"], tmp_path).locate(KONZ)
    assert r.ungefaehr and r.quelle == "gemeinde" and "außerhalb von Konz" in r.hinweis


def test_no_hit_and_no_street_fall_back(gazetteer, tmp_path, nominatim):
    g = _geocoder(gazetteer, nominatim["url"], tmp_path)
    assert "nicht gefunden" in g.locate(KONZ).hinweis
    assert "Keine Straße" in g.locate({**KONZ, "strasse": ""}).hinweis
    assert len(nominatim["requests"]) == 1


def test_switched_off_never_touches_the_network(gazetteer, tmp_path, nominatim):
    g = _geocoder(gazetteer, nominatim["url"], tmp_path, mode="aus")
    assert "ausgeschaltet" in g.locate(KONZ).hinweis and nominatim["requests"] == []


def test_gemeinde_from_ort_when_ags_missing(gazetteer, tmp_path):
    r = _geocoder(gazetteer, "http://127.0.0.1:9", tmp_path, mode="aus").locate({**KONZ, "ags": ""})
    assert r.ags == "07235068"


def test_batch_reports_progress_and_never_replaces_coordinates_by_an_approximation(directory, tmp_path):
    editor = Editor(directory, Actor("anna", "leitstelle"))
    editor.update("p-000010", {"lat": "", "lon": ""}, int(get_partner(directory, "p-000010")["version"]))
    kept = get_partner(directory, "p-000011")
    g = _geocoder(directory.gazetteer, f"http://127.0.0.1:{_free_port()}", tmp_path)
    seen = []
    results = editor.geocode(["p-000010", "p-000011"], g, lambda done, total, text: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)] and all(r.ungefaehr for r in results.values())
    raw = directory.store.read("partners").set_index("id", drop=False)
    assert raw.at["p-000010", "lat"] != "" and (raw.at["p-000011", "lat"], raw.at["p-000011", "lon"]) == (kept["lat"], kept["lon"])
    flags = approximate_mask(raw, directory.gazetteer)
    assert flags["p-000010"] and not flags["p-000011"]
    assert [e.aktion for e in editor.history("p-000010")] == ["geaendert", "geokodiert"]

"""Address → coordinates: Nominatim via geopy (RateLimiter, on-disk cache) with an offline fallback.

The app never hangs on geocoding: requests time out after a few seconds, a failed request
switches the geocoder offline for ``OFFLINE_PAUSE_S`` (the rest of a batch is not delayed),
and whenever there is no network, no street or no hit, the Gemeinde's reference point is
used and flagged as approximate. A hit outside the stated Gemeinde (with the validator's
3 km tolerance) is not used: the user gets a warning and the reference point instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
from geopy.exc import GeopyError

from geo.gazetteer import Gazetteer
from graph.core.model import COORD_TOLERANCE_KM
from graph.core.roles import ANONYMOUS
from graph.errors import NotFoundError
from graph.settings import geocoder_settings
from graph.store import Store

TIMEOUT_S = 4.0
MIN_DELAY_S = 1.0  # Nominatim usage policy: at most one request per second
OFFLINE_PAUSE_S = 300.0
MISS_TTL_S = 30 * 24 * 3600.0
USER_AGENT = "netzwerkpartner-karte-trier-saarburg/0.1 (Jugendamt Landkreis Trier-Saarburg)"
#: Coordinates closer than this (degrees, ~1 m) to the Gemeinde reference point count as approximate.
REFERENCE_EPS_DEG = 1e-5

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class GeocodeResult:
    """Coordinates and where they came from (``nominatim``, ``cache`` or ``gemeinde``)."""

    lat: float
    lon: float
    quelle: str
    ungefaehr: bool
    hinweis: str = ""
    ags: str = ""


class Geocoder:
    """Nominatim adapter with cache and Gemeinde fallback; ``mode="aus"`` never goes online."""

    def __init__(self, gazetteer: Gazetteer, cache: Store | None = None, *, mode: str = "nominatim",
                 url: str = "https://nominatim.openstreetmap.org", contact: str = "", timeout_s: float = TIMEOUT_S,
                 min_delay_s: float = MIN_DELAY_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.gazetteer = gazetteer
        self.cache = cache
        self.mode = mode
        self.url = url
        self.user_agent = f"{USER_AGENT[:-1]}; {contact})" if contact else USER_AGENT
        self.timeout_s = timeout_s
        self.min_delay_s = min_delay_s
        self.clock = clock
        self._offline_until = 0.0
        self._limited: Callable | None = None

    @classmethod
    def from_settings(cls, gazetteer: Gazetteer, store: Store) -> Geocoder:
        """Configured from the environment (see :mod:`graph.settings`), cache in the store's ``geocache`` table."""
        cfg = geocoder_settings()
        return cls(gazetteer, store, mode=cfg["mode"], url=cfg["url"], contact=cfg["contact"])

    @property
    def online(self) -> bool:
        """False when switched off or paused after a network failure."""
        return self.mode != "aus" and self.clock() >= self._offline_until

    # ------------------------------------------------------------------ public
    def locate(self, record: Mapping[str, str]) -> GeocodeResult:
        """Coordinates for a partner record (``strasse``, ``plz``, ``ort``, ``ags``)."""
        ags = self._ags(record)
        street = str(record.get("strasse") or "").strip()
        if not street:
            return self._fallback(ags, "Keine Straße angegeben – Gemeindemittelpunkt verwendet.")
        ort = str(record.get("ort") or "").strip() or str(self.gazetteer.orte.at[ags, "name"])
        plz = str(record.get("plz") or "").strip()
        key = _cache_key(street, plz, ort)
        cached = self._cache_get(key)
        if cached is not None:
            source, hit = "cache", cached.get("hit")
        elif not self.online:
            why = "Geokodierung ist ausgeschaltet" if self.mode == "aus" else "Kein Netz zum Geokodierdienst"
            return self._fallback(ags, f"{why} – Gemeindemittelpunkt verwendet (ungefähre Lage).")
        else:
            try:
                hit = self._query(street, plz, ort)
            except (GeopyError, OSError) as exc:  # unreachable, timed out, refused, rate-limited: go offline
                self._offline_until = self.clock() + OFFLINE_PAUSE_S
                return self._fallback(ags, f"Geokodierdienst nicht erreichbar ({type(exc).__name__}) – "
                                           "Gemeindemittelpunkt verwendet (ungefähre Lage).")
            source = "nominatim"
            self._cache_put(key, hit)
        if hit is None:
            return self._fallback(ags, "Adresse nicht gefunden – Gemeindemittelpunkt verwendet (ungefähre Lage).")
        lat, lon = hit
        outside = self.gazetteer.distance_outside_km(ags, lat, lon)
        if outside > COORD_TOLERANCE_KM:
            name = self.gazetteer.orte.at[ags, "name"]
            km = f"{outside:.1f}".replace(".", ",")
            return self._fallback(ags, f"Gefundene Adresse liegt {km} km außerhalb von {name} – bitte Adresse prüfen; "
                                       "Gemeindemittelpunkt verwendet (ungefähre Lage).")
        return GeocodeResult(round(lat, 6), round(lon, 6), source, False, "", ags)

    def locate_many(self, records: Iterable[Mapping[str, str]], progress: Progress | None = None) -> list[GeocodeResult]:
        """Locate several records in order, reporting ``progress(done, total, text)``."""
        records = list(records)
        out = []
        for i, rec in enumerate(records, start=1):
            out.append(self.locate(rec))
            if progress:
                progress(i, len(records), str(rec.get("name") or rec.get("strasse") or ""))
        return out

    # ---------------------------------------------------------------- helpers
    def _ags(self, record: Mapping[str, str]) -> str:
        ags = str(record.get("ags") or "").strip()
        if self.gazetteer.is_ort(ags):
            return ags
        for text in (record.get("ort"), record.get("plz")):
            if text and str(text).strip():
                try:
                    return self.gazetteer.resolve(str(text))
                except NotFoundError:
                    continue
        raise NotFoundError("Gemeinde unbekannt: bitte AGS oder einen eindeutigen Ort angeben.")

    def _fallback(self, ags: str, hint: str) -> GeocodeResult:
        row = self.gazetteer.orte.loc[ags]
        return GeocodeResult(float(row["lat"]), float(row["lon"]), "gemeinde", True, hint, ags)

    def _query(self, street: str, plz: str, ort: str) -> tuple[float, float] | None:
        if self._limited is None:
            from geopy.extra.rate_limiter import RateLimiter
            from geopy.geocoders import Nominatim

            parts = urlsplit(self.url)
            nominatim = Nominatim(user_agent=self.user_agent, timeout=self.timeout_s, scheme=parts.scheme or "https",
                                  domain=(parts.netloc + parts.path.rstrip("/")) or parts.path)
            self._limited = RateLimiter(nominatim.geocode, min_delay_seconds=self.min_delay_s, max_retries=0,
                                        swallow_exceptions=False)
        query = {"street": street, "postalcode": plz, "city": ort, "country": "Deutschland"}
        loc = self._limited({k: v for k, v in query.items() if v}, country_codes="de", exactly_one=True)
        return (float(loc.latitude), float(loc.longitude)) if loc else None

    def _cache_get(self, key: str) -> dict | None:
        if self.cache is None:
            return None
        frame = self.cache.read("geocache")
        hit = frame[frame["schluessel"] == key]
        if hit.empty:
            return None
        entry = hit.iloc[0]
        found = bool(entry["lat"] and entry["lon"])
        if not found and time.time() - float(entry["zeit"] or 0) > MISS_TTL_S:
            return None
        return {"hit": (float(entry["lat"]), float(entry["lon"])) if found else None}

    def _cache_put(self, key: str, hit: tuple[float, float] | None) -> None:
        if self.cache is None:
            return
        with self.cache.unit(ANONYMOUS, "geokodiert", journaled=False) as unit:
            unit.put("geocache", [{"schluessel": key, "lat": repr(hit[0]) if hit else "",
                                   "lon": repr(hit[1]) if hit else "", "zeit": repr(time.time())}])


def approximate_mask(raw: pd.DataFrame, gazetteer: Gazetteer) -> pd.Series:
    """True where a partner has no coordinates or sits exactly on its Gemeinde reference point."""
    lat = pd.to_numeric(raw["lat"], errors="coerce")
    lon = pd.to_numeric(raw["lon"], errors="coerce")
    ref = gazetteer.orte.reindex(raw["ags"].astype(str))
    near = (np.abs(lat.to_numpy() - ref["lat"].to_numpy()) < REFERENCE_EPS_DEG) & \
           (np.abs(lon.to_numpy() - ref["lon"].to_numpy()) < REFERENCE_EPS_DEG)
    return pd.Series(lat.isna().to_numpy() | lon.isna().to_numpy() | near, index=raw.index)


def _cache_key(street: str, plz: str, ort: str) -> str:
    return "|".join(" ".join(str(v).casefold().split()) for v in (street, plz, ort))

"""Gazetteer of Landkreis Trier-Saarburg: Gemeinden, Verbandsgemeinden, Sozialräume, Kreis.

Built from the reference data of ``data/geo/`` (official BKG VG5000 geometry 2021, Zensus 2022
population, PLZ ↔ Gemeinde; see ``data/geo/PROVENANCE.md``), which the store reads
(:func:`graph.store.reference.load_gazetteer`). The Stadt Trier (AGS ``07211000``) is
known as a *location* for partners but is not part of the Kreis' area tree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from geo.names import base_name, normalize_name
from graph.errors import NotFoundError

KREIS_AGS = "07235"
KREIS_NAME = "Landkreis Trier-Saarburg"
TRIER_AGS = "07211000"
SOZIALRAUM_IDS = ("konz", "schweich", "hermeskeil", "saarburg")
_KM_PER_DEG = 111.195  # mean earth radius 6371.0088 km × π/180
_REF_LAT = 49.7  # centre of the region; equirectangular scale for local distances

_GEMEINDE_COLUMNS = ["ags", "ars", "name", "vg_ars", "vg_name", "sozialraum_id",
                     "sozialraum_name", "lat", "lon", "flaeche_km2", "einwohner"]


@dataclass(frozen=True)
class Area:
    """One node of the area tree (``kind`` is gemeinde, vg, sozialraum or kreis)."""

    kind: str
    id: str
    name: str

    @property
    def token(self) -> str:
        """The Einzugsgebiet token that denotes this area (``gem:…``, ``vg:…``, ``sr:…``, ``kreis``)."""
        prefix = {"gemeinde": "gem", "vg": "vg", "sozialraum": "sr"}.get(self.kind)
        return f"{prefix}:{self.id}" if prefix else "kreis"


class AmbiguousNameError(NotFoundError):
    """A name or postcode matched several Gemeinden; ``candidates`` holds their AGS, ``kandidaten`` AGS and name."""

    def __init__(self, text: str, candidates: list[str], names: list[str]) -> None:
        self.candidates = candidates
        self.kandidaten = [{"ags": a, "name": n} for a, n in zip(candidates, names)]
        if str(text).strip().isdigit():
            message = (f"Die PLZ {str(text).strip()} gehört zu {len(names)} Gemeinden: {', '.join(names)}. "
                       "Bitte die Gemeinde angeben (Name oder AGS).")
        else:
            message = f"„{text}“ ist mehrdeutig: {', '.join(names)}. Bitte genauer angeben (oder AGS)."
        super().__init__(message)


class Gazetteer:
    """Look-ups over the county's areas.

    ``gemeinden`` and ``plz`` are the text frames of ``gemeinden.csv`` and ``plz.csv``; ``geojson``
    returns a layer's GeoJSON document by name (read lazily: only maps and coordinates need it).
    """

    def __init__(self, gemeinden: pd.DataFrame, plz: pd.DataFrame, geojson: Callable[[str], dict]) -> None:
        self._geojson = geojson
        frame = gemeinden.copy()
        for col in ("lat", "lon", "flaeche_km2"):
            frame[col] = frame[col].astype(float)
        frame["einwohner"] = pd.to_numeric(frame["einwohner"], errors="coerce").astype("Int64")
        frame["im_kreis"] = True
        trier = self._trier_row()
        self.orte = pd.concat([frame[_GEMEINDE_COLUMNS + ["im_kreis"]], trier]).set_index("ags", drop=False)
        self.orte.index.name = None
        self.plz = plz
        self.ortsteile = pd.DataFrame(columns=["ortsteil", "ags"])
        self._name_index = self._build_name_index()

    # ------------------------------------------------------------------ frames
    @property
    def gemeinden(self) -> pd.DataFrame:
        """The 104 Ortsgemeinden of the Kreis (index = AGS)."""
        return self.orte[self.orte["im_kreis"]]

    @cached_property
    def verbandsgemeinden(self) -> pd.DataFrame:
        """The 6 Verbandsgemeinden (index = 9-digit ARS) with member counts."""
        g = self.gemeinden
        vg = g.groupby("vg_ars").agg(name=("vg_name", "first"), anzahl_gemeinden=("ags", "size"),
                                     einwohner=("einwohner", "sum")).reset_index()
        vg = vg.rename(columns={"vg_ars": "ars"}).set_index("ars", drop=False)
        vg.index.name = None
        return vg

    @cached_property
    def sozialraeume(self) -> pd.DataFrame:
        """The 4 Sozialräume (index = id) in the county's usual order."""
        g = self.gemeinden
        sr = g.groupby("sozialraum_id").agg(name=("sozialraum_name", "first"),
                                            anzahl_gemeinden=("ags", "size"),
                                            einwohner=("einwohner", "sum")).reset_index()
        sr = sr.rename(columns={"sozialraum_id": "id"}).set_index("id", drop=False).loc[list(SOZIALRAUM_IDS)]
        sr.index.name = None
        return sr

    # ---------------------------------------------------------------- look-ups
    def gemeinde(self, ags: str) -> pd.Series:
        """One Gemeinde (or the Stadt Trier) by AGS; raises :class:`NotFoundError`."""
        try:
            return self.orte.loc[str(ags)]
        except KeyError:
            raise NotFoundError(f"Keine Gemeinde mit AGS {ags} im Landkreis Trier-Saarburg oder der Stadt Trier.") from None

    def is_ort(self, ags: str) -> bool:
        """True for the 104 Gemeinden and the Stadt Trier (valid partner locations)."""
        return str(ags) in self.orte.index

    def find(self, text: str) -> list[str]:
        """AGS of all places matching ``text`` (AGS, name in any spelling, or PLZ)."""
        text = str(text).strip()
        if text.isdigit() and len(text) == 8:
            return [text] if self.is_ort(text) else []
        if text.isdigit() and len(text) == 5:
            return self.by_plz(text)
        key = normalize_name(text)
        return list(self._name_index.get(key, []))

    def resolve(self, text: str) -> str:
        """The one AGS that ``text`` denotes; raises a German error with suggestions otherwise."""
        hits = self.find(text)
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise AmbiguousNameError(text, hits, [self.orte.at[a, "name"] for a in hits])
        hint = self.suggest(text)
        extra = f" Meinten Sie: {', '.join(hint)}?" if hint else ""
        raise NotFoundError(f"Gemeinde „{text}“ nicht gefunden.{extra}")

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Closest Gemeinde names for a misspelt ``text`` (typo-tolerant)."""
        from rapidfuzz import fuzz, process

        names = list(self._name_index)
        matches = process.extract(normalize_name(text), names, scorer=fuzz.WRatio, limit=limit * 2, score_cutoff=70)
        out: list[str] = []
        for key, _score, _ in matches:
            for ags in self._name_index[key]:
                name = self.orte.at[ags, "name"]
                if name not in out:
                    out.append(name)
        return out[:limit]

    def by_plz(self, plz: str) -> list[str]:
        """AGS of the places a PLZ covers within the region (usually several)."""
        rows = self.plz[self.plz["plz"] == str(plz).strip()]
        return sorted(set(rows["ags"]))

    def plz_of(self, ags: str) -> list[str]:
        """Postcodes of a Gemeinde."""
        return list(self._postcodes.get(ags, ()))

    @cached_property
    def _postcodes(self) -> dict[str, tuple[str, ...]]:
        """AGS → sorted postcodes, grouped once (pickers label every Gemeinde with them on every run)."""
        return {str(ags): tuple(sorted(set(group))) for ags, group in self.plz.groupby("ags", sort=False)["plz"]}

    # -------------------------------------------------------------- area tree
    def area(self, token: str) -> Area:
        """The area an Einzugsgebiet token denotes; raises :class:`NotFoundError`."""
        kind, _, ident = token.strip().partition(":")
        if token.strip() == "kreis":
            return Area("kreis", KREIS_AGS, KREIS_NAME)
        if kind == "gem" and self.is_ort(ident):
            return Area("gemeinde", ident, str(self.orte.at[ident, "name"]))
        if kind == "vg" and ident in self.verbandsgemeinden.index:
            return Area("vg", ident, str(self.verbandsgemeinden.at[ident, "name"]))
        if kind == "sr" and ident in self.sozialraeume.index:
            return Area("sozialraum", ident, str(self.sozialraeume.at[ident, "name"]))
        raise NotFoundError(
            f"Unbekanntes Gebiet „{token}“ (erlaubt: gem:<AGS8>, vg:<ARS9>, sr:<{'|'.join(SOZIALRAUM_IDS)}>, kreis)"
        )

    def area_path(self, ags: str) -> list[Area]:
        """Gemeinde → Verbandsgemeinde → Sozialraum → Kreis (just the Gemeinde for the Stadt Trier)."""
        row = self.gemeinde(ags)
        path = [Area("gemeinde", ags, row["name"])]
        if row["im_kreis"]:
            path += [Area("vg", row["vg_ars"], row["vg_name"]),
                     Area("sozialraum", row["sozialraum_id"], row["sozialraum_name"]),
                     Area("kreis", KREIS_AGS, KREIS_NAME)]
        return path

    def gemeinden_in(self, token: str) -> frozenset[str]:
        """AGS of all places inside the area a token denotes."""
        a = self.area(token)
        g = self.gemeinden
        if a.kind == "gemeinde":
            return frozenset([a.id])
        if a.kind == "vg":
            return frozenset(g.index[g["vg_ars"] == a.id])
        if a.kind == "sozialraum":
            return frozenset(g.index[g["sozialraum_id"] == a.id])
        return frozenset(g.index)


    # --------------------------------------------------------------- geometry
    def geojson(self, layer: str) -> dict:
        """Raw GeoJSON of a layer: gemeinden, verbandsgemeinden, sozialraeume, kreis, stadt-trier."""
        return self._geojson(layer)

    @cached_property
    def _shapes(self) -> dict[str, object]:
        """Polygons of the 104 Gemeinden and the Stadt Trier in a local km plane."""
        import shapely
        from shapely.geometry import shape

        features = self.geojson("gemeinden")["features"] + self.geojson("stadt-trier")["features"]
        return {f["properties"]["ags"]: shapely.transform(shape(f["geometry"]), _to_km) for f in features}

    def distances_outside_km(self, ags: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Vectorised distance in km from each point to its place's polygon (0 inside)."""
        import shapely

        geoms = np.array([self._shapes[a] for a in ags], dtype=object)
        pts = shapely.points(_to_km(np.column_stack([np.asarray(lon, float), np.asarray(lat, float)])))
        return shapely.distance(geoms, pts)

    def distance_outside_km(self, ags: str, lat: float, lon: float) -> float:
        """Distance in km from a point to the place's polygon (0 inside)."""
        return float(self.distances_outside_km(np.array([ags]), np.array([lat]), np.array([lon]))[0])

    def contains(self, ags: str, lat: float, lon: float) -> bool:
        """True if the point lies inside the place's polygon."""
        return self.distance_outside_km(ags, lat, lon) == 0.0

    def locate(self, lat: float, lon: float) -> str | None:
        """AGS of the place containing the point, or None outside Kreis and Stadt Trier."""
        import shapely

        pt = shapely.points(_to_km(np.array([[lon, lat]], dtype=float)))[0]
        for ags, geom in self._shapes.items():
            if geom.covers(pt):
                return ags
        return None

    # ---------------------------------------------------------------- helpers
    def _trier_row(self) -> pd.DataFrame:
        from shapely.geometry import shape

        feature = self.geojson("stadt-trier")["features"][0]
        p = feature["properties"]
        point = shape(feature["geometry"]).representative_point()
        row = {"ags": p["ags"], "ars": p["ars"], "name": p["name"], "vg_ars": "", "vg_name": "",
               "sozialraum_id": "", "sozialraum_name": "", "lat": round(point.y, 6), "lon": round(point.x, 6),
               "flaeche_km2": float(p["flaeche_km2"]), "einwohner": p.get("einwohner"), "im_kreis": False}
        out = pd.DataFrame([row])
        out["einwohner"] = out["einwohner"].astype("Int64")
        return out

    def _build_name_index(self, ortsteile: pd.DataFrame | None = None) -> dict[str, list[str]]:
        """Normalised names → AGS: Gemeinden (also without the bracket suffix), then Ortsteile."""
        index: dict[str, list[str]] = {}
        pairs = list(zip(self.orte["name"], self.orte["ags"]))
        if ortsteile is not None and len(ortsteile):
            pairs += [(n, a) for n, a in zip(ortsteile["ortsteil"], ortsteile["ags"]) if a in self.orte.index]
        for name, ags in pairs:
            for variant in {normalize_name(name), normalize_name(base_name(name))}:
                index.setdefault(variant, [])
                if ags not in index[variant]:
                    index[variant].append(ags)
        return index

    def use_ortsteile(self, ortsteile: pd.DataFrame) -> None:
        """Let :meth:`find` and :meth:`resolve` know Ortsteile (``ortsteil``, ``ags``) as names of their Gemeinde."""
        self.ortsteile = ortsteile[["ortsteil", "ags"]].copy()
        self._name_index = self._build_name_index(self.ortsteile)  # swapped whole: readers never see a half index

    def ortsteil_of(self, text: str) -> str | None:
        """The Ortsteil name ``text`` denotes (normalised match), or ``None`` if it is none."""
        key = normalize_name(text)
        hits = [o for o in self.ortsteile["ortsteil"] if normalize_name(o) == key]
        return hits[0] if hits else None


def _to_km(lonlat: np.ndarray) -> np.ndarray:
    """Equirectangular projection around the region's centre (km); good to <1 % over 60 km."""
    out = np.array(lonlat, dtype=float, copy=True)
    out[:, 0] *= _KM_PER_DEG * np.cos(np.radians(_REF_LAT))
    out[:, 1] *= _KM_PER_DEG
    return out

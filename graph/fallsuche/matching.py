"""Fallsuche: which active partners can help a family living in a Gemeinde (pure core, no I/O).

Eligible (DESIGN.md, CLI ``find``):

* active (``aktiv = ja``);
* offers at least one requested need tag, or is of the requested category (no tag and no
  category requested = every partner);
* the child's age lies within ``alter_von`` … ``alter_bis``, both ends inclusive, an empty
  end is open;
* the requested language is listed in ``sprachen``;
* with ``barrierefrei`` only partners marked ``ja``: ``teilweise``, ``nein`` and ``unbekannt``
  are excluded, because a family that needs step-free access cannot rely on "partly" or
  "unknown" — they are offered as suggestions (with that caveat) when nothing else fits;
* reachable: the partner serves the Gemeinde (*zuständig*: its Einzugsgebiet names the
  Gemeinde, its Verbandsgemeinde, its Sozialraum or the Kreis; empty = its own Gemeinde), or it
  lies within reach of the Gemeinde — the radius ``umkreis_km`` if given, otherwise the
  largest ``distanz_km`` (taxonomie.csv) among the needs it matched, or of its category for
  a category match. Träger in the Stadt Trier or a neighbouring Sozialraum therefore count
  when they serve the Gemeinde or are close enough; zuständige partners always count.

Order: more matched tags first, then zuständig first, then distance ascending, then id.
Distance: haversine (:mod:`geo.distance`) from the Gemeinde's reference point to the
partner; a partner without coordinates is placed at its own Gemeinde's reference point.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.distance import haversine_km
from geo.gazetteer import TRIER_AGS, Area, Gazetteer
from graph.core.areas import coordinates, one_hot, served_matrix
from graph.core.codes import LANGUAGE_NAMES
from graph.core.taxonomy import Taxonomy
from graph.core.text import join_de, km, years
from graph.verzeichnis.listing import age_text

#: Filters in the order the empty-result explanation applies them.
STAGES = ("aktiv", "bedarf", "erreichbar", "alter", "sprache", "barrierefrei")
MAX_SUGGESTIONS = 5
DEFAULT_REACH_KM = 20.0
BARRIER_CAVEAT = {"teilweise": "nur teilweise barrierefrei", "nein": "nicht barrierefrei",
                  "unbekannt": "Barrierefreiheit unbekannt"}
ZUSTAENDIG_KEY = "zustaendig"


@dataclass(frozen=True)
class Query:
    """One Fallsuche: resolved Gemeinde (AGS) and filter values; nothing about the family."""

    ags: str
    tags: tuple[str, ...] = ()
    kategorie: str | None = None
    alter: int | None = None
    sprache: str | None = None
    barrierefrei: bool = False
    umkreis_km: float | None = None
    limit: int | None = 10


@dataclass
class MatchResult:
    """Ranked results (CLI contract shape), the count before ``limit``, and why nothing matched."""

    gemeinde: dict
    results: list[dict]
    total: int
    explanation: str | None = None
    blocking_filter: str | None = None
    suggestions: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        """The ``find --json`` document."""
        return {"gemeinde": self.gemeinde, "results": self.results}


class Matcher:
    """Column arrays of a typed partners frame, prepared once per data version for fast look-ups."""

    def __init__(self, partners: pd.DataFrame, gazetteer: Gazetteer, taxonomy: Taxonomy) -> None:
        p = partners
        n = len(p)
        self.gazetteer, self.taxonomy, self.n = gazetteer, taxonomy, n
        self.ids = p["id"].astype(str).to_numpy(object)
        self.names = p["name"].astype(str).to_numpy(object)
        self.kategorien = p["kategorie"].astype(str).to_numpy(object)
        self.id_rank = np.empty(n, dtype=np.int64)
        self.id_rank[np.argsort(self.ids.astype(str), kind="stable")] = np.arange(n)
        self.aktiv = p["aktiv"].to_numpy(bool)
        self.tag_pos = {t: i for i, t in enumerate(taxonomy.tag_ids)}
        self.offers, _ = one_hot(p["angebote"], taxonomy.tag_ids)
        self.tag_reach = taxonomy.angebote["distanz_km"].to_numpy(float)
        self.kat_code = pd.Categorical(p["kategorie"], categories=taxonomy.category_ids).codes.astype(np.int64)
        kat_reach = taxonomy.kategorien["distanz_km"].to_numpy(float)
        self.kat_reach = np.where(self.kat_code >= 0, kat_reach[np.maximum(self.kat_code, 0)], DEFAULT_REACH_KM)
        self.von = p["alter_von"].to_numpy(float)
        self.bis = p["alter_bis"].to_numpy(float)
        self.barrier = p["barrierefrei"].astype(str).to_numpy(object)
        self.speaks, self.lang_pos = one_hot(p["sprachen"])
        self.lat, self.lon = coordinates(p, gazetteer)
        ags = p["ags"].astype(str).to_numpy(object)
        self.tokens = [tuple(e) if len(e) else (f"gem:{a}",) for e, a in zip(p["einzugsgebiet"], ags)]
        self.served = served_matrix(p, gazetteer).tocsc()  # columns = places: one slice per searched Gemeinde
        self.place_pos = {a: i for i, a in enumerate(gazetteer.orte.index)}
        self.labels = {**taxonomy.kategorien["label"].to_dict(), **taxonomy.angebote["label"].to_dict()}
        self._places: dict[str, tuple] = {}

    # ------------------------------------------------------------------ search
    def find(self, q: Query) -> MatchResult:
        """Ranked eligible partners for ``q``; when none, the blocking filter and suggestions."""
        path, info, ref, zust = self._place(q.ags)
        req = self._requested_tags(q)
        matched = self.offers[:, req].sum(axis=1) if len(req) else np.zeros(self.n, dtype=np.int64)
        masks = self._filters(q, matched)
        pre = np.logical_and.reduce(list(masks.values()))
        cand = np.flatnonzero(pre)
        dist = self._distances(ref, cand)
        ok = zust[cand] | (dist <= self._reach(cand, q, req))
        hits, hit_dist = cand[ok], dist[ok]
        order = np.lexsort((self.id_rank[hits], np.nan_to_num(hit_dist, nan=np.inf), ~zust[hits], -matched[hits]))
        if q.limit:
            order = order[: q.limit]
        results = [self._result(int(hits[k]), float(hit_dist[k]), zust, q, path) for k in order]
        out = MatchResult(dict(info), results, len(hits))
        if not len(hits):
            self._explain(out, q, req, matched, masks, zust, ref, path)
        return out

    def _place(self, ags: str) -> tuple[list[Area], dict, tuple[float, float], np.ndarray]:
        """Area path, JSON info, reference point and zuständig mask of a Gemeinde (cached per AGS)."""
        if ags not in self._places:
            path = self.gazetteer.area_path(ags)  # raises NotFoundError for an unknown AGS
            row = self.gazetteer.gemeinde(ags)
            info = {"ags": ags, "name": str(row["name"]), "sozialraum": str(row["sozialraum_id"]) or None}
            self._places[ags] = (path, info, (float(row["lat"]), float(row["lon"])), self.zustaendig_mask(ags))
        return self._places[ags]

    def zustaendig_mask(self, ags: str) -> np.ndarray:
        """Partners that serve the Gemeinde (:func:`graph.core.areas.served_matrix`)."""
        return self.served[:, self.place_pos[ags]].toarray().ravel().astype(bool)

    def _requested_tags(self, q: Query) -> np.ndarray:
        return np.array([self.tag_pos[t] for t in q.tags if t in self.tag_pos], dtype=np.intp)

    def _kat_index(self, q: Query) -> int | None:
        return self.taxonomy.category_ids.index(q.kategorie) if q.kategorie in self.taxonomy.category_ids else None

    def _filters(self, q: Query, matched: np.ndarray) -> dict[str, np.ndarray]:
        """Boolean mask per requested filter (all except reachability, which needs distances)."""
        masks = {"aktiv": self.aktiv}
        if q.tags or q.kategorie:
            kat = self._kat_index(q)
            masks["bedarf"] = (matched > 0) | (self.kat_code == kat if kat is not None else False)
        if q.alter is not None:
            masks["alter"] = ~(self.von > q.alter) & ~(self.bis < q.alter)  # NaN compares False = open end
        if q.sprache:
            col = self.lang_pos.get(q.sprache)
            masks["sprache"] = self.speaks[:, col] if col is not None else np.zeros(self.n, dtype=bool)
        if q.barrierefrei:
            masks["barrierefrei"] = self.barrier == "ja"
        return masks

    def _reach(self, rows: np.ndarray, q: Query, req: np.ndarray) -> np.ndarray:
        """Distance (km) within which each partner counts without being zuständig."""
        if q.umkreis_km is not None:
            return np.full(len(rows), float(q.umkreis_km))
        if not len(req) and not q.kategorie:
            return self.kat_reach[rows]
        reach = (self.offers[np.ix_(rows, req)] * self.tag_reach[req]).max(axis=1, initial=0.0)
        kat = self._kat_index(q)
        if kat is not None:
            reach = np.where(self.kat_code[rows] == kat, np.maximum(reach, self.kat_reach[rows]), reach)
        return reach

    def _distances(self, ref: tuple[float, float], rows: np.ndarray) -> np.ndarray:
        """Distances from ``ref`` to the partners ``rows``, rounded once to the 0.1 km every text shows.

        Ranking, the Umkreis check, the reasons, the way hint, the handout and the CLI JSON all use this
        number, so a card never says „19,7 km“ in one line and „19,8 km“ in the next.
        """
        if not len(rows):
            return np.zeros(0)
        return np.round(haversine_km(ref[0], ref[1], self.lat[rows], self.lon[rows]), 1)

    # ----------------------------------------------------------------- output
    def _label(self, key: str) -> str:
        return self.labels.get(key, key)

    def _result(self, i: int, dist: float, zust: np.ndarray, q: Query, path: list[Area]) -> dict:
        matched = [t for t in q.tags if t in self.tag_pos and self.offers[i, self.tag_pos[t]]]
        return {"id": self.ids[i], "name": self.names[i], "kategorie": self.kategorien[i],
                "distance_km": None if np.isnan(dist) else dist, ZUSTAENDIG_KEY: bool(zust[i]),
                "matched": matched, "reasons": self._reasons(i, dist, bool(zust[i]), matched, q, path)}

    def _reasons(self, i: int, dist: float, zust: bool, matched: list[str], q: Query, path: list[Area]) -> list[str]:
        """Facts about partner ``i`` that answer the query (true for suggestions as well)."""
        label = self._label
        out = []
        if matched:
            out.append(f"bietet {join_de([label(t) for t in matched])}")
        if q.kategorie and self.kategorien[i] == q.kategorie:
            out.append(f"Kategorie {label(q.kategorie)}")
        area = next((a for a in path if a.token in self.tokens[i]), None)
        out.append(f"zuständig für {_area_text(area)}" if zust and area else f"nicht zuständig für {path[0].name}")
        out.append(f"{km(dist)} entfernt" if not np.isnan(dist) else "Entfernung unbekannt")
        if q.alter is not None:
            out.append(age_text(self.von[i], self.bis[i]))
        code = q.sprache
        if code and code in self.lang_pos and self.speaks[i, self.lang_pos[code]]:
            out.append(f"spricht {LANGUAGE_NAMES.get(code, code)}")
        if self.barrier[i] == "ja":
            out.append("barrierefrei")
        return out

    # ------------------------------------------------------------ explanation
    def _explain(self, out: MatchResult, q: Query, req: np.ndarray, matched: np.ndarray,
                 masks: dict[str, np.ndarray], zust: np.ndarray, ref: tuple[float, float], path: list[Area]) -> None:
        """Name the filter that removed the last candidates and suggest the closest partial matches."""
        everyone = np.arange(self.n)
        dist = self._distances(ref, np.arange(self.n))
        masks = dict(masks, erreichbar=zust | (dist <= self._reach(everyone, q, req)))
        alive = np.ones(self.n, dtype=bool)
        for stage in (s for s in STAGES if s in masks):
            if not (alive & masks[stage]).any():
                out.blocking_filter = stage
                out.explanation = self._why(stage, alive, q, path[0].name) + self._relax_hint(masks)
                break
            alive &= masks[stage]
        base = masks["aktiv"] & masks.get("bedarf", True)
        if base.any():
            out.suggestions = self._partial(base, masks, matched, zust, dist, q, path)
        elif "sozialraumzentrum" in self.taxonomy.category_ids:
            srz = masks["aktiv"] & zust & (self.kategorien == "sozialraumzentrum")
            for i in np.flatnonzero(srz)[:MAX_SUGGESTIONS]:
                item = self._result(int(i), float(dist[i]), zust, q, path)
                item["missing"] = ["bietet den gesuchten Bedarf nicht an, kann aber beraten und weitervermitteln"]
                out.suggestions.append(item)

    def _why(self, stage: str, alive: np.ndarray, q: Query, gemeinde: str) -> str:
        needs = [self._label(t) for t in q.tags] + ([f"Angebote der Kategorie {self._label(q.kategorie)}"]
                                                           if q.kategorie else [])
        if stage == "aktiv":
            return "Im Verzeichnis gibt es keine aktiven Partner."
        if stage == "bedarf":
            return f"Kein aktiver Partner bietet {join_de(needs, 'oder')} an."
        n = int(alive.sum())
        last = "den letzten Kandidaten" if n == 1 else f"die letzten {n} Kandidaten"
        why = {
            "erreichbar": f"keiner ist für {gemeinde} zuständig oder liegt "
                          + (f"im Umkreis von {km(q.umkreis_km)}" if q.umkreis_km
                             else "in üblicher Entfernung für diesen Bedarf"),
            "alter": f"keiner ist für Kinder im Alter von {years(q.alter)} da" if q.alter is not None else "",
            "sprache": f"keiner gibt {LANGUAGE_NAMES.get(q.sprache, q.sprache)} als Sprache an",
            "barrierefrei": "keiner ist als barrierefrei eingetragen" + self._barrier_counts(alive),
        }[stage]
        return f"Kein Treffer: Der Filter „{FILTER_LABELS[stage]}“ hat {last} ausgeschlossen – {why}."

    @staticmethod
    def _relax_hint(masks: dict[str, np.ndarray]) -> str:
        """Which single optional filter, left out, would give results (and how many)."""
        optional = [s for s in STAGES[2:] if s in masks]
        hints = []
        for stage in optional:
            rest = [masks[s] for s in masks if s != stage]
            n = int(np.logical_and.reduce(rest).sum())
            if n:
                hints.append(f"ohne den Filter „{FILTER_LABELS[stage]}“ gäbe es {n} Treffer")
        return f" Tipp: {join_de(hints, 'bzw.')}." if hints else ""

    def _barrier_counts(self, alive: np.ndarray) -> str:
        counts = Counter(self.barrier[alive])
        kinds = (("teilweise", "teilweise barrierefrei"), ("unbekannt", "ohne Angabe"))
        parts = [f"{counts[k]} {text}" for k, text in kinds if counts[k]]
        return f" ({', '.join(parts)})" if parts else ""

    def _partial(self, base: np.ndarray, masks: dict[str, np.ndarray], matched: np.ndarray, zust: np.ndarray,
                 dist: np.ndarray, q: Query, path: list[Area]) -> list[dict]:
        """Partners that offer the need but fail the fewest other filters, best first."""
        others = [s for s in STAGES[2:] if s in masks]
        fails = np.sum([~masks[s] for s in others], axis=0)
        rows = np.flatnonzero(base)
        order = np.lexsort((self.id_rank[rows], np.nan_to_num(dist[rows], nan=np.inf), ~zust[rows],
                            -matched[rows], fails[rows]))
        out = []
        for i in rows[order[:MAX_SUGGESTIONS]]:
            item = self._result(int(i), float(dist[i]), zust, q, path)
            item["missing"] = [self._missing(s, int(i), float(dist[i]), q) for s in others if not masks[s][i]]
            out.append(item)
        return out

    def _missing(self, stage: str, i: int, dist: float, q: Query) -> str:
        """Why partner ``i`` fails ``stage``, in German."""
        if stage == "erreichbar":
            return (f"liegt außerhalb des Umkreises von {km(q.umkreis_km)}" if q.umkreis_km
                    else f"für diesen Bedarf weit entfernt ({km(dist)})")
        if stage == "alter":
            return f"nur {age_text(self.von[i], self.bis[i])}"
        if stage == "sprache":
            return f"{LANGUAGE_NAMES.get(q.sprache, q.sprache)} nicht als Sprache angegeben"
        return BARRIER_CAVEAT.get(self.barrier[i], "nicht barrierefrei")


FILTER_LABELS = {"erreichbar": "Zuständigkeit/Entfernung", "alter": "Alter", "sprache": "Sprache",
                 "barrierefrei": "barrierefrei"}





def _area_text(area: Area) -> str:
    if area.kind == "gemeinde":
        return "die Stadt Trier" if area.id == TRIER_AGS else f"Gemeinde {area.name}"
    names = {"vg": f"Verbandsgemeinde {area.name}", "sozialraum": f"Sozialraum {area.name}"}
    return names.get(area.kind, "den ganzen Landkreis")

"""Coverage of the Kreis' Gemeinden by offers: who serves them, how far the nearest is, 2SFCA.

For every Gemeinde × key (a category or a need tag), over *active* partners only:

- ``serving``: partners of the key whose Einzugsgebiet covers the Gemeinde (resolved by
  :func:`graph.core.areas.served_matrix`; empty Einzugsgebiet = own Gemeinde);
- ``nearest_id`` / ``nearest_km``: the nearest partner of the key anywhere (Stadt Trier
  included), great-circle distance from the Gemeinde's reference point (DESIGN: haversine);
- ``status``: ``versorgt`` (serving ≥ 1), ``erreichbar`` (none serving, but the nearest is
  within the key's ``distanz_km`` from taxonomie.csv) or ``nicht_versorgt``;
- ``zugang``: accessibility by the two-step floating catchment area method with Gaussian
  distance decay (Gaussian 2SFCA, Dai 2010), in capacity units per 1,000 inhabitants::

      G(d)  = (exp(-½·(d/d0)²) − exp(-½)) / (1 − exp(-½))  for d ≤ d0, else 0
      R_j   = S_j / Σ_k P_k · G(d_kj)        (supply-to-demand ratio of partner j)
      A_i   = 1000 · Σ_j R_j · G(d_ij)       (accessibility of Gemeinde i)

  with d0 = the key's ``distanz_km`` (catchment), S_j = the partner's ``kapazitaet`` and
  P_k = Zensus 2022 population (*Einwohner insgesamt*; no age groups exist). Demand points
  are the 104 Gemeinden *and* the Stadt Trier, whose 100,000 inhabitants compete for the
  Trier-based offers. Unknown capacity: the median of the key's known capacities is used;
  if no partner of the key has one, every partner counts 1 and ``zugang`` becomes
  "decay-weighted offers per 1,000 inhabitants" (``kapazitaet_basis`` says which).
  2SFCA is distance-based by construction; it ignores Einzugsgebiete and offers outside
  the region (edge effect at the Kreis border).

The core (:func:`compute`) works on arrays and sparse matrices and is what the benchmark runs
on all of Germany; :func:`coverage_matrix` is the adapter for the directory's frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from geo.distance import SphereIndex
from geo.gazetteer import SOZIALRAUM_IDS, Gazetteer
from graph.core.areas import coordinates, served_matrix
from graph.core.taxonomy import Taxonomy
from graph.errors import NotFoundError

STATUS = ("versorgt", "erreichbar", "nicht_versorgt")
STATUS_LABELS = {"versorgt": "versorgt (zuständiges Angebot)", "erreichbar": "erreichbar (in Reichweite, nicht zuständig)",
                 "nicht_versorgt": "nicht versorgt"}
KEY_TYPE_LABELS = {"kategorie": "Kategorie", "bedarf": "Bedarf"}
_DECAY_FLOOR = np.exp(-0.5)


@dataclass(frozen=True)
class Key:
    """One coverage key: a category or a need tag, with its reach threshold in km."""

    id: str
    typ: str
    label: str
    schwelle_km: float


@dataclass
class CoverageInput:
    """Arrays of one computation: D demand points, P partners, K keys.

    ``member`` (P × K) marks which partner counts for which key; ``served`` (P × D) which
    partner's Einzugsgebiet covers which demand point. ``kapazitaet`` is NaN where unknown.
    """

    demand_lat: np.ndarray
    demand_lon: np.ndarray
    einwohner: np.ndarray
    partner_lat: np.ndarray
    partner_lon: np.ndarray
    kapazitaet: np.ndarray
    member: sparse.csr_matrix
    served: sparse.csr_matrix
    schwelle_km: np.ndarray


@dataclass
class CoverageResult:
    """D × K arrays; ``nearest`` holds partner positions (-1 = no partner of the key)."""

    serving: np.ndarray
    nearest: np.ndarray
    nearest_km: np.ndarray
    status: np.ndarray
    zugang: np.ndarray
    kapazitaet_basis: list[str]


# ---------------------------------------------------------------------------- keys
def resolve_keys(taxonomy: Taxonomy, kategorien: list[str] | tuple = (), bedarfe: list[str] | tuple = ()) -> list[Key]:
    """Keys for the requested categories and need tags (none requested = all of both)."""
    if not kategorien and not bedarfe:
        kategorien, bedarfe = taxonomy.category_ids, taxonomy.tag_ids
    keys = [_key(taxonomy, k, "kategorie") for k in dict.fromkeys(kategorien)]
    return keys + [_key(taxonomy, b, "bedarf") for b in dict.fromkeys(bedarfe)]


def _key(taxonomy: Taxonomy, ident: str, typ: str) -> Key:
    ident = str(ident).strip()
    known, other = ((taxonomy.kategorien, taxonomy.angebote) if typ == "kategorie"
                    else (taxonomy.angebote, taxonomy.kategorien))
    if ident in known.index:
        return Key(ident, typ, str(known.at[ident, "label"]), float(known.at[ident, "distanz_km"]))
    what, other_what = ("Kategorie", "Bedarf") if typ == "kategorie" else ("Bedarf", "Kategorie")
    if ident in other.index:
        hint = f" „{ident}“ ist ein{'e' if other_what == 'Kategorie' else ''} {other_what}, kein{'e' if what == 'Kategorie' else ''} {what}."
    else:
        from rapidfuzz import process

        close = [m[0] for m in process.extract(ident, list(known.index), limit=3, score_cutoff=60)]
        hint = f" Meinten Sie: {', '.join(close)}?" if close else f" Bekannt: {', '.join(known.index)}."
    raise NotFoundError(f"Unbekannte{'r' if typ == 'bedarf' else ''} {what} „{ident}“.{hint}")


def key_members(partners: pd.DataFrame, keys: list[Key]) -> sparse.csr_matrix:
    """P × K membership: category keys match ``kategorie``, need keys match ``angebote``."""
    rows, cols = [], []
    tags = partners["angebote"].to_numpy()
    kats = partners["kategorie"].to_numpy()
    for k, key in enumerate(keys):
        hit = kats == key.id if key.typ == "kategorie" else np.fromiter((key.id in t for t in tags), bool, len(tags))
        idx = np.flatnonzero(hit)
        rows.append(idx)
        cols.append(np.full(len(idx), k))
    r, c = np.concatenate(rows or [np.zeros(0, int)]), np.concatenate(cols or [np.zeros(0, int)])
    return sparse.csr_matrix((np.ones(len(r), np.int32), (r, c)), shape=(len(partners), len(keys)))


# ----------------------------------------------------------------------- adapter
def prepare(partners: pd.DataFrame, gazetteer: Gazetteer, keys: list[Key]) -> CoverageInput:
    """Arrays for typed partners (:func:`graph.core.model.parse_partners`; inactive ones are dropped).

    Demand points are all places of the gazetteer (the Kreis' Gemeinden and the Stadt Trier);
    partners without coordinates sit at their Gemeinde's reference point.
    """
    active = partners[partners["aktiv"].astype(bool)]
    orte = gazetteer.orte
    lat, lon = coordinates(active, gazetteer)
    served = served_matrix(active, gazetteer).astype(np.int32)
    return CoverageInput(orte["lat"].to_numpy(float), orte["lon"].to_numpy(float),
                         orte["einwohner"].fillna(0).to_numpy(float), lat, lon,
                         pd.to_numeric(active["kapazitaet"], errors="coerce").to_numpy(float)
                         if "kapazitaet" in active else np.full(len(active), np.nan),
                         key_members(active, keys), served, np.array([k.schwelle_km for k in keys], float))


# -------------------------------------------------------------------------- core
def gaussian_decay(d_km: np.ndarray, d0_km: float) -> np.ndarray:
    """Gaussian weight: 1 at distance 0, falling to 0 at the catchment radius ``d0_km`` (0 beyond)."""
    d = np.asarray(d_km, float)
    w = (np.exp(-0.5 * (d / d0_km) ** 2) - _DECAY_FLOOR) / (1.0 - _DECAY_FLOOR)
    return np.where(d <= d0_km, np.clip(w, 0.0, 1.0), 0.0)


def two_step_fca(demand: SphereIndex, einwohner: np.ndarray, supply: SphereIndex, kapazitaet: np.ndarray,
                 d0_km: float) -> np.ndarray:
    """Gaussian 2SFCA accessibility per demand point (capacity per 1,000 inhabitants)."""
    i, j, d = demand.pairs_within(supply, d0_km)
    w = gaussian_decay(d, d0_km)
    weighted_demand = np.bincount(j, weights=einwohner[i] * w, minlength=len(supply))
    ratio = np.divide(kapazitaet, weighted_demand, out=np.zeros(len(supply)), where=weighted_demand > 0)
    return 1000.0 * np.bincount(i, weights=ratio[j] * w, minlength=len(demand))


def effective_capacity(kapazitaet: np.ndarray) -> tuple[np.ndarray, str]:
    """Capacity with unknowns filled by the median of the known ones (all unknown → 1 each)."""
    cap = np.asarray(kapazitaet, float).copy()
    known = ~np.isnan(cap)
    if known.all():
        return cap, "angegeben"
    if not known.any():
        return np.ones_like(cap), "Anzahl Angebote (keine Kapazität bekannt)"
    cap[~known] = np.median(cap[known])
    return cap, f"{int((~known).sum())} von {len(cap)} geschätzt (Median)"


def compute(inp: CoverageInput) -> CoverageResult:
    """Serving counts, nearest partner, status and 2SFCA for every demand point × key."""
    n_demand, n_keys = len(inp.demand_lat), inp.member.shape[1]
    serving = np.asarray((inp.served.T @ inp.member).todense(), dtype=np.int64).reshape(n_demand, n_keys)
    nearest = np.full((n_demand, n_keys), -1, dtype=np.int64)
    nearest_km = np.full((n_demand, n_keys), np.nan)
    zugang = np.zeros((n_demand, n_keys))
    basis: list[str] = []
    demand = SphereIndex(inp.demand_lat, inp.demand_lon)
    by_key = inp.member.tocsc()
    for k in range(n_keys):
        sel = by_key.indices[by_key.indptr[k]:by_key.indptr[k + 1]]
        if not len(sel):
            basis.append("kein Angebot")
            continue
        supply = SphereIndex(inp.partner_lat[sel], inp.partner_lon[sel])
        nearest_km[:, k], idx = supply.nearest(inp.demand_lat, inp.demand_lon)
        nearest[:, k] = sel[idx]
        cap, how = effective_capacity(inp.kapazitaet[sel])
        zugang[:, k] = two_step_fca(demand, inp.einwohner, supply, cap, float(inp.schwelle_km[k]))
        basis.append(how)
    reachable = np.nan_to_num(nearest_km, nan=np.inf) <= inp.schwelle_km[None, :]
    status = np.where(serving > 0, 0, np.where(reachable, 1, 2)).astype(np.int8)
    return CoverageResult(serving, nearest, nearest_km, status, zugang, basis)


# ------------------------------------------------------------------------ frames
MATRIX_COLUMNS = ["ags", "gemeinde", "sozialraum", "sozialraum_name", "verbandsgemeinde", "einwohner", "key", "typ",
                  "label", "schwelle_km", "serving", "nearest_id", "nearest_name", "nearest_km", "status", "zugang",
                  "kapazitaet_basis"]


def coverage_matrix(partners: pd.DataFrame, gazetteer: Gazetteer, keys: list[Key]) -> pd.DataFrame:
    """One row per Gemeinde of the Kreis × key (key-major, AGS order); see :data:`MATRIX_COLUMNS`."""
    active = partners[partners["aktiv"].astype(bool)]
    res = compute(prepare(active, gazetteer, keys))
    orte = gazetteer.orte
    rows = np.flatnonzero(orte["im_kreis"].to_numpy(bool))
    g = orte.iloc[rows]
    n, k = len(rows), len(keys)
    near = res.nearest[rows].T.ravel()
    ids = active.index.to_numpy(dtype=object)
    names = active["name"].to_numpy(dtype=object)
    has = near >= 0
    frame = pd.DataFrame({
        "ags": np.tile(g["ags"].to_numpy(), k), "gemeinde": np.tile(g["name"].to_numpy(), k),
        "sozialraum": np.tile(g["sozialraum_id"].to_numpy(), k),
        "sozialraum_name": np.tile(g["sozialraum_name"].to_numpy(), k),
        "verbandsgemeinde": np.tile(g["vg_name"].to_numpy(), k),
        "einwohner": np.tile(g["einwohner"].fillna(0).to_numpy(np.int64), k),
        "key": np.repeat([x.id for x in keys], n), "typ": np.repeat([x.typ for x in keys], n),
        "label": np.repeat([x.label for x in keys], n), "schwelle_km": np.repeat([x.schwelle_km for x in keys], n),
        "serving": res.serving[rows].T.ravel(),
        "nearest_id": np.where(has, ids[np.maximum(near, 0)] if len(ids) else None, None),
        "nearest_name": np.where(has, names[np.maximum(near, 0)] if len(ids) else None, None),
        "nearest_km": res.nearest_km[rows].T.ravel(),
        "status": np.asarray(STATUS)[res.status[rows].T.ravel()],
        "zugang": res.zugang[rows].T.ravel(),
        "kapazitaet_basis": np.repeat(res.kapazitaet_basis, n),
    })
    return frame[MATRIX_COLUMNS]


def sozialraum_summary(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per key × Sozialraum (plus „Landkreis gesamt“): Gemeinden and inhabitants by status."""
    m = matrix.assign(**{f"ew_{s}": matrix["einwohner"].where(matrix["status"] == s, 0) for s in STATUS},
                      **{f"gem_{s}": (matrix["status"] == s).astype(int) for s in STATUS})
    agg = {"gemeinden": ("ags", "size"), "einwohner": ("einwohner", "sum"),
           **{f"einwohner_{s}": (f"ew_{s}", "sum") for s in STATUS},
           **{f"gemeinden_{s}": (f"gem_{s}", "sum") for s in STATUS}}
    per_sr = m.groupby(["key", "typ", "label", "sozialraum", "sozialraum_name"], sort=False).agg(**agg).reset_index()
    total = m.groupby(["key", "typ", "label"], sort=False).agg(**agg).reset_index()
    total["sozialraum"], total["sozialraum_name"] = "kreis", "Landkreis gesamt"
    out = pd.concat([per_sr, total], ignore_index=True)
    key_order = list(dict.fromkeys(zip(matrix["key"], matrix["typ"])))
    out["_k"] = [key_order.index(kt) for kt in zip(out["key"], out["typ"])]
    out["_s"] = pd.Categorical(out["sozialraum"], categories=[*SOZIALRAUM_IDS, "kreis"], ordered=True)
    out = out.sort_values(["_k", "_s"], kind="stable").drop(columns=["_k", "_s"]).reset_index(drop=True)
    out["anteil_ohne_zustaendiges"] = (100.0 * (out["einwohner"] - out["einwohner_versorgt"]) / out["einwohner"]).round(1)
    out["anteil_nicht_versorgt"] = (100.0 * out["einwohner_nicht_versorgt"] / out["einwohner"]).round(1)
    return out


def gap_list(matrix: pd.DataFrame, bedarfe: pd.DataFrame | None = None) -> pd.DataFrame:
    """Gemeinde × key without a serving partner, worst first: not covered, then most inhabitants.

    ``meldungen`` counts Bedarfsmeldungen (columns ``ags``, ``bedarf``) for the same Gemeinde and key.
    """
    gaps = matrix[matrix["status"] != "versorgt"].copy()
    if bedarfe is not None and len(bedarfe):
        counts = bedarfe.groupby(["ags", "bedarf"]).size()
        gaps["meldungen"] = [int(counts.get((a, k), 0)) for a, k in zip(gaps["ags"], gaps["key"])]
    else:
        gaps["meldungen"] = 0
    gaps["_rank"] = gaps["status"].map({"nicht_versorgt": 0, "erreichbar": 1})
    gaps = gaps.sort_values(["_rank", "einwohner", "meldungen", "ags", "key"], ascending=[True, False, False, True, True])
    return gaps.drop(columns="_rank").reset_index(drop=True)


def status_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """Gemeinde (rows, AGS order) × key (columns) of status values, for the heat-map."""
    col = matrix["key"].where(matrix["typ"] == "kategorie", matrix["key"] + " (Bedarf)")
    wide = matrix.assign(_col=col).pivot(index=["ags", "gemeinde", "sozialraum"], columns="_col", values="status")
    return wide[list(dict.fromkeys(col))]


@dataclass
class CoverageReport:
    """Everything the Abdeckung page shows for a set of keys (one computation per data version)."""

    keys: list[Key]
    matrix: pd.DataFrame
    summary: pd.DataFrame
    gaps: pd.DataFrame


def coverage_report(partners: pd.DataFrame, gazetteer: Gazetteer, keys: list[Key],
                    bedarfe: pd.DataFrame | None = None) -> CoverageReport:
    """Matrix, Sozialraum summary and ranked gap list (with Bedarfsmeldungen counts) for ``keys``."""
    matrix = coverage_matrix(partners, gazetteer, keys)
    return CoverageReport(keys, matrix, sozialraum_summary(matrix), gap_list(matrix, bedarfe))

"""What-if for the coverage view: add hypothetical partners or remove existing ones, in memory only.

Nothing is written: the scenario is a modified copy of the typed partner frame that runs
through the same :func:`graph.abdeckung.coverage.coverage_matrix` as the real data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from geo.gazetteer import Gazetteer
from graph.abdeckung.coverage import STATUS, Key, coverage_matrix, sozialraum_summary
from graph.core.model import empty_record, parse_partners, validate_partners
from graph.core.taxonomy import Taxonomy
from graph.errors import Issue, NotFoundError, ValidationError

HYPOTHETICAL_PREFIX = "plan-"


@dataclass(frozen=True)
class Hypothetical:
    """A planned offer: category and tags, location (Gemeinde or point) and Einzugsgebiet."""

    kategorie: str
    angebote: tuple[str, ...] = ()
    ags: str | None = None
    lat: float | None = None
    lon: float | None = None
    einzugsgebiet: tuple[str, ...] = ()
    kapazitaet: int | None = None
    name: str = "Geplantes Angebot"


@dataclass
class WhatIf:
    """Before/after matrices of the scenario's keys and what changed."""

    before: pd.DataFrame
    after: pd.DataFrame
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)


def hypothetical_rows(plans: list[Hypothetical], gazetteer: Gazetteer, taxonomy: Taxonomy) -> pd.DataFrame:
    """Typed partner rows for planned offers; raises :class:`ValidationError` (German, per plan)."""
    records, issues = [], []
    for n, plan in enumerate(plans, start=1):
        ags = plan.ags
        if not ags and plan.lat is not None and plan.lon is not None:
            ags = gazetteer.locate(plan.lat, plan.lon)
            if ags is None:
                issues.append(Issue(n, "lat", "Der Punkt liegt weder im Landkreis noch in der Stadt Trier – "
                                              "bitte einen Ort in der Region wählen."))
                continue
        rec = empty_record()
        rec.update(id=f"{HYPOTHETICAL_PREFIX}{n}", name=plan.name, kategorie=plan.kategorie,
                   angebote=";".join(plan.angebote), ags=ags or "", einzugsgebiet=";".join(plan.einzugsgebiet),
                   lat="" if plan.lat is None else f"{plan.lat:.6f}", lon="" if plan.lon is None else f"{plan.lon:.6f}",
                   kapazitaet="" if plan.kapazitaet is None else str(plan.kapazitaet), aktiv="ja", version="1")
        records.append(rec)
        found = validate_partners(pd.DataFrame([rec]), gazetteer, taxonomy, first_row=n)
        issues += [i for i in found if i.level == "fehler"]
    if issues:
        raise ValidationError(issues, "Geplantes Angebot: " + "; ".join(f"{i.field}: {i.message}" for i in issues))
    return parse_partners(pd.DataFrame(records))


def scenario(partners: pd.DataFrame, added: pd.DataFrame | None = None, removed: list[str] = ()) -> pd.DataFrame:
    """The typed partner frame with ``removed`` ids dropped and ``added`` rows appended."""
    unknown = [pid for pid in removed if pid not in partners.index]
    if unknown:
        raise NotFoundError(f"Kein Partner mit Kennung {', '.join(f'„{u}“' for u in unknown)}")
    out = partners.drop(index=list(removed))
    if added is not None and len(added):
        out = pd.concat([out, added.reindex(columns=out.columns)])
    return out


def what_if(partners: pd.DataFrame, gazetteer: Gazetteer, taxonomy: Taxonomy, keys: list[Key],
            add: list[Hypothetical] = (), remove: list[str] = ()) -> WhatIf:
    """Coverage of ``keys`` before and after adding ``add`` and removing ``remove`` (data untouched)."""
    before = coverage_matrix(partners, gazetteer, keys)
    added = hypothetical_rows(list(add), gazetteer, taxonomy) if add else None
    after = coverage_matrix(scenario(partners, added, list(remove)), gazetteer, keys)
    merged = before.merge(after[["ags", "key", "typ", "serving", "nearest_id", "nearest_km", "status"]],
                          on=["ags", "key", "typ"], suffixes=("_vorher", "_nachher"))
    changed = merged[(merged["status_vorher"] != merged["status_nachher"])
                     | (merged["serving_vorher"] != merged["serving_nachher"])]
    changes = changed[["ags", "gemeinde", "sozialraum", "einwohner", "key", "typ", "label", "status_vorher",
                       "status_nachher", "serving_vorher", "serving_nachher", "nearest_km_vorher",
                       "nearest_km_nachher"]].reset_index(drop=True)
    return WhatIf(before, after, changes, _delta(before, after))


def _delta(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Per key (Landkreis gesamt): inhabitants and Gemeinden per status before, after and the change."""
    cols = [f"{what}_{s}" for what in ("einwohner", "gemeinden") for s in STATUS]
    b, a = (sozialraum_summary(m).query("sozialraum == 'kreis'").set_index(["key", "typ", "label"])[cols]
            for m in (before, after))
    out = pd.concat({"vorher": b, "nachher": a, "aenderung": a - b}, axis=1)
    out.columns = [f"{c}_{when}" for when, c in out.columns]
    return out.reset_index()

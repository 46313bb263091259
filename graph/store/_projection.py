"""What the graph database holds for the reference data and for partner rows (rows → nodes and links).

Partner links are derived with the same parsing as the networkx graph
(:func:`graph.core.model.parse_partners`, :func:`graph.core.network.traeger_key`), so both paths agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from geo.gazetteer import KREIS_AGS, KREIS_NAME, Area
from graph.core.model import PARTNER_COLUMNS, Record, parse_partners
from graph.core.network import traeger_key

if TYPE_CHECKING:
    from geo.gazetteer import Gazetteer
    from graph.core.taxonomy import Taxonomy


def records_by_id(frame: pd.DataFrame, columns: list[str]) -> dict[str, Record]:
    """Rows of a raw table restricted to ``columns`` (missing ones empty, all text), keyed by ``id``."""
    f = frame.reindex(columns=columns, fill_value="").fillna("").astype(str)
    return {r["id"]: r for r in f.to_dict("records")}


def reference_rows(gaz: Gazetteer, tax: Taxonomy) -> tuple[dict[str, list[dict]], list[dict]]:
    """Reference nodes per label (``{"id", "props"}``) and the IN links (child token → parent token)."""
    def area(kind: str, ident: str, name: str, **extra) -> dict:
        token = Area(kind, ident, name).token
        return {"id": ident, "props": {"name": name, "token": token, **extra}}

    nodes: dict[str, list[dict]] = {
        "Kreis": [area("kreis", KREIS_AGS, KREIS_NAME)],
        "Sozialraum": [area("sozialraum", sr.id, sr.name) for sr in gaz.sozialraeume.itertuples()],
        "Verbandsgemeinde": [area("vg", vg.ars, vg.name) for vg in gaz.verbandsgemeinden.itertuples()],
        "Gemeinde": [area("gemeinde", o.ags, o.name, im_kreis=bool(o.im_kreis), lat=float(o.lat), lon=float(o.lon),
                          einwohner=None if pd.isna(o.einwohner) else int(o.einwohner))
                     for o in gaz.orte.itertuples()],
        "Kategorie": [{"id": k, "props": {"name": r["label"]}} for k, r in tax.kategorien.iterrows()],
        "Angebot": [{"id": t, "props": {"name": r["label"]}} for t, r in tax.angebote.iterrows()],
    }
    links = [{"c": f"sr:{sr}", "p": "kreis"} for sr in gaz.sozialraeume.index]
    links += [{"c": f"vg:{vg}", "p": "kreis"} for vg in gaz.verbandsgemeinden.index]
    for o in gaz.gemeinden.itertuples():
        links += [{"c": f"gem:{o.ags}", "p": f"vg:{o.vg_ars}"}, {"c": f"gem:{o.ags}", "p": f"sr:{o.sozialraum_id}"}]
    return nodes, links


def partner_props(record: Record) -> dict[str, str]:
    """The Partner node's properties: every contract column, verbatim as text."""
    return {c: str(record.get(c, "")) for c in PARTNER_COLUMNS}


def partner_links(records: list[Record]) -> dict[str, list[dict]]:
    """Link rows per relationship type (``{"p": partner id, "t": target key}``) for the records."""
    links: dict[str, list[dict]] = {"LIEGT_IN": [], "VERSORGT": [], "GEHOERT_ZU": [], "IST": [], "BIETET": []}
    if not records:
        return links
    typed = parse_partners(pd.DataFrame(records, columns=PARTNER_COLUMNS))
    for p in typed.itertuples(index=False):
        links["LIEGT_IN"].append({"p": p.id, "t": p.ags})
        links["VERSORGT"] += [{"p": p.id, "t": t} for t in dict.fromkeys(p.einzugsgebiet or (f"gem:{p.ags}",))]
        if str(p.traeger).strip():
            links["GEHOERT_ZU"].append({"p": p.id, "t": traeger_key(p.traeger), "name": str(p.traeger).strip()})
        links["IST"].append({"p": p.id, "t": p.kategorie})
        links["BIETET"] += [{"p": p.id, "t": t} for t in dict.fromkeys(p.angebote)]
    return links

"""Filter changes on the Karte/Verzeichnis: vectorised PartnerIndex, map building, a whole page rerun.

Baselines in the same run: row-by-row Python filtering (what a straightforward loop does),
one folium ``Marker`` + ``Popup`` + ``Tooltip`` per partner, and a page rerun with cold caches.
"""

from __future__ import annotations

import math
import random
from datetime import date
from pathlib import Path

import pandas as pd

from bench.run import result, timed
from geo.gazetteer import Gazetteer
from geo.names import search_key
from graph.core.taxonomy import Taxonomy
from graph.settings import DEFAULT_DATA_DIR
from graph.verzeichnis.filters import GEBIET_MODI, PartnerFilter, PartnerIndex

APP = Path(__file__).resolve().parent.parent / "app.py"


def naive_filter(records: list[dict], f: PartnerFilter, gazetteer: Gazetteer, taxonomy: Taxonomy,
                 today: date) -> list[str]:
    """Reference implementation: test every record in a Python loop (ids in input order)."""
    places = None
    if f.has_area:
        g = gazetteer.orte
        places = {a for a in g.index if (not f.sozialraeume or g.at[a, "sozialraum_id"] in f.sozialraeume)
                  and (not f.verbandsgemeinden or g.at[a, "vg_ars"] in f.verbandsgemeinden)
                  and (not f.gemeinden or a in f.gemeinden)}
    words = search_key(f.suche).split()
    out = []
    for r in records:
        if f.nur_aktiv and not r["aktiv"]:
            continue
        if f.kategorien and r["kategorie"] not in f.kategorien:
            continue
        if f.angebote:
            hits = [t in r["angebote"] for t in f.angebote]
            if not (all(hits) if f.alle_angebote else any(hits)):
                continue
        if f.sprachen and not any(s in r["sprachen"] for s in f.sprachen):
            continue
        if f.barrierefrei and r["barrierefrei"] not in f.barrierefrei:
            continue
        if f.alter_von is not None and not (math.isnan(r["alter_bis"]) or r["alter_bis"] >= f.alter_von):
            continue
        if f.alter_bis is not None and not (math.isnan(r["alter_von"]) or r["alter_von"] <= f.alter_bis):
            continue
        if f.geprueft_monate is not None:
            checked = pd.to_datetime(r["geprueft_am"], format="%Y-%m-%d", errors="coerce")
            if pd.isna(checked) or checked < pd.Timestamp(today) - pd.DateOffset(months=f.geprueft_monate):
                continue
        if places is not None:
            located = r["ags"] in places
            tokens = [t for t in r["einzugsgebiet"] if t] or [f"gem:{r['ags']}"]
            served = any(set(gazetteer.gemeinden_in(t)) & places for t in tokens)
            ok = {"sitz": located, "versorgt": served, "sitz_oder_versorgt": located or served}[f.gebiet]
            if not ok:
                continue
        if words:
            text = search_key(" ".join([r["name"], r["traeger"], taxonomy.label(r["kategorie"]), r["ort"],
                                        str(gazetteer.orte["name"].get(r["ags"], "")),
                                        *(taxonomy.label(t) for t in r["angebote"])]))
            if not all(w in text for w in words):
                continue
        out.append(r["id"])
    return out


def random_filters(index: PartnerIndex, n: int, rng: random.Random) -> list[PartnerFilter]:
    """``n`` plausible filter settings (a few restrictions each) drawn from the data's own values."""
    gaz, tax = index.gazetteer, index.taxonomy
    words = sorted({w for name in index.partners["name"] for w in name.split() if len(w) > 3})
    out = []
    for _ in range(n):
        kw: dict = {"nur_aktiv": rng.random() < 0.8}
        for _ in range(rng.randint(1, 3)):
            pick = rng.choice(["kat", "tag", "sr", "vg", "gem", "age", "lang", "bf", "checked", "text"])
            if pick == "kat":
                kw["kategorien"] = tuple(rng.sample(tax.category_ids, rng.randint(1, 3)))
            elif pick == "tag":
                kw["angebote"] = tuple(rng.sample(tax.tag_ids, rng.randint(1, 3)))
                kw["alle_angebote"] = rng.random() < 0.3
            elif pick == "sr":
                kw["sozialraeume"] = tuple(rng.sample(list(gaz.sozialraeume.index), rng.randint(1, 2)))
            elif pick == "vg":
                kw["verbandsgemeinden"] = (rng.choice(list(gaz.verbandsgemeinden.index)),)
            elif pick == "gem":
                kw["gemeinden"] = tuple(rng.sample(list(gaz.orte.index), rng.randint(1, 3)))
            elif pick == "age":
                a = rng.randint(0, 20)
                kw["alter_von"], kw["alter_bis"] = a, a + rng.choice([0, 0, 3, 8])
            elif pick == "lang":
                kw["sprachen"] = (rng.choice(index.languages),)
            elif pick == "bf":
                kw["barrierefrei"] = rng.choice([("ja",), ("ja", "teilweise"), ("unbekannt",)])
            elif pick == "checked":
                kw["geprueft_monate"] = rng.choice([3, 6, 12, 24])
            else:
                kw["suche"] = rng.choice(words)
            kw["gebiet"] = rng.choice(list(GEBIET_MODI))
        out.append(PartnerFilter(**kw))
    return out


def _sample() -> tuple[pd.DataFrame, Gazetteer, Taxonomy]:
    from graph.services import Directory

    d = Directory(DEFAULT_DATA_DIR)
    return d.snapshot().partners, d.gazetteer, d.taxonomy


def bench_filter_change(quick: bool) -> dict:
    """One filter change on the sample (322 partners): PartnerIndex vs a row-by-row loop."""
    partners, gaz, tax = _sample()
    index = PartnerIndex(partners, gaz, tax)
    filters = random_filters(index, 20 if quick else 100, random.Random(1))
    records = partners.to_dict("records")
    today = date.today()
    ours = timed(lambda: [index.apply(f, today) for f in filters]) / len(filters)
    base = timed(lambda: [naive_filter(records, f, gaz, tax, today) for f in filters], repeat=1) / len(filters)
    return result("filteraenderung_beispieldaten", ours, base, target_ms=300.0)


def bench_map_build(quick: bool) -> dict:
    """Building and rendering the full partner map: one JSON marker layer vs a folium element per marker."""
    import folium

    from geo.maps import partners as maps

    partners, gaz, tax = _sample()
    active = partners[partners["aktiv"]]

    def ours() -> None:
        maps.partner_map(gaz, tax, maps.partner_points(active, tax, gaz)).get_root().render()

    def baseline() -> None:
        m = maps.base_map(gaz)
        maps.add_boundaries(m, gaz)
        for rec in active.dropna(subset=["lat", "lon"]).to_dict("records"):  # vertrauliche Adressen: kein Punkt
            folium.Marker([rec["lat"], rec["lon"]], tooltip=folium.Tooltip(maps.html_text(rec["name"])),
                          icon=folium.DivIcon(html=maps.marker_html(rec["kategorie"], tax)),
                          popup=folium.Popup(maps.popup_html(rec, tax))).add_to(m)
        m.get_root().render()

    return result("karte_aufbauen_und_rendern", timed(ours, repeat=2 if quick else 5),
                  timed(baseline, repeat=1), target_ms=300.0)


def bench_karte_rerun(quick: bool) -> dict:
    """A Karte page rerun after a filter change (AppTest, warm caches) vs the same run with cold caches."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/karte.py")
    at.run()
    choices = [["kita"], ["schule"], ["verein", "jugendarbeit"], []]

    def change() -> None:
        for value in choices:
            at.multiselect(key="karte_kategorien").set_value(value).run()

    warm = timed(change, repeat=2 if quick else 4) / len(choices)

    def cold() -> None:
        st.cache_resource.clear()
        st.cache_data.clear()
        at.multiselect(key="karte_kategorien").set_value(["kita"]).run()

    return result("karte_neu_nach_filteraenderung_apptest", warm, timed(cold, repeat=1), target_ms=300.0)

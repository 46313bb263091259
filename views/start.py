"""Start page: what the tool is, where to begin, counts per Sozialraum and category, data freshness."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.stats import directory_stats
from views.shared import attribution_caption, directory, sample_banner, snapshot

st.title("Netzwerkpartner-Karte Trier-Saarburg")
st.markdown(
    "Das Werkzeug des Jugendamts für die **Netzwerkarbeit in den vier Sozialräumen** "
    "(Konz; Schweich / Trier-Land / Ruwer; Hermeskeil; Saarburg): Wer bietet was, wo, für wen – "
    "und wo fehlt etwas?"
)
snap = snapshot()
sample_banner(snap)

st.subheader("Wo fange ich an?")
c1, c2, c3 = st.columns(3)
c1.markdown("**Netzwerker / Lotse**  \nEine Familie braucht Hilfe? In der **Fallsuche** Gemeinde, Alter und Bedarf "
            "eingeben – es wird nichts über die Familie gespeichert.")
c2.markdown("**Leitstelle Familie**  \nPartner im **Verzeichnis** ansehen, in der **Pflege** ergänzen, prüfen, "
            "importieren und exportieren.")
c3.markdown("**Workshop**  \nAuf der **Karte** und in der **Abdeckung** sehen, welchen Gemeinden welche Angebote fehlen.")

stats = directory_stats(snap)
st.subheader("Partner je Sozialraum")
cols = st.columns(len(stats["sozialraeume"]))
for col, sr in zip(cols, stats["sozialraeume"]):
    col.metric(sr["name"], sr["anzahl"], help="aktive Partner mit Sitz in diesem Gebiet")

st.subheader("Partner je Kategorie und Sozialraum")
labels = {k["id"]: k["label"] for k in stats["kategorien"]}
table = pd.DataFrame({sr["name"]: sr["kategorien"] for sr in stats["sozialraeume"]}).rename(index=labels)
table["Gesamt"] = table.sum(axis=1)
st.dataframe(table, width="stretch")

st.subheader("Aktualität der Daten")
f1, f2, f3 = st.columns(3)
f1.metric("Aktive Partner", f"{stats['partner_aktiv']} von {stats['partner_gesamt']}")
f2.metric("Zuletzt geprüft", stats["zuletzt_geprueft"] or "–")
f3.metric("Ohne Prüfdatum", stats["ohne_pruefdatum"])
d = directory()
st.caption(f"Datenquelle: {d.store.describe()}")
attribution_caption()

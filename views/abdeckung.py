"""Page „Abdeckung“: which Gemeinden lack which offers – map, Sozialräume, gaps, matrix, what-if, Bedarfsmeldungen."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from graph.abdeckung.coverage import KEY_TYPE_LABELS, CoverageReport, Key, coverage_report, resolve_keys, status_table
from graph.abdeckung.meldungen import MAX_TEXT, QUELLEN, WRITE_ROLE
from graph.abdeckung.whatif import Hypothetical, what_if
from graph.core.roles import ROLE_LABELS, has_role
from graph.errors import ForbiddenError, NetzwerkError, ValidationError
from graph.io.tabular import to_xlsx_bytes
from views.parts import hilfe
from views.parts.abdeckung import TAB_INPUTS, TAB_KEY
from views.parts.abdeckung.karte import STATUS_TEXT, last_click, map_section, whatif_map
from views.parts.shared import (
    attribution_caption,
    current_actor,
    current_role,
    directory,
    sample_banner,
    show_issues,
    snapshot,
)
from views.parts.tables import show_table
from views.parts.ui import keep_inputs, open_tab_only, page_help, presentation_mode

STATUS_COLOUR = {"versorgt": "#c6dbef", "erreichbar": "#fdd0a2", "nicht_versorgt": "#fb6a4a"}
GAP_COLUMNS = {"gemeinde": "Gemeinde", "sozialraum_name": "Sozialraum", "verbandsgemeinde": "Verbandsgemeinde",
               "label": "Kategorie / Bedarf", "einwohner": "Einwohner insgesamt", "status": "Status",
               "nearest_name": "Nächstes Angebot", "nearest_km": "Entfernung (km)", "schwelle_km": "Reichweite (km)",
               "meldungen": "Bedarfsmeldungen", "zugang": "Zugangsindex (2SFCA)"}
SUMMARY_COLUMNS = {"sozialraum_name": "Sozialraum", "gemeinden": "Gemeinden", "einwohner": "Einwohner insgesamt",
                   "gemeinden_versorgt": "Gemeinden versorgt", "gemeinden_erreichbar": "Gemeinden erreichbar",
                   "gemeinden_nicht_versorgt": "Gemeinden nicht versorgt",
                   "einwohner_ohne": "Einwohner ohne zuständiges Angebot",
                   "anteil_ohne_zustaendiges": "Anteil ohne zuständiges Angebot (%)",
                   "einwohner_nicht_versorgt": "Einwohner außer Reichweite",
                   "anteil_nicht_versorgt": "Anteil außer Reichweite (%)"}


@st.cache_data(show_spinner="Abdeckung wird berechnet …", max_entries=8)
def _report(token: str, bedarf_token: str) -> CoverageReport:
    """All categories and need tags for one data version (the arguments are the cache key)."""
    d = directory()
    return coverage_report(snapshot().partners, d.gazetteer, resolve_keys(d.taxonomy), d.bedarfe.load())


def _key_picker(keys: list[Key], large: bool) -> Key:
    """Bedarf or Kategorie to look at: in the sidebar, or in presentation mode (no sidebar) in a compact bar."""
    bar = st.container(border=True, key="nk-steuerleiste") if large else st.sidebar
    first, second, third = bar.columns([2, 3, 4], vertical_alignment="center") if large else (bar, bar, bar)
    typ = first.radio("Abdeckung für", ["bedarf", "kategorie"], key="abdeckung_typ", horizontal=True,
                      format_func=KEY_TYPE_LABELS.get,
                      help="Bedarf = Angebot aus der Taxonomie (z. B. Sport); Kategorie = Art des Partners (z. B. Kita)")
    options = [k for k in keys if k.typ == typ]
    default = next((i for i, k in enumerate(options) if k.id == "kinder-psychisch-kranker-eltern"), 0)
    key = second.selectbox(KEY_TYPE_LABELS[typ], options, index=default,
                           format_func=lambda k: k.label, key=f"abdeckung_key_{typ}")
    third.caption(f"Erreichbar heißt: ein Angebot liegt höchstens **{key.schwelle_km:g} km** Luftlinie entfernt "
                  "(Spalte distanz_km in taxonomie.csv), ist aber für die Gemeinde nicht zuständig.")
    return key


def _metrics(rows: pd.DataFrame, key: Key, meldungen: int) -> None:
    total = int(rows["einwohner"].sum())
    without = int(rows.loc[rows["status"] != "versorgt", "einwohner"].sum())
    far = int(rows.loc[rows["status"] == "nicht_versorgt", "einwohner"].sum())
    counts = rows["status"].value_counts()
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric("Einwohner ohne Angebot", _num(without),
              help="Einwohner insgesamt (Zensus 2022) der Gemeinden, für die kein Partner zuständig ist")
    c2.metric("Anteil am Kreis", f"{100 * without / total:.1f} %".replace(".", ","))
    c3.metric(f"davon weiter als {key.schwelle_km:g} km", _num(far),
              help="Einwohner der Gemeinden, in deren Reichweite gar kein Angebot liegt (nicht versorgt)")
    c4.metric("Gemeinden ✓ / ◐ / ✗", f"{counts.get('versorgt', 0)} / {counts.get('erreichbar', 0)} / "
              f"{counts.get('nicht_versorgt', 0)}", help="versorgt / erreichbar / nicht versorgt")
    c5.metric("Bedarfsmeldungen", meldungen)


def _num(n: float) -> str:
    return f"{int(n):,}".replace(",", ".")


def _gap_table(gaps: pd.DataFrame) -> pd.DataFrame:
    out = gaps[list(GAP_COLUMNS)].assign(status=gaps["status"].map(STATUS_TEXT),
                                          nearest_km=gaps["nearest_km"].round(1), zugang=gaps["zugang"].round(2))
    out.insert(0, "Rang", range(1, len(out) + 1))
    return out.rename(columns=GAP_COLUMNS)


def _summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    s = summary.assign(einwohner_ohne=summary["einwohner"] - summary["einwohner_versorgt"])
    return s[list(SUMMARY_COLUMNS)].rename(columns=SUMMARY_COLUMNS)


def _sozialraum_tab(report: CoverageReport, key: Key) -> None:
    part = report.summary[(report.summary["key"] == key.id) & (report.summary["typ"] == key.typ)]
    show_table(_summary_table(part), hide_index=True, width="stretch")
    st.caption("Einwohner insgesamt nach Zensus 2022 – Altersgruppen liegen für die Gemeinden nicht vor. "
               "„Ohne zuständiges Angebot“ = erreichbar + nicht versorgt.")


def _gap_tab(report: CoverageReport, key: Key, bedarfe: pd.DataFrame) -> None:
    everything = st.toggle("Alle Kategorien und Bedarfe", key="abdeckung_alle_luecken",
                           help="Statt nur der gewählten Auswahl alle Lücken, nach Betroffenen geordnet")
    gaps = report.gaps if everything else report.gaps[(report.gaps["key"] == key.id) & (report.gaps["typ"] == key.typ)]
    if gaps.empty:
        st.success("Keine Lücken: jede Gemeinde hat ein zuständiges Angebot.")
        return
    show_table(_gap_table(gaps), hide_index=True, width="stretch", height=420)
    st.caption("Reihenfolge: zuerst nicht versorgte Gemeinden, dann nach Einwohnerzahl. Zugangsindex: Kapazität je "
               "1.000 Einwohner, wobei weiter entfernte Angebote weniger zählen (Verfahren 2SFCA).")
    sheets = {"Lücken": _gap_table(gaps), "Sozialräume": _summary_table(report.summary if everything else
                                                                         report.summary[report.summary["key"] == key.id]),
              "Bedarfsmeldungen": _bedarf_table(bedarfe)}
    st.download_button("Lückenliste als Excel herunterladen", lambda: to_xlsx_bytes(sheets), key="abdeckung_xlsx",
                       on_click="ignore",
                       file_name=f"luecken_{'alle' if everything else key.id}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _matrix_tab(report: CoverageReport) -> None:
    typ = st.radio("Spalten", ["kategorie", "bedarf"], horizontal=True, key="abdeckung_matrix_typ",
                   format_func={"kategorie": "Kategorien", "bedarf": "Bedarfe"}.get)
    m = report.matrix[report.matrix["typ"] == typ]
    table = status_table(m).droplevel("sozialraum")
    labels = dict(zip(m["key"], m["label"]))
    table.columns = [labels.get(c.removesuffix(" (Bedarf)"), c) for c in table.columns]
    table.index = pd.Index([name for _ags, name in table.index], name="Gemeinde")
    styled = table.style.map(lambda s: f"background-color: {STATUS_COLOUR.get(s, '#ffffff')}; color: #000000") \
        .format(lambda s: STATUS_TEXT.get(s, s)[0])
    show_table(styled, width="stretch", height=560)
    st.caption("✓ versorgt · ◐ erreichbar, aber nicht zuständig · ✗ nicht versorgt (Symbol und Farbe)")


def _whatif_tab(key: Key, large: bool) -> None:
    d, snap = directory(), snapshot()
    tax, gaz = d.taxonomy, d.gazetteer
    gemeinden = gaz.gemeinden.sort_values("name")
    areas = {"kreis": "Landkreis (gesamt)"} | {f"sr:{i}": f"Sozialraum {n}" for i, n in gaz.sozialraeume["name"].items()} \
        | {f"vg:{i}": f"VG {n}" for i, n in gaz.verbandsgemeinden["name"].items()} \
        | {f"gem:{a}": n for a, n in gemeinden["name"].items()}
    of_key = snap.active[snap.active["kategorie"].eq(key.id) if key.typ == "kategorie"
                         else snap.active["angebote"].map(lambda t: key.id in t)]
    click = last_click()
    with st.form("abdeckung_whatif"):
        add_it = st.checkbox("Geplantes Angebot hinzufügen", value=True,
                             help="Ohne Haken wird nur das Entfernen vorhandener Partner durchgespielt. "
                                  "Es wird nichts gespeichert.", key="abdeckung_plan_neu")
        c1, c2 = st.columns(2)
        usual = key.id if key.typ == "kategorie" else (of_key["kategorie"].mode().iat[0] if len(of_key) else "beratung")
        chosen = f"{key.typ}_{key.id}"  # a new need gets its own defaults (not the last need's choice)
        kat = c1.selectbox("Kategorie", tax.category_ids, format_func=tax.label, index=tax.category_ids.index(usual),
                           key=f"abdeckung_plan_kategorie_{chosen}",
                           help=f"Vorgabe: die häufigste Kategorie der Partner mit „{key.label}“")
        tags = c2.multiselect("Angebote", tax.tag_ids, default=[key.id] if key.typ == "bedarf" else [],
                              format_func=tax.label, key=f"abdeckung_plan_angebote_{chosen}",
                              placeholder="Bitte wählen …")
        if click is None:  # no greyed-out choice (hard to read): say how to get one
            where = "gemeinde"
            c1.caption("Ort: die Gemeinde rechts. Für einen genauen Punkt zuerst im Reiter „Karte“ in die Karte "
                       "klicken.")
        else:
            where = c1.radio("Ort", ["gemeinde", "klick"], horizontal=True,
                             format_func={"gemeinde": "Gemeinde", "klick": "Punkt auf der Karte"}.get,
                             help="Einen Punkt wählen Sie durch Klick in die Karte im Reiter „Karte“.",
                             key="abdeckung_plan_ort")
        names = gemeinden["name"].to_dict()
        ags = c2.selectbox("Gemeinde", list(names), format_func=names.get,
                           key="abdeckung_plan_gemeinde")
        area = st.multiselect("Einzugsgebiet", list(areas), format_func=areas.get,
                              help="Wen das Angebot versorgt", key="abdeckung_plan_gebiet",
                              placeholder="leer = nur die eigene Gemeinde")
        cap = c1.number_input("Kapazität (Plätze bzw. Fälle pro Jahr)", min_value=0, value=None, step=5,
                              help="Leer = unbekannt (Median der übrigen Partner)", key="abdeckung_plan_kapazitaet")
        offer_names = of_key["name"].to_dict()
        remove = c2.multiselect(f"Partner entfernen ({key.label})", list(offer_names),
                                format_func=offer_names.get, key="abdeckung_plan_entfernen",
                                placeholder="keinen")
        go = st.form_submit_button("Szenario berechnen", type="primary")
    if click is not None:
        st.caption(f"Zuletzt angeklickter Kartenpunkt: {click[0]:.5f}, {click[1]:.5f}")
    if not go:
        return
    plan = [] if not add_it else [Hypothetical(kat, tuple(tags), ags=ags if where == "gemeinde" else None,
                                                      lat=click[0] if where == "klick" else None,
                                                      lon=click[1] if where == "klick" else None,
                                                      einzugsgebiet=tuple(area), kapazitaet=cap)]
    try:  # only the chosen key: that is what the page and the map show
        result = what_if(snap.partners, gaz, tax, [key], add=plan, remove=remove)
    except NetzwerkError as exc:
        st.error(str(exc))
        return
    s = result.summary
    for r in s.itertuples(index=False):
        gained = r.einwohner_versorgt_aenderung
        st.metric(f"{r.label}: Einwohner mit zuständigem Angebot", _num(r.einwohner_versorgt_nachher),
                  f"{'+' if gained >= 0 else '−'}{_num(abs(gained))}", help="vorher → nachher, Einwohner insgesamt")
    if add_it and not (kat == key.id or key.id in tags):
        st.caption(f"Das geplante Angebot zählt für „{key.label}“ nur, wenn es diese Kategorie hat bzw. diesen "
                   "Bedarf anbietet.")
    whatif_map(result.after, key, list(result.changes["ags"]), large)
    if result.changes.empty:
        st.info("Keine Gemeinde ändert ihren Status.")
    else:
        ch = result.changes.assign(status_vorher=result.changes["status_vorher"].map(STATUS_TEXT),
                                   status_nachher=result.changes["status_nachher"].map(STATUS_TEXT))
        show_table(ch[["gemeinde", "label", "einwohner", "status_vorher", "status_nachher", "serving_vorher",
                         "serving_nachher"]].rename(columns={
                             "gemeinde": "Gemeinde", "label": "Kategorie / Bedarf", "einwohner": "Einwohner insgesamt",
                             "status_vorher": "vorher", "status_nachher": "nachher",
                             "serving_vorher": "zuständige Partner vorher", "serving_nachher": "nachher (Anzahl)"}),
                     hide_index=True, width="stretch")


def _bedarf_table(bedarfe: pd.DataFrame) -> pd.DataFrame:
    d = directory()
    names = d.gazetteer.orte["name"]
    return pd.DataFrame({"Datum": bedarfe["datum"], "Gemeinde": bedarfe["ags"].map(names).fillna(bedarfe["ags"]),
                         "Bedarf": bedarfe["bedarf"].map(d.taxonomy.label), "Text": bedarfe["text"],
                         "Quelle": bedarfe["quelle"], "Beispiel": bedarfe["beispiel"].eq("ja").map({True: "ja", False: ""})})


def _bedarf_tab(key: Key, bedarfe: pd.DataFrame) -> None:
    only = st.toggle(f"Nur „{key.label}“", value=True, key="abdeckung_bedarf_filter")
    shown = bedarfe[bedarfe["bedarf"] == key.id] if only else bedarfe
    if shown.empty:
        st.info("Keine Bedarfsmeldungen" + (f" zu „{key.label}“." if only else "."))
    else:
        show_table(_bedarf_table(shown.sort_values("datum", ascending=False)), hide_index=True, width="stretch")
    role = current_role()
    st.markdown("**Neue Bedarfsmeldung**")
    if not has_role(role, WRITE_ROLE):
        st.info(f"Bedarfsmeldungen erfassen können angemeldete Nutzer mit der Rolle {ROLE_LABELS[WRITE_ROLE]} oder "
                f"höher (derzeit: {ROLE_LABELS.get(role, role)}).", icon="🔒")
        return
    _bedarf_form(key, role)


def _bedarf_form(key: Key, role: str) -> None:
    d = directory()
    gemeinden = d.gazetteer.gemeinden.sort_values("name")
    needs = d.taxonomy.tag_ids + [c for c in d.taxonomy.category_ids if c not in d.taxonomy.tag_ids]
    with st.form("abdeckung_bedarf_form", clear_on_submit=True):
        c1, c2 = st.columns(2)
        ags = c1.selectbox("Gemeinde", list(gemeinden.index), format_func=lambda a: gemeinden.at[a, "name"],
                           key="abdeckung_meldung_gemeinde")
        need = c2.selectbox("Was fehlt?", needs, index=needs.index(key.id) if key.id in needs else 0,
                            format_func=d.taxonomy.label, key="abdeckung_meldung_bedarf")
        text = st.text_area("Beschreibung", max_chars=MAX_TEXT, placeholder="z. B. In Zerf fehlt ein Sportangebot "
                            "für Grundschulkinder am Nachmittag.",
                            help="Anonym: keine Namen, Anschriften, Telefonnummern, E-Mail- oder Geburtsdaten.",
                            key="abdeckung_meldung_text")
        when = c1.date_input("Festgestellt am", value=date.today(), max_value=date.today(), format="DD.MM.YYYY",
                             key="abdeckung_meldung_datum")
        source = c2.selectbox("Quelle", QUELLEN, key="abdeckung_meldung_quelle")
        sent = st.form_submit_button("Bedarfsmeldung speichern")
    if sent:
        record = {"ags": ags, "bedarf": need, "text": text, "datum": when.isoformat(), "quelle": source}
        try:
            saved = d.bedarfe.add(record, current_actor())
        except ValidationError as exc:
            show_issues(exc.issues)
        except (ForbiddenError, NetzwerkError) as exc:
            st.error(str(exc))
        else:
            st.success(f"Bedarfsmeldung {saved['id']} gespeichert.")
            st.rerun()


keep_inputs(TAB_INPUTS)
st.title("Abdeckung")
intro, switch = st.columns([3, 1])
intro.markdown("Welche Gemeinden haben für einen Bedarf **kein zuständiges Angebot** – und wie viele Menschen leben "
               "dort?")
with switch:
    large = presentation_mode("abdeckung")
page_help(hilfe.ABDECKUNG)
snap = snapshot()
sample_banner(snap)
register = directory().bedarfe
report = _report(snap.token, register.token())
holder = st.container()  # the picker's place in presentation mode; always there, so the map keeps its frame
with holder:
    chosen = _key_picker(report.keys, large)
rows = report.matrix[(report.matrix["key"] == chosen.id) & (report.matrix["typ"] == chosen.typ)]
meldungen = register.load()
_metrics(rows, chosen, int((meldungen["bedarf"] == chosen.id).sum()))
sections = {  # only the open tab is drawn: a change of need redraws one section, not six
    "Karte": lambda: map_section(rows, chosen, meldungen[meldungen["bedarf"] == chosen.id], large),
    "Sozialräume": lambda: _sozialraum_tab(report, chosen),
    "Lückenliste": lambda: _gap_tab(report, chosen, meldungen),
    "Matrix": lambda: _matrix_tab(report),
    "Was wäre wenn?": lambda: _whatif_tab(chosen, large),
    "Bedarfsmeldungen": lambda: _bedarf_tab(chosen, meldungen),
}
open_tab_only(sections, TAB_KEY)
attribution_caption()

"""Generate the fictional sample data in data/ (partners.csv, kooperationen.csv).

Deterministic (fixed seed and reference date). Everything except the public addresses of the
four Sozialraumzentren and the Jugendhilfezentrum Don Bosco Helenenberg is invented: names are
generic, telephone numbers come from the ranges the Bundesnetzagentur reserves for fictional
use (030 23125 xxx), e-mail and web addresses use the reserved ``.example`` top-level domain,
contact persons are made-up names. Deliberate, realistic gaps: few sport clubs in the directory
(none in Sozialraum Hermeskeil), offers for children of mentally ill parents only for the
Sozialräume Konz and Schweich, Familienhebammen not locally present in Hermeskeil.
Capacities (``kapazitaet``) are filled where they are meaningful: Kita places, cases per year
(Erziehungsberatung, Schulsozialarbeit), families per year (Frühe Hilfen), course places per year
(Familienbildung), places of the two projects for children of mentally ill parents; about one in
ten is left empty (unknown), as in real directories. They come from a separate random stream, so
the other columns do not depend on them.

Example Bedarfsmeldungen (``data/bedarfe.csv``, marked ``beispiel = ja``) restate these gaps as
the network would report them.

Run: ``python tools/make_sample_data.py`` (overwrites data/partners.csv, data/kooperationen.csv
and data/bedarfe.csv).
"""

from __future__ import annotations

import csv
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from shapely.geometry import Point

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.distance import haversine_km
from geo.gazetteer import TRIER_AGS
from geo.names import normalize_name
from graph.core.model import KOOPERATION_COLUMNS, PARTNER_COLUMNS
from graph.store.reference import load_gazetteer, load_taxonomy

SEED = 20261101
REFERENCE_DAY = date(2026, 11, 1)
rng = random.Random(SEED)
gaz = load_gazetteer(ROOT / "data")
G = gaz.gemeinden
VG = dict(zip(gaz.verbandsgemeinden["name"], gaz.verbandsgemeinden["ars"]))

FIRST = ["Anna", "Julia", "Sabine", "Maria", "Katrin", "Petra", "Laura", "Sarah", "Nina", "Claudia",
         "Thomas", "Michael", "Stefan", "Andreas", "Markus", "Jan", "Tobias", "Daniel", "Peter", "Lukas"]
LAST = ["Schmitt", "Müller", "Weber", "Wagner", "Becker", "Hoffmann", "Klein", "Schneider", "Meyer", "Fischer",
        "Thiel", "Kremer", "Lorig", "Hansen", "Steffen", "Reiter", "Zender", "Marx", "Kohl", "Feltes"]
STREETS = ["Hauptstraße", "Schulstraße", "Kirchstraße", "Bahnhofstraße", "Am Sportplatz", "Trierer Straße",
           "Brunnenstraße", "Mühlenweg", "Im Flürchen", "Moselstraße", "Saarstraße", "Waldstraße"]
KITA_NAMES = ["Regenbogen", "Sonnenschein", "Pusteblume", "Kunterbunt", "St. Martin", "St. Laurentius",
              "Arche Noah", "Wirbelwind", "Löwenzahn", "Villa Kunterbunt", "Spatzennest", "Zwergenland",
              "St. Nikolaus", "Sonnenblume", "Abenteuerland", "Am Wald", "Mosel-Kinderland", "Sternschnuppe"]

_phone = iter(range(100, 1000))
_used_names: set[str] = set()


@dataclass
class P:
    """A partner under construction."""

    name: str
    traeger: str
    kategorie: str
    angebote: list[str]
    ags: str
    einzugsgebiet: list[str] = field(default_factory=list)
    alter: tuple[str, str] = ("", "")
    sprachen: list[str] = field(default_factory=lambda: ["de"])
    ebene: str = "lokal"
    strasse: str = ""
    latlon: tuple[float, float] | None = None
    notizen: str = ""
    oeffnungszeiten: str = ""
    barrierefrei: str | None = None


partners: list[P] = []


def add(p: P) -> P:
    """Register a partner (names are unique in the sample)."""
    assert p.name not in _used_names, p.name
    _used_names.add(p.name)
    partners.append(p)
    return p


def ags_of(name: str) -> str:
    """AGS of a Gemeinde name."""
    return gaz.resolve(name)


def gname(ags: str) -> str:
    """Name of a Gemeinde."""
    return str(gaz.orte.at[ags, "name"])


def nearest(ags: str, k: int, same_vg: bool = True) -> list[str]:
    """The k nearest other Gemeinden (optionally within the same VG)."""
    row = G.loc[ags]
    cand = G[G.index != ags]
    if same_vg:
        cand = cand[cand["vg_ars"] == row["vg_ars"]]
    d = haversine_km(row["lat"], row["lon"], cand["lat"].to_numpy(), cand["lon"].to_numpy())
    return list(cand.index[np.argsort(d)[:k]])


def point_in(ags: str) -> tuple[float, float]:
    """A random point well inside the Gemeinde polygon, near its reference point."""
    geom = gaz._shapes[ags]  # km plane
    lat0, lon0 = float(gaz.orte.at[ags, "lat"]), float(gaz.orte.at[ags, "lon"])
    inner = geom.buffer(-0.25)
    if inner.is_empty:
        inner = geom
    kx = 111.195 * np.cos(np.radians(49.7))
    for _ in range(200):
        dx, dy = rng.uniform(-1.2, 1.2), rng.uniform(-1.2, 1.2)
        lat, lon = lat0 + dy / 111.195, lon0 + dx / kx
        if inner.covers(Point(lon * kx, lat * 111.195)):
            return round(lat, 6), round(lon, 6)
    return lat0, lon0


def tokens_gem(ags_list: list[str]) -> list[str]:
    """Einzugsgebiet tokens for Gemeinden."""
    return [f"gem:{a}" for a in ags_list]


# ------------------------------------------------------------------ Sozialraumzentren (real addresses)
SRZ = {
    "konz": ("Sozialraumzentrum Konz", "Konstantinstraße 50", "Konz", (49.69955, 6.57905)),
    "schweich": ("Sozialraumzentrum Schweich", "Stefan-Andres-Straße 4", "Schweich", (49.82185, 6.75240)),
    "hermeskeil": ("Sozialraumzentrum Hermeskeil", "Schulstraße 6a", "Hermeskeil", (49.65590, 6.94610)),
    "saarburg": ("Sozialraumzentrum Saarburg", "Bahnhofstraße 9", "Saarburg", (49.60560, 6.55160)),
}
#: Hilfen zur Erziehung the Sozialraumzentren deliver (concept paper of the county, §§ 28–33, 41, 52 SGB VIII).
HZE = ["erstberatung", "soziale-gruppenarbeit", "erziehungsbeistand", "familienhilfe", "tagesgruppe", "vollzeitpflege",
       "junge-volljaehrige", "jugendgerichtshilfe"]
for sr, (name, street, town, ll) in SRZ.items():
    add(P(name, f"Jugendhilfeträger im Sozialraum {gaz.sozialraeume.at[sr, 'name']}", "sozialraumzentrum",
          ["erziehungsberatung", "kinderschutz", "krisenintervention", "elternbildung", "praevention", *HZE],
          ags_of(town), [f"sr:{sr}"], ("0", "27"), ["de", "en"] + (["fr"] if sr in ("konz", "saarburg") else []),
          "kreis", street, ll, "Sozialraumteam: ASD und freier Träger; Netzwerkarbeit im Sozialraum",
          "Mo–Do 8–16 Uhr, Fr 8–13 Uhr", "ja"))
# the second Sozialraumzentrum of Sozialraum Ruwer / Schweich / Trier-Land (concept paper): serves that Sozialraum
add(P("Jugendhilfezentrum Don Bosco Helenenberg", "Salesianer Don Boscos", "sozialraumzentrum",
      ["krisenintervention", "schulsozialarbeit", "jugendberufshilfe", "inklusion", *HZE], ags_of("Welschbillig"),
      ["sr:schweich"], ("6", "21"), ["de"], "ueberregional", "Puricellistraße 1", (49.82390, 6.59000),
      "Sozialraumzentrum im JHZ; stationäre und teilstationäre Hilfen, Förderschule, Ausbildung", "", "teilweise"))

# ------------------------------------------------------------------ Kitas
for ags, row in G.iterrows():
    ew = int(row["einwohner"])
    n = 0 if ew < 450 else max(1, round(ew / 2200)) if ew < 9000 else 7
    if ew < 450 and rng.random() < 0.25:
        n = 1
    for i in range(n):
        label = KITA_NAMES[(int(ags[-3:]) + i * 5) % len(KITA_NAMES)]
        church = label.startswith("St.")
        name = f"{'Kath. ' if church else ''}Kita {label} {row['name']}"
        if name in _used_names:
            name = f"Kita {KITA_NAMES[(int(ags[-3:]) + i * 7 + 3) % len(KITA_NAMES)]} {row['name']}"
        tags = ["kinderbetreuung"] + (["sprachfoerderung"] if rng.random() < 0.45 else []) + \
               (["eltern-kind-gruppe"] if rng.random() < 0.15 else []) + (["inklusion"] if rng.random() < 0.2 else [])
        served = [] if ew < 1500 or rng.random() < 0.5 else tokens_gem([ags] + nearest(ags, 1))
        add(P(name, f"Kath. Kirchengemeinde {row['name']}" if church else f"Ortsgemeinde {row['name']}", "kita",
              tags, ags, served, ("0", "6"), ["de"] + (["fr"] if rng.random() < 0.1 else [])))

# ------------------------------------------------------------------ Schulen, Schulsozialarbeit
schools = []
for ags, row in G.iterrows():
    ew = int(row["einwohner"])
    if ew >= 1300 or (ew >= 900 and rng.random() < 0.5):
        served = tokens_gem([ags] + nearest(ags, 2 if ew < 3000 else 3))
        tags = (["hausaufgabenhilfe"] if rng.random() < 0.5 else []) + (["ferienbetreuung"] if rng.random() < 0.25 else [])
        schools.append(add(P(f"Grundschule {row['name']}", f"Verbandsgemeinde {row['vg_name']}", "schule", tags, ags,
                             served, ("6", "10"))))
SECONDARY = [("Gymnasium Konz", "Konz", "sr:konz"), ("Realschule plus Konz", "Konz", "vg:072355003"),
             ("Integrierte Gesamtschule Konz", "Konz", "sr:konz"), ("Gymnasium Saarburg", "Saarburg", "sr:saarburg"),
             ("Realschule plus Saarburg", "Saarburg", "sr:saarburg"), ("Gymnasium Hermeskeil", "Hermeskeil", "sr:hermeskeil"),
             ("Realschule plus Hermeskeil", "Hermeskeil", "vg:072355001"), ("Realschule plus Kell am See", "Kell am See", "sr:hermeskeil"),
             ("Gymnasium Schweich", "Schweich", "vg:072355006"), ("Realschule plus Schweich", "Schweich", "vg:072355006"),
             ("Realschule plus Ruwer", "Waldrach", "vg:072355004"), ("IGS Trierweiler", "Trierweiler", "vg:072355007"),
             ("Förderschule Schweich", "Schweich", "sr:schweich"), ("Förderschule Saarburg", "Saarburg", "sr:saarburg")]
secondary = []
for name, town, area in SECONDARY:
    kind = "Förderschule" if name.startswith("Förder") else ""
    tags = ["inklusion"] if kind else (["hausaufgabenhilfe"] if rng.random() < 0.5 else [])
    secondary.append(add(P(name, "Landkreis Trier-Saarburg", "schule", tags, ags_of(town), [area],
                           ("6", "19") if kind else ("10", "19"), ["de", "en", "fr"])))
ssa = []
for s in secondary + [x for x in schools if G.at[x.ags, "einwohner"] > 2400]:
    if s.name.startswith("Gymnasium") and rng.random() < 0.5:
        continue
    tags = ["schulsozialarbeit", "praevention"] + (["kinderschutz"] if rng.random() < 0.4 else []) + \
           (["sucht"] if rng.random() < 0.2 else [])
    ssa.append(add(P(f"Schulsozialarbeit an der {s.name}" if not s.name.startswith(("Gymnasium", "IGS", "Integrierte"))
                     else f"Schulsozialarbeit am {s.name}" if s.name.startswith("Gymnasium") else f"Schulsozialarbeit an der {s.name}",
                     rng.choice(["Caritasverband Trier (Beispiel)", "Diakonisches Werk Trier (Beispiel)",
                                 "Jugendhilfeverbund Mosel-Saar (Beispiel)"]), "schulsozialarbeit", tags,
                     s.ags, s.einzugsgebiet or [f"gem:{s.ags}"], s.alter, ["de"] + (["ar", "uk"] if rng.random() < 0.3 else []))))

# ------------------------------------------------------------------ Kinder- und Jugendarbeit
for vg_name, ars in VG.items():
    seat = {"Hermeskeil": "Hermeskeil", "Konz": "Konz", "Ruwer": "Waldrach", "Trier-Land": TRIER_AGS,
            "Schweich an der Römischen Weinstraße": "Schweich", "Saarburg-Kell": "Saarburg"}[vg_name]
    add(P(f"Jugendpflege der Verbandsgemeinde {vg_name}", f"Verbandsgemeinde {vg_name}", "jugendarbeit",
          ["offene-jugendarbeit", "ferienbetreuung", "praevention"], seat if seat == TRIER_AGS else ags_of(seat),
          [f"vg:{ars}"], ("10", "26"), ["de"], "lokal",
          notizen="Verwaltungssitz der VG Trier-Land liegt in der Stadt Trier" if seat == TRIER_AGS else ""))
treffs = [a for a in G.sort_values("einwohner", ascending=False).index[:30] if rng.random() < 0.55]
for ags in treffs:
    add(P(f"Jugendtreff {gname(ags)}", f"Ortsgemeinde {gname(ags)}", "jugendarbeit",
          ["offene-jugendarbeit"] + (["hausaufgabenhilfe"] if rng.random() < 0.2 else []), ags, [], ("12", "21")))
add(P("Jugendzentrum Konz", "Stadt Konz", "jugendarbeit", ["offene-jugendarbeit", "musik-kultur", "praevention", "migration"],
      ags_of("Konz"), ["sr:konz"], ("12", "27"), ["de", "ar", "tr"]))
add(P("Mobile Jugendarbeit Hochwald", "Jugendhilfeverbund Mosel-Saar (Beispiel)", "jugendarbeit",
      ["offene-jugendarbeit", "sucht", "praevention"], ags_of("Hermeskeil"), ["sr:hermeskeil"], ("14", "27")))
add(P("Kreisjugendring Trier-Saarburg (Beispiel)", "Kreisjugendring (Beispiel)", "jugendarbeit",
      ["ferienbetreuung", "praevention"], TRIER_AGS, ["kreis"], ("6", "27"), ebene="kreis"))
for town in ["Schweich", "Saarburg", "Kell am See", "Leiwen"]:
    add(P(f"Pfadfinder Stamm {town}", "Pfadfinderverband (Beispiel)", "jugendarbeit", ["ferienbetreuung"],
          ags_of(town), tokens_gem([ags_of(town)] + nearest(ags_of(town), 3)), ("7", "21")))

# ------------------------------------------------------------------ Vereine / Ehrenamt (few sport clubs: a known gap)
SPORT = [("SV Konz 1920 (Beispiel)", "Konz"), ("TuS Schweich (Beispiel)", "Schweich"), ("TV Saarburg (Beispiel)", "Saarburg"),
         ("SG Ruwertal (Beispiel)", "Waldrach"), ("FC Föhren (Beispiel)", "Föhren"), ("TuS Trierweiler (Beispiel)", "Trierweiler"),
         ("Schwimmverein Konz (Beispiel)", "Konz"), ("DJK Tawern (Beispiel)", "Tawern"), ("SV Mehring (Beispiel)", "Mehring"),
         ("Turnverein Wasserliesch (Beispiel)", "Wasserliesch"), ("TTC Kenn (Beispiel)", "Kenn")]
sport_clubs = []
for name, town in SPORT:
    sport_clubs.append(add(P(name, name.replace(" (Beispiel)", " e. V. (Beispiel)"), "verein", ["sport"], ags_of(town),
                             tokens_gem([ags_of(town)] + nearest(ags_of(town), 2)), ("4", "18"),
                             notizen="Kontakt über Vorstand; keine feste Ansprechperson für Kinder aus der Jugendhilfe"
                             if rng.random() < 0.5 else "")))
MUSIC = ["Konz", "Saarburg", "Hermeskeil", "Reinsfeld", "Schweich", "Fell", "Nittel", "Wincheringen", "Zerf",
         "Longuich", "Kordel", "Osburg", "Thalfang"]
for town in MUSIC:
    hits = gaz.find(town)
    if len(hits) != 1:
        continue
    add(P(f"Musikverein {town} (Beispiel)", f"Musikverein {town} e. V. (Beispiel)", "verein", ["musik-kultur"],
          hits[0], [], ("6", "18")))
for name, town, tags, area in [
    ("Lesepaten Konz", "Konz", ["sprachfoerderung", "hausaufgabenhilfe"], "sr:konz"),
    ("Familienpatenschaften Saarburg", "Saarburg", ["alleinerziehende", "fruehe-hilfen"], "sr:saarburg"),
    ("Ehrenamtsbörse Schweich", "Schweich", ["migration", "hausaufgabenhilfe"], "vg:072355006"),
    ("Willkommenskreis Hermeskeil", "Hermeskeil", ["migration", "sprachfoerderung"], "vg:072355001"),
    ("Tafel Saarburg (Beispiel)", "Saarburg", ["schuldnerberatung"], "sr:saarburg"),
    ("Trauergruppe für Kinder Schweich", "Schweich", ["trauerbegleitung"], "sr:schweich"),
    ("Kochgruppe für Familien Konz", "Konz", ["elternbildung"], "sr:konz"),
]:
    add(P(name, f"Förderverein {town} (Beispiel)", "verein", tags, ags_of(town), [area], ("0", "18"),
          ["de"] + (["ar", "fa", "uk"] if "migration" in tags else [])))

# ------------------------------------------------------------------ Erziehungsberatung (incl. Träger in Trier)
add(P("Lebensberatungsstelle Trier (Beispiel)", "Bistum Trier (Beispiel)", "erziehungsberatung",
      ["erziehungsberatung", "trauerbegleitung", "alleinerziehende", "psychische-gesundheit"], TRIER_AGS, ["kreis"],
      ("0", "27"), ["de", "en", "fr"], "ueberregional"))
add(P("Erziehungs- und Familienberatung Trier (Beispiel)", "Caritasverband Trier (Beispiel)", "erziehungsberatung",
      ["erziehungsberatung", "elternbildung", "kinderschutz"], TRIER_AGS, ["sr:konz", "sr:schweich", "sr:saarburg"],
      ("0", "27"), ["de", "ar", "ru"], "ueberregional"))
add(P("Beratungsstelle für Kinder, Jugendliche und Eltern Trier (Beispiel)", "Diakonisches Werk Trier (Beispiel)",
      "erziehungsberatung", ["erziehungsberatung", "gewaltschutz", "kinderschutz"], TRIER_AGS, ["kreis"],
      ("0", "21"), ["de", "tr"], "ueberregional"))
for town, area in [("Saarburg", "sr:saarburg"), ("Hermeskeil", "sr:hermeskeil"), ("Schweich", "sr:schweich")]:
    add(P(f"Erziehungsberatung Außenstelle {town}", "Caritasverband Trier (Beispiel)", "erziehungsberatung",
          ["erziehungsberatung", "elternbildung"], ags_of(town), [area], ("0", "27"), ["de"], "kreis",
          oeffnungszeiten="Di und Do 9–17 Uhr nach Vereinbarung"))

# ------------------------------------------------------------------ Polizei
for name, town, area in [("Polizeiinspektion Saarburg", "Saarburg", ["vg:072355008"]),
                         ("Polizeiinspektion Hermeskeil", "Hermeskeil", ["vg:072355001"]),
                         ("Polizeiinspektion Schweich", "Schweich", ["vg:072355006", "vg:072355004"]),
                         ("Polizeiwache Konz", "Konz", ["vg:072355003"])]:
    add(P(name, "Polizeipräsidium Trier", "polizei", ["gewaltschutz", "praevention"], ags_of(town), area, ebene="kreis",
          notizen="Jugendsachbearbeitung; im Notfall 110", barrierefrei="ja"))
add(P("Polizeipräsidium Trier – Prävention", "Polizeipräsidium Trier", "polizei",
      ["praevention", "gewaltschutz", "sucht", "kinderschutz"], TRIER_AGS, ["kreis"], ebene="ueberregional"))

# ------------------------------------------------------------------ Familienbildung / Mehrgenerationenhäuser
for name, town, area, tags in [
    ("Mehrgenerationenhaus Konz (Beispiel)", "Konz", ["sr:konz"], ["elternbildung", "eltern-kind-gruppe", "migration", "alleinerziehende"]),
    ("Haus der Familie Schweich (Beispiel)", "Schweich", ["sr:schweich"], ["elternbildung", "eltern-kind-gruppe", "fruehe-hilfen"]),
    ("Familienzentrum Hermeskeil (Beispiel)", "Hermeskeil", ["sr:hermeskeil"], ["elternbildung", "eltern-kind-gruppe"]),
    ("Mehrgenerationenhaus Saarburg (Beispiel)", "Saarburg", ["sr:saarburg"], ["elternbildung", "sprachfoerderung", "migration"]),
    ("Familienbildungsstätte Trier (Beispiel)", TRIER_AGS, ["kreis"], ["elternbildung", "eltern-kind-gruppe", "fruehe-hilfen", "alleinerziehende"]),
]:
    add(P(name, name.replace("(Beispiel)", "e. V. (Beispiel)"), "familienbildung", tags,
          town if town == TRIER_AGS else ags_of(town), area, ("0", "99"), ["de", "en", "ar", "uk"] if "migration" in tags else ["de"],
          "kreis" if town == TRIER_AGS else "lokal"))
for town in ["Kell am See", "Trierweiler", "Waldrach", "Nittel"]:
    add(P(f"Eltern-Kind-Treff {town}", f"Ortsgemeinde {town}", "familienbildung", ["eltern-kind-gruppe"], ags_of(town),
          tokens_gem([ags_of(town)] + nearest(ags_of(town), 2)), ("0", "3")))

# ------------------------------------------------------------------ Frühe Hilfen
add(P("Lokales Netzwerk Kinderschutz und Frühe Hilfen", "Kreisverwaltung Trier-Saarburg", "fruehe_hilfen",
      ["fruehe-hilfen", "kinderschutz", "familienhebamme"], TRIER_AGS, ["kreis"], ("0", "3"), ["de", "en"], "kreis",
      "Willy-Brandt-Platz 1", notizen="Koordination Frühe Hilfen; vermittelt Familienhebammen kreisweit"))
for town, area in [("Konz", "sr:konz"), ("Schweich", "sr:schweich"), ("Saarburg", "sr:saarburg")]:
    add(P(f"Familienhebammen Sozialraum {town}", "Kreisverwaltung Trier-Saarburg", "fruehe_hilfen",
          ["familienhebamme", "fruehe-hilfen"], ags_of(town), [area], ("0", "1"), ["de", "en"] + (["ar"] if town == "Konz" else [])))
add(P("Willkommensbesuche für Neugeborene Ruwer", "Verbandsgemeinde Ruwer", "fruehe_hilfen", ["fruehe-hilfen"],
      ags_of("Waldrach"), ["vg:072355004"], ("0", "1")))

# ------------------------------------------------------------------ Gesundheit
for town in ["Konz", "Saarburg", "Schweich", "Hermeskeil", "Trierweiler", "Kell am See"]:
    add(P(f"Kinder- und Jugendarztpraxis {town} (Beispiel)", "Praxisgemeinschaft (Beispiel)", "gesundheit", ["fruehe-hilfen"],
          ags_of(town), tokens_gem([ags_of(town)] + nearest(ags_of(town), 4)), ("0", "17"), ["de", "en"]))
for name, tags, area in [
    ("Gesundheitsamt Trier-Saarburg – Kinder- und Jugendgesundheit", ["fruehe-hilfen", "inklusion"], ["kreis"]),
    ("Klinik für Kinder- und Jugendpsychiatrie Trier (Beispiel)", ["psychische-gesundheit", "krisenintervention"], ["kreis"]),
    ("Sozialpädiatrisches Zentrum Trier (Beispiel)", ["inklusion", "psychische-gesundheit"], ["kreis"]),
    ("Projekt „Kinder stärken“ für Kinder psychisch kranker Eltern (Beispiel)", ["kinder-psychisch-kranker-eltern", "psychische-gesundheit"],
     ["sr:konz", "sr:schweich"]),
]:
    add(P(name, name.split(" – ")[0] if "–" in name else "Gesundheitsverbund Trier (Beispiel)", "gesundheit", tags,
          TRIER_AGS, area, ("0", "17"), ["de", "en"], "ueberregional"))
add(P("Logopädische Praxis Saarburg (Beispiel)", "Praxis (Beispiel)", "gesundheit", ["sprachfoerderung"], ags_of("Saarburg"),
      ["sr:saarburg"], ("2", "17")))
add(P("Patenschaften für Kinder psychisch kranker Eltern Konz (Beispiel)", "Förderverein Konz (Beispiel)", "gesundheit",
      ["kinder-psychisch-kranker-eltern"], ags_of("Konz"), ["vg:072355003"], ("3", "14")))

# ------------------------------------------------------------------ Justiz
for name, town, area, tags, alter in [
    ("Jugendgerichtshilfe Trier-Saarburg", TRIER_AGS, ["kreis"], ["krisenintervention", "praevention"], ("14", "21")),
    ("Amtsgericht Saarburg – Familiengericht", "Saarburg", ["sr:saarburg", "sr:konz"], ["kinderschutz"], ("", "")),
    ("Amtsgericht Hermeskeil – Familiengericht", "Hermeskeil", ["sr:hermeskeil"], ["kinderschutz"], ("", "")),
    ("Bewährungshilfe Trier (Beispiel)", TRIER_AGS, ["kreis"], ["praevention"], ("14", "27")),
    ("Täter-Opfer-Ausgleich Trier (Beispiel)", TRIER_AGS, ["kreis"], ["gewaltschutz"], ("14", "27")),
]:
    add(P(name, "Land Rheinland-Pfalz" if "Amtsgericht" in name else "Kreisverwaltung Trier-Saarburg" if "Jugendgericht" in name
          else "Justizverein Trier (Beispiel)", "justiz", tags, town if town == TRIER_AGS else ags_of(town), area, alter,
          ebene="ueberregional" if town == TRIER_AGS else "kreis"))

# ------------------------------------------------------------------ weitere Beratung
for name, town, area, tags, langs, ebene in [
    ("Kreisverwaltung Trier-Saarburg – Jugendamt", TRIER_AGS, ["kreis"], ["kinderschutz", "krisenintervention"], ["de", "en", "fr"], "entscheidung"),
    ("Leitstelle Familie der Kreisverwaltung", TRIER_AGS, ["kreis"], ["elternbildung", "fruehe-hilfen"], ["de"], "entscheidung"),
    ("Schuldnerberatung Trier (Beispiel)", TRIER_AGS, ["kreis"], ["schuldnerberatung"], ["de", "ru"], "ueberregional"),
    ("Schuldnerberatung Saarburg (Beispiel)", "Saarburg", ["sr:saarburg", "sr:hermeskeil"], ["schuldnerberatung"], ["de"], "kreis"),
    ("Suchtberatung Trier (Beispiel)", TRIER_AGS, ["kreis"], ["sucht", "praevention"], ["de", "en"], "ueberregional"),
    ("Suchtberatung Außenstelle Hermeskeil (Beispiel)", "Hermeskeil", ["sr:hermeskeil"], ["sucht"], ["de"], "kreis"),
    ("Migrationsberatung Trier (Beispiel)", TRIER_AGS, ["kreis"], ["migration", "sprachfoerderung"], ["de", "ar", "fa", "uk", "ru", "ti"], "ueberregional"),
    ("Migrationsdienst Konz (Beispiel)", "Konz", ["sr:konz", "sr:saarburg"], ["migration"], ["de", "ar", "tr", "uk"], "lokal"),
    ("Migrationsdienst Schweich (Beispiel)", "Schweich", ["sr:schweich"], ["migration", "sprachfoerderung"], ["de", "ar", "fa"], "lokal"),
    ("Schwangerschaftsberatung Trier (Beispiel)", TRIER_AGS, ["kreis"], ["fruehe-hilfen", "alleinerziehende"], ["de", "en", "fr"], "ueberregional"),
    ("Interventionsstelle gegen Gewalt in engen sozialen Beziehungen Trier (Beispiel)", TRIER_AGS, ["kreis"],
     ["gewaltschutz", "krisenintervention"], ["de", "en", "ar"], "ueberregional"),
    ("Frauenhaus Trier (Beispiel)", TRIER_AGS, ["kreis"], ["gewaltschutz"], ["de", "en", "ru", "ar"], "ueberregional"),
    ("Trauerbegleitung für Kinder und Jugendliche Saarburg (Beispiel)", "Saarburg", ["sr:saarburg"], ["trauerbegleitung"], ["de"], "lokal"),
    ("Jugendberufshilfe Konz (Beispiel)", "Konz", ["sr:konz", "sr:saarburg"], ["jugendberufshilfe"], ["de", "ar"], "lokal"),
    ("Jugendberufsagentur Trier (Beispiel)", TRIER_AGS, ["kreis"], ["jugendberufshilfe"], ["de", "en", "ar", "uk"], "ueberregional"),
    ("Beratungsstelle für Alleinerziehende Schweich (Beispiel)", "Schweich", ["sr:schweich"], ["alleinerziehende", "elternbildung"], ["de"], "lokal"),
]:
    add(P(name, name.split(" – ")[0] if " – " in name else name.replace("(Beispiel)", "e. V. (Beispiel)"), "beratung", tags,
          town if town == TRIER_AGS else ags_of(town), area, ("0", "27") if "Jugend" not in name else ("14", "27"), langs, ebene,
          "Willy-Brandt-Platz 1" if name.startswith(("Kreisverwaltung", "Leitstelle")) else ""))


# ------------------------------------------------------------------ more local structures
for town in ["Konz", "Saarburg", "Schweich", "Hermeskeil", "Kenn", "Zerf", "Pluwig"]:
    add(P(f"Kath. Jugend {town}", f"Kath. Pfarrei {town}", "jugendarbeit", ["ferienbetreuung"], ags_of(town),
          tokens_gem([ags_of(town)] + nearest(ags_of(town), 2)), ("8", "21")))
for town in ["Konz", "Saarburg", "Schweich", "Hermeskeil", "Welschbillig", "Nittel"]:
    add(P(f"Öffentliche Bücherei {town}", f"Kath. Pfarrei {town}" if town != "Konz" else "Stadt Konz", "verein",
          ["musik-kultur", "sprachfoerderung"], ags_of(town), [], ("3", "99")))
for town in ["Reinsfeld", "Ralingen", "Mertesdorf", "Wincheringen", "Ayl", "Longuich"]:
    add(P(f"Jugendfeuerwehr {town}", f"Verbandsgemeinde {G.at[ags_of(town), 'vg_name']}", "verein", [], ags_of(town),
          [], ("10", "17")))
for town in ["Konz", "Schweich", "Saarburg", "Hermeskeil"]:
    add(P(f"Hebammenpraxis {town} (Beispiel)", "Praxis (Beispiel)", "gesundheit", ["fruehe-hilfen"], ags_of(town),
          tokens_gem([ags_of(town)] + nearest(ags_of(town), 5)), ("0", "1")))
for town in ["Konz", "Schweich", "Saarburg"]:
    add(P(f"Ergotherapie {town} (Beispiel)", "Praxis (Beispiel)", "gesundheit", ["inklusion"], ags_of(town),
          tokens_gem([ags_of(town)] + nearest(ags_of(town), 4)), ("3", "17")))

# ------------------------------------------------------------------ rows
def slug(name: str) -> str:
    """Mail/web slug of a name."""
    s = normalize_name(name.replace("(Beispiel)", "")).replace(" ", "-")
    return s if len(s) <= 40 else s[:40].rsplit("-", 1)[0]


def checked_day() -> str:
    """Realistic verification spread: most checked this year, some overdue, a few never."""
    r = rng.random()
    if r < 0.08:
        return ""
    days = rng.randint(5, 360) if r < 0.7 else rng.randint(370, 900)
    return (REFERENCE_DAY - timedelta(days=days)).isoformat()


# ------------------------------------------------------------------ capacities (own random stream)
cap_rng = random.Random(SEED + 1)
KITAS_IN = {a: sum(1 for p in partners if p.kategorie == "kita" and p.ags == a) for a in G.index}
CAPACITY_RANGES = {"erziehungsberatung": (120, 600), "schulsozialarbeit": (50, 160), "fruehe_hilfen": (40, 140),
                   "familienbildung": (150, 500)}
FIXED_CAPACITY = {"Projekt „Kinder stärken“ für Kinder psychisch kranker Eltern (Beispiel)": 30,
                  "Patenschaften für Kinder psychisch kranker Eltern Konz (Beispiel)": 12}


def capacity(p: P) -> str:
    """Plausible capacity in the category's unit; empty = unknown (about 10 %)."""
    if p.name in FIXED_CAPACITY:
        return str(FIXED_CAPACITY[p.name])
    if p.kategorie not in CAPACITY_RANGES and p.kategorie != "kita":
        return ""
    if cap_rng.random() < 0.1:
        return ""
    if p.kategorie == "kita":  # children under 6 ≈ 5.5 % of the population, shared by the local Kitas
        places = 0.055 * float(G.at[p.ags, "einwohner"]) / KITAS_IN[p.ags] * cap_rng.uniform(0.8, 1.25)
        return str(int(min(150, max(15, 5 * round(places / 5)))))
    low, high = CAPACITY_RANGES[p.kategorie]
    big = p.ags == TRIER_AGS or p.ebene == "ueberregional"
    value = cap_rng.uniform((low + high) / 2, high) if big else cap_rng.uniform(low, (low + high) / 2)
    return str(int(10 * round(value / 10)))


capacities = [capacity(p) for p in partners]
#: Shelters whose address must never be shown publicly (column adresse_vertraulich).
CONFIDENTIAL = {"Frauenhaus Trier (Beispiel)"}

rows = []
for n, p in enumerate(partners, start=1):
    ags = p.ags
    plz = gaz.plz_of(ags)
    lat, lon = p.latlon or point_in(ags)
    phone = f"030 23125 {next(_phone)}" if rng.random() < 0.93 else ""
    has_person = rng.random() < (0.35 if p.kategorie == "verein" and "sport" in p.angebote else 0.8)
    bf = p.barrierefrei or rng.choices(["ja", "teilweise", "nein", "unbekannt"], [0.35, 0.3, 0.15, 0.2])[0]
    rows.append({
        "id": f"p-{n:06d}", "name": p.name, "traeger": p.traeger, "kategorie": p.kategorie,
        "angebote": ";".join(dict.fromkeys(p.angebote)), "strasse": p.strasse or f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
        "plz": "54298" if ags == "07235033" else ("54290" if ags == TRIER_AGS else plz[0]), "ort": gname(ags), "ags": ags,
        "lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "einzugsgebiet": ";".join(p.einzugsgebiet),
        "alter_von": p.alter[0], "alter_bis": p.alter[1], "sprachen": ";".join(dict.fromkeys(p.sprachen)),
        "barrierefrei": bf, "ebene": p.ebene, "telefon": phone,
        "email": f"kontakt@{slug(p.name)}.example" if rng.random() < 0.85 else "",
        "website": f"https://www.{slug(p.name)}.example" if rng.random() < 0.6 else "",
        "ansprechperson": f"{rng.choice(FIRST)} {rng.choice(LAST)}" if has_person else "",
        "oeffnungszeiten": p.oeffnungszeiten, "notizen": p.notizen, "geprueft_am": checked_day(),
        "aktiv": "nein" if rng.random() < 0.035 and p.kategorie not in ("sozialraumzentrum", "polizei") else "ja",
        "version": "1", "geaendert_am": f"{REFERENCE_DAY.isoformat()}T09:00:00", "geaendert_von": "beispieldaten",
        "kapazitaet": capacities[n - 1],
        "adresse_vertraulich": "ja" if p.name in CONFIDENTIAL else "nein",
    })

with open(ROOT / "data" / "partners.csv", "w", encoding="utf-8", newline="") as fh:
    w = csv.DictWriter(fh, fieldnames=PARTNER_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)

# ------------------------------------------------------------------ kooperationen
by_name = {r["name"]: r for r in rows}
sr_of = {r["id"]: G.at[r["ags"], "sozialraum_id"] if r["ags"] in G.index else "" for r in rows}
koop: list[dict] = []


def link(a: str, b: str, art: str, intens: str, seit: date, bis: str = "", note: str = "") -> None:
    """Add one cooperation."""
    koop.append({"id": f"k-{len(koop) + 1:05d}", "partner_a": a, "partner_b": b, "art": art, "seit": seit.isoformat(),
                 "bis": bis, "intensitaet": intens, "notizen": note})


srz_ids = {sr: by_name[v[0]]["id"] for sr, v in SRZ.items()}
for r in rows:
    sr = sr_of[r["id"]]
    if r["kategorie"] in ("schulsozialarbeit",) and sr:
        link(srz_ids[sr], r["id"], "Kooperationsvertrag", "3", date(rng.randint(2014, 2023), rng.choice([1, 8]), 1))
    elif r["kategorie"] == "schule" and sr and rng.random() < 0.35:
        link(srz_ids[sr], r["id"], "Arbeitskreis", "2", date(rng.randint(2015, 2025), rng.randint(1, 12), 1))
    elif r["kategorie"] == "kita" and sr and rng.random() < 0.12:
        link(srz_ids[sr], r["id"], "Fallberatung", "2", date(rng.randint(2016, 2026), rng.randint(1, 10), 1))
    elif r["kategorie"] in ("familienbildung", "fruehe_hilfen", "erziehungsberatung", "polizei") and sr:
        link(srz_ids[sr], r["id"], rng.choice(["Arbeitskreis", "Projekt", "Kooperationsvertrag"]), "2",
             date(rng.randint(2014, 2025), rng.randint(1, 12), 1))
for s in ssa:  # Schulsozialarbeit ↔ its school
    school = s.name.replace("Schulsozialarbeit an der ", "").replace("Schulsozialarbeit am ", "")
    if school in by_name:
        link(by_name[s.name]["id"], by_name[school]["id"], "Kooperationsvertrag", "3", date(rng.randint(2012, 2022), 8, 1))
trier_eb = by_name["Erziehungs- und Familienberatung Trier (Beispiel)"]["id"]
for sr in ("konz", "schweich", "saarburg"):
    link(trier_eb, srz_ids[sr], "Fallberatung", "3", date(2015, 1, 1))
link(by_name["Lokales Netzwerk Kinderschutz und Frühe Hilfen"]["id"], by_name["Gesundheitsamt Trier-Saarburg – Kinder- und Jugendgesundheit"]["id"],
     "Arbeitskreis", "3", date(2014, 3, 1))
for name in ("Familienhebammen Sozialraum Konz", "Familienhebammen Sozialraum Schweich", "Familienhebammen Sozialraum Saarburg"):
    link(by_name["Lokales Netzwerk Kinderschutz und Frühe Hilfen"]["id"], by_name[name]["id"], "Kooperationsvertrag", "3", date(2016, 1, 1))
# the known gap: only two sport clubs cooperate, one of them no longer
link(srz_ids["konz"], by_name["SV Konz 1920 (Beispiel)"]["id"], "informell", "1", date(2019, 5, 1))
link(srz_ids["schweich"], by_name["TuS Schweich (Beispiel)"]["id"], "Projekt", "1", date(2018, 3, 1), "2021-12-31",
     "Projekt „Sport für alle Kinder“ ausgelaufen")
link(by_name["Polizeiinspektion Saarburg"]["id"], by_name["Gymnasium Saarburg"]["id"], "Projekt", "2", date(2022, 9, 1), "",
     "Präventionstage")
link(by_name["Jugendgerichtshilfe Trier-Saarburg"]["id"], by_name["Polizeipräsidium Trier – Prävention"]["id"], "Arbeitskreis", "2",
     date(2017, 1, 1))
link(by_name["Suchtberatung Trier (Beispiel)"]["id"], by_name["Klinik für Kinder- und Jugendpsychiatrie Trier (Beispiel)"]["id"],
     "Fallberatung", "2", date(2020, 6, 1))
with open(ROOT / "data" / "kooperationen.csv", "w", encoding="utf-8", newline="") as fh:
    w = csv.DictWriter(fh, fieldnames=KOOPERATION_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(koop)

# ------------------------------------------------------------------ Bedarfsmeldungen (examples, marked beispiel=ja)
from graph.abdeckung.meldungen import BEDARF_COLUMNS, validate_bedarfe

BEDARFE = [  # (Gemeinde, Bedarf, Datum, Quelle, Text)
    ("Hermeskeil", "kinder-psychisch-kranker-eltern", "2026-09-17", "Workshop",
     ("In Hermeskeil fehlt eine Gruppe für Kinder psychisch kranker Eltern; das Projekt in Trier ist für den "
     "Sozialraum Hermeskeil nicht zuständig.")),
    ("Saarburg", "kinder-psychisch-kranker-eltern", "2026-08-04", "ASD",
     ("Im Sozialraum Saarburg gibt es keine Patenschaften für Kinder psychisch kranker Eltern; mehrere Anfragen "
     "im letzten Quartal.")),
    ("Kell am See", "sport", "2026-06-23", "Netzwerk",
     ("In Kell am See fehlt ein Sportverein, der Kinder aus Familien mit Hilfen zur Erziehung unkompliziert "
     "aufnimmt (Beiträge, Fahrten).")),
    ("Hermeskeil", "sport", "2026-10-02", "Sozialraumteam",
     ("Kein Sportangebot im Netzwerk des Sozialraums Hermeskeil; Jugendliche fragen nach offenem Training am "
     "Nachmittag.")),
    ("Zerf", "familienhebamme", "2026-05-12", "Netzwerk",
     "Familienhebammen für Zerf nur mit langer Wartezeit erreichbar."),
    ("Trittenheim", "offene-jugendarbeit", "2026-07-08", "Workshop",
     "In Trittenheim fehlt ein Jugendtreff; der nächste ist nur mit dem Auto erreichbar."),
    ("Palzem", "sport", "2026-03-19", "Schule",
     "Für Grundschulkinder in Palzem gibt es kein Bewegungsangebot am Ort."),
]
bedarf_rows = [{"id": f"b-{n:06d}", "ags": ags_of(town), "bedarf": need, "text": text, "datum": day, "quelle": src,
                "beispiel": "ja", "erfasst_am": f"{REFERENCE_DAY.isoformat()}T09:00:00", "erfasst_von": "beispieldaten"}
               for n, (town, need, day, src, text) in enumerate(BEDARFE, start=1)]
found = validate_bedarfe(pd.DataFrame(bedarf_rows), gaz, load_taxonomy(ROOT / "data"),
                         today=REFERENCE_DAY)
assert not found, found
with open(ROOT / "data" / "bedarfe.csv", "w", encoding="utf-8", newline="") as fh:
    w = csv.DictWriter(fh, fieldnames=BEDARF_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(bedarf_rows)

print(f"{len(rows)} Partner, {len(koop)} Kooperationen, {len(bedarf_rows)} Bedarfsmeldungen geschrieben")

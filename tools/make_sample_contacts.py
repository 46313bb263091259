"""Generate fictional Kontaktpflege sample data: data/kontakte.csv and data/zustaendigkeiten.csv.

Deterministic (fixed seed, same reference day as tools/make_sample_data.py) and built on the
shipped partners.csv. The Netzwerker names are invented; topics are generic and contain no
case or family data (every topic is checked with graph.core.privacy). Deliberate, realistic
patterns: regular Netzwerktreffen in every Sozialraum, frequent contact with Sozialraumzentren
and Schulsozialarbeit, rare contact with sport clubs and health practices (the known gap), some
partners never contacted and a few without a responsible Netzwerker.

Run after make_sample_data.py: ``python tools/make_sample_contacts.py``.
"""

from __future__ import annotations

import math
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.core.privacy import personal_data_findings
from graph.netzwerk.model import KONTAKT_COLUMNS, KREISWEIT, ZUSTAENDIGKEIT_COLUMNS
from graph.store.reference import load_gazetteer

SEED = 20261102
REFERENCE_DAY = date(2026, 11, 1)
START = date(2024, 1, 1)
STAMP = f"{REFERENCE_DAY.isoformat()}T09:00:00"
USER = "beispieldaten"
NETZWERKER = {"konz": ["Andrea Thiel", "Jonas Kremer"], "schweich": ["Katrin Lorig", "Markus Zender", "Petra Hansen"],
              "hermeskeil": ["Claudia Reiter"], "saarburg": ["Tobias Feltes", "Nina Steffen"]}
LEITSTELLE = "Michael Kohl"
#: Expected individual contacts per year by category (sport clubs separately: the known gap).
RATE = {"sozialraumzentrum": 8, "schulsozialarbeit": 3, "schule": 1.2, "kita": 0.6, "jugendarbeit": 1.4,
        "erziehungsberatung": 2, "familienbildung": 2, "fruehe_hilfen": 2, "polizei": 1, "gesundheit": 0.5,
        "justiz": 0.5, "verein": 0.5, "beratung": 0.8}
SPORT_RATE = 0.12
TOPICS = {
    "Netzwerktreffen": ["Austausch zu aktuellen Angeboten im Sozialraum", "Ferienangebote und Ferienbetreuung abstimmen",
                        "Übergang Kita – Grundschule", "Angebote für Familien mit Fluchterfahrung",
                        "Prävention an Schulen", "Vorstellung neuer Partner im Sozialraum",
                        "Bedarfe aus Sicht der Eltern sammeln", "Jahresplanung der Netzwerkarbeit"],
    "Besuch": ["Vorstellung des Sozialraumteams", "Kennenlernen der Einrichtung und ihrer Angebote",
               "Abstimmung eines gemeinsamen Elternabends", "Planung eines Präventionstags",
               "Informationen zu den Frühen Hilfen weitergegeben", "Austausch zu Sprechzeiten und Erreichbarkeit"],
    "Telefonat": ["Aktualisierung der Angebotsdaten", "Rückfrage zu Öffnungszeiten und Ansprechpersonen",
                  "Absprache zum Ferienprogramm", "Terminabsprache für das Netzwerktreffen",
                  "Information über neue Beratungsangebote"],
    "Projekt": ["Projekt Kochgruppe für Familien: Planung", "Projekt Lesepaten: Einsatzplanung",
                "Projekt Sport für alle Kinder: Gespräch über offene Trainingszeiten", "Präventionsprojekt Medienkompetenz"],
    "Arbeitskreis": ["Arbeitskreis Kinderschutz: Verfahrensabläufe", "Arbeitskreis Frühe Hilfen: Netzwerkkonferenz",
                     "Arbeitskreis Schulsozialarbeit: Austausch"],
}
rng = random.Random(SEED)


def poisson(mean: float) -> int:
    """Poisson-distributed count (Knuth; deterministic with the module's generator)."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def some_day(first: date, last: date) -> date:
    """A uniformly chosen working day between two dates."""
    day = first + timedelta(days=rng.randint(0, (last - first).days))
    return day - timedelta(days=max(0, day.weekday() - 4))


def main() -> None:
    gaz = load_gazetteer(ROOT / "data")
    partners = pd.read_csv(ROOT / "data" / "partners.csv", dtype=str, keep_default_na=False)
    active = partners[partners["aktiv"] == "ja"].copy()
    active["sr"] = active["ags"].map(gaz.orte["sozialraum_id"]).fillna("")
    end = REFERENCE_DAY - timedelta(days=1)

    owner: dict[str, str] = {}
    zust = []
    for p in active.itertuples():
        name = rng.choice(NETZWERKER[p.sr]) if p.sr else LEITSTELLE
        if rng.random() < 0.06:
            continue  # no responsible Netzwerker yet: shows up in the Kontaktpflege
        owner[p.id] = name
        zust.append({"partner": p.id, "netzwerker": name, "seit": some_day(START, date(2025, 6, 30)).isoformat(),
                     "geaendert_am": STAMP, "geaendert_von": USER})

    contacts: list[dict] = []

    def add(day: date, ids: list[str], sr: str, who: str, art: str, thema: str) -> None:
        assert not personal_data_findings(thema), thema
        contacts.append({"datum": day.isoformat(), "partner": ";".join(ids), "sozialraum": sr, "netzwerker": who,
                         "art": art, "thema": thema})

    for sr, people in NETZWERKER.items():
        local = active[active["sr"] == sr]
        core = list(local.loc[local["kategorie"] == "sozialraumzentrum", "id"])
        pool = list(local.loc[local["kategorie"].isin(["schulsozialarbeit", "schule", "kita", "jugendarbeit",
                                                        "familienbildung", "fruehe_hilfen", "polizei",
                                                        "erziehungsberatung"]), "id"])
        for year in (2024, 2025, 2026):
            for month in (3, 6, 9, 11):
                day = some_day(date(year, month, 5), date(year, month, 25))
                if day > end:
                    continue
                guests = rng.sample(pool, k=min(len(pool), rng.randint(5, 12)))
                add(day, core + guests, sr, people[0], "Netzwerktreffen", rng.choice(TOPICS["Netzwerktreffen"]))
    county = list(active.loc[(active["sr"] == "") | (active["ebene"].isin(["kreis", "ueberregional"])), "id"])
    for year in (2024, 2025, 2026):
        for month in (2, 6, 10):
            day = some_day(date(year, month, 5), date(year, month, 25))
            if day <= end:
                add(day, rng.sample(county, k=min(len(county), rng.randint(6, 10))), KREISWEIT, LEITSTELLE,
                    "Arbeitskreis", rng.choice(TOPICS["Arbeitskreis"]))

    years = (end - START).days / 365.25
    for p in active.itertuples():
        rate = SPORT_RATE if "sport" in p.angebote.split(";") else RATE.get(p.kategorie, 0.5)
        who = owner.get(p.id) or (rng.choice(NETZWERKER[p.sr]) if p.sr else LEITSTELLE)
        sr = p.sr or (p.einzugsgebiet.split(";")[0][3:] if p.einzugsgebiet.startswith("sr:") else KREISWEIT)
        for _ in range(poisson(rate * years)):
            art = rng.choices(["Besuch", "Telefonat", "Projekt"], [0.45, 0.45, 0.1])[0]
            add(some_day(START, end), [p.id], sr, who, art, rng.choice(TOPICS[art]))

    contacts.sort(key=lambda c: (c["datum"], c["sozialraum"], c["partner"]))
    rows = [{"id": f"kt-{i:06d}", **c, "erfasst_am": STAMP, "erfasst_von": USER} for i, c in enumerate(contacts, 1)]
    pd.DataFrame(rows, columns=KONTAKT_COLUMNS).to_csv(ROOT / "data" / "kontakte.csv", index=False, lineterminator="\n")
    pd.DataFrame(sorted(zust, key=lambda z: z["partner"]), columns=ZUSTAENDIGKEIT_COLUMNS).to_csv(
        ROOT / "data" / "zustaendigkeiten.csv", index=False, lineterminator="\n")
    print(f"{len(rows)} Kontakte, {len(zust)} Zuständigkeiten geschrieben")


if __name__ == "__main__":
    main()

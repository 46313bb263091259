"""„Kontakt überfällig“: calendar-month arithmetic and the status at month boundaries."""

from datetime import date

import pandas as pd
import pytest

from graph.netzwerk.kontaktpflege import BALD, NIE, OK, UEBERFAELLIG, add_months, contact_status, last_contact, overdue
from graph.netzwerk.model import KONTAKT_COLUMNS, ZUSTAENDIGKEIT_COLUMNS


@pytest.mark.parametrize("day,months,expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),    # short month: last day
    (date(2024, 1, 31), 1, date(2024, 2, 29)),    # leap year
    (date(2024, 2, 29), 12, date(2025, 2, 28)),   # from a leap day
    (date(2025, 11, 30), 3, date(2026, 2, 28)),   # across the year
    (date(2025, 12, 15), 1, date(2026, 1, 15)),
    (date(2026, 8, 31), 6, date(2027, 2, 28)),
    (date(2026, 3, 31), 1, date(2026, 4, 30)),
    (date(2026, 1, 1), 12, date(2027, 1, 1)),
    (date(2026, 5, 31), 24, date(2028, 5, 31)),
])
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


def _kontakte(*rows) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(["id", "datum", "partner", "art"], r), sozialraum="konz", netzwerker="A. Thiel",
                              thema="Austausch", erfasst_am="", erfasst_von="") for r in rows], columns=KONTAKT_COLUMNS)


PARTNERS = pd.DataFrame({"name": ["Monatlich", "Jährlich", "Schaltjahr", "Nie", "Treffen"],
                         "kategorie": ["m1", "m12", "m12", "m1", "m1"], "sozialraum": "konz"},
                        index=["a", "b", "c", "d", "e"])
KONTAKTE = _kontakte(("kt-000001", "2026-01-31", "a", "Besuch"),
                     ("kt-000002", "2025-02-28", "b", "Telefonat"),
                     ("kt-000003", "2024-02-29", "c", "Besuch"),
                     ("kt-000004", "2025-12-01", "a;e", "Netzwerktreffen"),   # older contact of a; also e
                     ("kt-000005", "2026-01-31", "e", "Telefonat"))
ZUST = pd.DataFrame([{"partner": "a", "netzwerker": "A. Thiel", "seit": "", "geaendert_am": "", "geaendert_von": ""}],
                    columns=ZUSTAENDIGKEIT_COLUMNS)


def _raw_status(day: date) -> pd.DataFrame:
    return contact_status(PARTNERS, KONTAKTE, ZUST, {"m1": 1, "m12": 12}.__getitem__, day)


def _status(day: date) -> pd.DataFrame:
    return _raw_status(day).set_index("id")


def test_due_on_the_clamped_month_end_and_overdue_from_the_next_day():
    on_due = _status(date(2026, 2, 28))
    assert on_due.at["a", "faellig_am"] == date(2026, 2, 28)
    assert on_due.at["a", "status"] == BALD and on_due.at["a", "tage_ueberfaellig"] == 0
    after = _status(date(2026, 3, 1))
    assert after.at["a", "status"] == UEBERFAELLIG and after.at["a", "tage_ueberfaellig"] == 1


def test_yearly_interval_and_leap_day():
    s = _status(date(2026, 2, 28))
    assert s.at["b", "faellig_am"] == date(2026, 2, 28) and s.at["b", "status"] == BALD
    assert _status(date(2026, 3, 1)).at["b", "status"] == UEBERFAELLIG
    assert s.at["c", "faellig_am"] == date(2025, 2, 28) and s.at["c", "tage_ueberfaellig"] == 365


def test_never_contacted_first_and_contacts_after_the_day_ignored():
    s = contact_status(PARTNERS, KONTAKTE, ZUST, lambda k: 1 if k == "m1" else 12, date(2026, 1, 15))
    assert s["id"].iat[0] == "d" and s["status"].iat[0] == NIE and s["faellig_am"].iat[0] is None
    a = s.set_index("id").loc["a"]
    assert a["letzter_kontakt"] == date(2025, 12, 1)  # the 31.01. contact lies after the day
    assert a["faellig_am"] == date(2026, 1, 1) and a["status"] == UEBERFAELLIG and a["tage_ueberfaellig"] == 14
    assert a["netzwerker"] == "A. Thiel" and s.set_index("id").at["b", "netzwerker"] == ""


def test_multi_partner_contact_counts_for_each_partner():
    last = last_contact(KONTAKTE)
    assert last["e"] == date(2026, 1, 31) and last["a"] == date(2026, 1, 31)
    assert last_contact(KONTAKTE, until=date(2026, 1, 30))["e"] == date(2025, 12, 1)


def test_overdue_list_and_ok_status():
    s = _status(date(2026, 2, 1))
    assert s.at["a", "status"] == BALD
    assert _status(date(2026, 1, 28)).at["b", "status"] == OK      # due 28.02.: 31 days ahead
    assert _status(date(2026, 1, 29)).at["b", "status"] == BALD    # 30 days ahead = „bald fällig“
    assert set(overdue(_raw_status(date(2026, 3, 1)))["id"]) == {"a", "b", "c", "d", "e"}
    assert set(overdue(_raw_status(date(2026, 2, 1)))["id"]) == {"c", "d"}


def test_taxonomy_intervals_and_sectors(taxonomy):
    assert taxonomy.contact_months("sozialraumzentrum") == 3 and taxonomy.contact_months("unbekannt") == 12
    assert taxonomy.sector("schulsozialarbeit") == "jugendhilfe" and taxonomy.sector("polizei") == "polizei"


def test_taxonomy_rejects_bad_network_columns():
    from graph.core.taxonomy import Taxonomy
    from graph.settings import DEFAULT_DATA_DIR

    frame = pd.read_csv(DEFAULT_DATA_DIR / "taxonomie.csv", dtype=str, keep_default_na=False)
    with pytest.raises(ValueError, match="kontakt_monate"):
        Taxonomy(frame.assign(kontakt_monate=frame["kontakt_monate"].replace("3", "0")))
    with pytest.raises(ValueError, match="unbekannter Sektor"):
        Taxonomy(frame.assign(sektor=frame["sektor"].replace("justiz", "gericht")))
    old = Taxonomy(frame.drop(columns=["sektor", "kontakt_monate"]))  # older files still load
    assert old.contact_months("kita") == 12 and old.sector("kita") == "sonstige"

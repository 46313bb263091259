"""Bedarfsmeldungen: anonymous unmet needs („in Gemeinde X fehlt Y“), the store's ``bedarfe`` table.

A record names a Gemeinde of the Kreis, a need (tag or category id of taxonomie.csv), a short
text, the date it was noticed and the kind of source. It never holds anything about a family:
the text is checked by :func:`graph.core.privacy.check_anonymous`. Writing requires the role
``netzwerk`` or higher, checked here on the server side; the store validates and journals
each new row (:func:`validate_bedarfe` is its validator).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np
import pandas as pd

from geo.gazetteer import Gazetteer
from graph.core.model import FIRST_DATA_ROW
from graph.core.privacy import check_anonymous
from graph.core.roles import Actor, require_role
from graph.core.tables import BEDARF_COLUMNS
from graph.core.taxonomy import Taxonomy
from graph.core.validation import CONTROL, Checker
from graph.errors import Issue
from graph.store import Store, now_iso

QUELLEN = ("Netzwerk", "ASD", "Workshop", "Sozialraumteam", "Schule", "Kita", "Beratungsstelle", "Fallsuche",
           "Sonstige")
#: Source of gaps reported from a Fallsuche ("Lücke melden"): never anything about the family.
FALLSUCHE = "Fallsuche"
WRITE_ROLE = "netzwerk"
MAX_TEXT = 500
_ID = re.compile(r"^b-(\d{6})$")


def validate_bedarfe(frame: pd.DataFrame, gazetteer: Gazetteer, taxonomy: Taxonomy, *,
                     first_row: int = FIRST_DATA_ROW, known_ids: set[str] = frozenset(),
                     today: date | None = None) -> list[Issue]:
    """All problems of Bedarfsmeldung rows (``row`` 1 = header, 2 = first record)."""
    missing = [c for c in BEDARF_COLUMNS if c not in frame.columns]
    if missing:
        return [Issue(1, c, f"Spalte „{c}“ fehlt") for c in missing]
    f = frame[BEDARF_COLUMNS].fillna("").astype(str)
    issues: list[Issue] = []
    c = Checker(f, np.arange(len(f)) + first_row, issues)
    for col in ("id", "ags", "bedarf", "text", "datum", "quelle"):
        c.add(~c.filled[col], col, "Pflichtfeld ist leer")
    c.add(c.filled["id"] & ~f["id"].str.fullmatch(_ID), "id", "Kennung muss die Form b-000001 haben")
    c.add(c.filled["id"] & (f["id"].duplicated() | f["id"].isin(known_ids)), "id",
          lambda v: f"Kennung „{v}“ ist bereits vergeben")
    kreis = set(gazetteer.gemeinden.index)
    c.add(c.filled["ags"] & ~f["ags"].isin(kreis), "ags",
          lambda v: f"„{v}“ ist keine Gemeinde des Landkreises Trier-Saarburg (AGS achtstellig, z. B. 07235068)")
    needs = set(taxonomy.tag_ids) | set(taxonomy.category_ids)
    c.add(c.filled["bedarf"] & ~f["bedarf"].isin(needs), "bedarf",
          lambda v: f"Unbekannter Bedarf „{v}“ (Angebot oder Kategorie aus taxonomie.csv)")
    c.enum("quelle", QUELLEN, "Unbekannte Quelle")
    c.enum("beispiel", ("ja", "nein"), "Muss „ja“ oder „nein“ sein", allow_empty=True)
    c.add(f["text"].str.len() > MAX_TEXT, "text", lambda v: f"Text zu lang ({len(v)} Zeichen, höchstens {MAX_TEXT})")
    c.add(f["text"].str.contains(CONTROL), "text", "Enthält unzulässige Steuerzeichen")
    for i, text in enumerate(f["text"]):
        issues += check_anonymous(text, "text", int(first_row + i))
    parsed = c.iso_dates("datum")
    c.add(parsed > pd.Timestamp((today or date.today()) + timedelta(days=1)), "datum", "Datum liegt in der Zukunft")
    return sorted(issues, key=lambda i: (i.row, BEDARF_COLUMNS.index(i.field)))


class BedarfRegister:
    """The Bedarfsmeldungen of one store."""

    def __init__(self, store: Store, gazetteer: Gazetteer, taxonomy: Taxonomy) -> None:
        self.store, self.gazetteer, self.taxonomy = store, gazetteer, taxonomy

    def load(self) -> pd.DataFrame:
        """All Bedarfsmeldungen (raw strings)."""
        return self.store.read("bedarfe")

    def token(self) -> str:
        """Data version for cache keys."""
        return self.store.token("bedarfe")

    def validate(self) -> list[Issue]:
        """All problems of the stored Bedarfsmeldungen (for ``python -m graph validate``)."""
        return validate_bedarfe(self.load(), self.gazetteer, self.taxonomy)

    def report_gap(self, actor: Actor, ags: str, tags: list[str], sprache_label: str = "",
                   today: date | None = None) -> list[dict]:
        """Record one Bedarfsmeldung per need a Fallsuche found nothing for (Gemeinde, need, date, source).

        Nothing about the family is stored: no free text, no age – the text only names the missing offer
        (and the language it was needed in, which belongs to the offer).
        """
        require_role(actor.rolle, WRITE_ROLE, "Lücke melden")
        day = (today or date.today()).isoformat()
        language = f" auf {sprache_label}" if sprache_label else ""
        with self.store.unit(actor, "erfasst", "fallsuche"):
            return [self.add({"ags": ags, "bedarf": tag, "datum": day, "quelle": FALLSUCHE,
                              "text": f"Über die Fallsuche gemeldet: kein passendes Angebot{language}."}, actor)
                    for tag in dict.fromkeys(tags)]

    def add(self, record: dict, actor: Actor) -> dict:
        """Record one Bedarfsmeldung; needs role ≥ ``netzwerk``; raises ValidationError (nothing written)."""
        require_role(actor.rolle, WRITE_ROLE, "Bedarfsmeldung erfassen")
        with self.store.unit(actor, "erfasst", "bedarfsmeldung") as unit:
            frame = unit.read("bedarfe")
            numbers = [int(m.group(1)) for v in frame["id"] if (m := _ID.fullmatch(str(v)))]
            rec = {c: str(record.get(c, "") or "").strip() for c in BEDARF_COLUMNS}
            rec.update(id=f"b-{max(numbers, default=0) + 1:06d}", beispiel="nein", erfasst_am=now_iso(),
                       erfasst_von=actor.name or actor.rolle)
            (stored,) = unit.put("bedarfe", [rec])
        return stored

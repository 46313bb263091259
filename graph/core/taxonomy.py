"""Categories and need tags (``data/taxonomie.csv``) with German labels, colours and icons."""

from __future__ import annotations

import re
from functools import cached_property

import pandas as pd

from graph.core.codes import SEKTOREN, SONSTIGER_SEKTOR
from graph.errors import NotFoundError

TAXONOMY_COLUMNS = ["typ", "id", "label", "farbe", "kuerzel", "icon", "distanz_km", "synonyme", "beschreibung"]
#: Optional columns (older files without them still load): sector of a category and the
#: contact interval in months after which a partner of the category counts as „Kontakt überfällig“.
OPTIONAL_COLUMNS = ["sektor", "kontakt_monate"]
DEFAULT_CONTACT_MONTHS = 12
MAX_CONTACT_MONTHS = 60
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_ID = re.compile(r"^[a-z][a-z0-9_-]*$")


class Taxonomy:
    """The category ids and need tags of the directory.

    ``kategorien`` and ``angebote`` are frames indexed by id with the columns of
    ``taxonomie.csv``; ``distanz_km`` is the per-key distance threshold used by the
    coverage view ("reachable"), ``synonyme`` feeds the free-text need search, ``sektor`` and
    ``kontakt_monate`` (optional) feed the network analysis and the Kontaktpflege.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        missing = [c for c in TAXONOMY_COLUMNS if c not in frame.columns]
        if missing:
            raise ValueError(f"taxonomie.csv: Spalten fehlen: {', '.join(missing)}")
        frame = frame.copy()
        for col in OPTIONAL_COLUMNS:
            if col not in frame.columns:
                frame[col] = ""
        frame["distanz_km"] = pd.to_numeric(frame["distanz_km"], errors="coerce").fillna(20.0)
        bad = [i for i in frame["id"] if not _ID.match(i)]
        if bad:
            raise ValueError(f"taxonomie.csv: ungültige Kennungen: {', '.join(bad)}")
        kat = frame[frame["typ"] == "kategorie"].set_index("id", drop=False)
        tags = frame[frame["typ"] == "angebot"].set_index("id", drop=False)
        for name, part in (("Kategorie", kat), ("Angebot", tags)):
            if part.index.duplicated().any():
                raise ValueError(f"taxonomie.csv: {name} doppelt: {', '.join(part.index[part.index.duplicated()])}")
        bad_colours = [i for i, c in zip(kat["id"], kat["farbe"]) if not _HEX.match(c)]
        if bad_colours:
            raise ValueError(f"taxonomie.csv: Farbe fehlt oder ungültig bei {', '.join(bad_colours)}")
        kat.index.name = tags.index.name = None
        _check_network_columns(kat)
        self.kategorien = kat
        self.angebote = tags


    @property
    def category_ids(self) -> list[str]:
        """Category ids in file order."""
        return list(self.kategorien.index)

    @property
    def tag_ids(self) -> list[str]:
        """Need-tag ids in file order."""
        return list(self.angebote.index)

    def is_category(self, key: str) -> bool:
        """True if ``key`` is a category id."""
        return key in self.kategorien.index

    def is_tag(self, key: str) -> bool:
        """True if ``key`` is a need tag."""
        return key in self.angebote.index

    @cached_property
    def labels(self) -> dict[str, str]:
        """Id → German label for tags and categories (a category wins when an id is both)."""
        return {**dict(zip(self.angebote.index, self.angebote["label"].astype(str))),
                **dict(zip(self.kategorien.index, self.kategorien["label"].astype(str)))}

    def label(self, key: str) -> str:
        """German label of a category or tag (the id itself if unknown)."""
        return self.labels.get(key, key)

    @cached_property
    def short_codes(self) -> dict[str, str]:
        """Category id → short code (looked up per partner row, so a dict, not a frame lookup)."""
        return dict(zip(self.kategorien.index, self.kategorien["kuerzel"].astype(str)))

    def kuerzel(self, kategorie: str) -> str:
        """Short code shown on markers and in lists (``?`` for an unknown category)."""
        return self.short_codes.get(kategorie, "?")

    def colour(self, kategorie: str) -> str:
        """Marker colour of a category."""
        if kategorie not in self.kategorien.index:
            raise NotFoundError(f"Unbekannte Kategorie „{kategorie}“")
        return str(self.kategorien.at[kategorie, "farbe"])

    def distance_threshold(self, key: str) -> float:
        """Distance (km) within which an offer of ``key`` counts as reachable."""
        for part in (self.kategorien, self.angebote):
            if key in part.index:
                return float(part.at[key, "distanz_km"])
        raise NotFoundError(f"Unbekannte Kategorie oder Angebot „{key}“")

    def synonyms(self) -> dict[str, list[str]]:
        """Need tag → German words that denote it (label, id and synonyms)."""
        out: dict[str, list[str]] = {}
        for tag, row in self.angebote.iterrows():
            words = [row["label"], tag.replace("-", " ")] + [s for s in row["synonyme"].split(";") if s.strip()]
            out[str(tag)] = [w.strip() for w in words]
        return out

    def sector(self, kategorie: str) -> str:
        """Sector id of a category (``sonstige`` if the category names none or is unknown)."""
        if kategorie in self.kategorien.index:
            return str(self.kategorien.at[kategorie, "sektor"]).strip() or SONSTIGER_SEKTOR
        return SONSTIGER_SEKTOR

    def contact_months(self, kategorie: str) -> int:
        """Months without contact after which a partner of the category is „überfällig“."""
        if kategorie in self.kategorien.index:
            value = str(self.kategorien.at[kategorie, "kontakt_monate"]).strip()
            if value:
                return int(value)
        return DEFAULT_CONTACT_MONTHS


def _check_network_columns(kat: pd.DataFrame) -> None:
    """Raise ValueError for an unknown sector or an invalid contact interval of a category."""
    bad_sector = [i for i, s in zip(kat["id"], kat["sektor"]) if s.strip() and s.strip() not in SEKTOREN]
    if bad_sector:
        raise ValueError(f"taxonomie.csv: unbekannter Sektor bei {', '.join(bad_sector)} "
                         f"(erlaubt: {', '.join(SEKTOREN)})")
    months = kat["kontakt_monate"].str.strip()
    bad_months = [i for i, m in zip(kat["id"], months)
                  if m and not (m.isdigit() and 1 <= int(m) <= MAX_CONTACT_MONTHS)]
    if bad_months:
        raise ValueError(f"taxonomie.csv: kontakt_monate muss eine ganze Zahl von 1 bis {MAX_CONTACT_MONTHS} sein "
                         f"(bei {', '.join(bad_months)})")

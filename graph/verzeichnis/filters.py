"""Filtering the partner directory (pure: frames in, frames out; no Streamlit, no files).

Build a :class:`PartnerIndex` once per data version (it precomputes one-hot offers and
languages, the served-Gemeinde matrix and folded search text), then call
:meth:`PartnerIndex.apply` for every filter change; each call is a few vectorised numpy
operations.

Area filters have two meanings, chosen by :attr:`PartnerFilter.gebiet`:

* ``sitz`` – the partner's address lies in the area (graph edge LIEGT_IN);
* ``versorgt`` – the partner's Einzugsgebiet covers at least one Gemeinde of the area
  (VERSORGT, as :func:`graph.core.network.partners_serving`);
* ``sitz_oder_versorgt`` – either.

Several choices on one level (two Sozialräume) are alternatives; choices on different
levels narrow each other (Sozialraum Hermeskeil and VG Saarburg-Kell = the five Gemeinden
in both). Need tags match if the partner offers *one* of them (or *all*, with
``alle_angebote``); languages match if the partner speaks one of them; the age range
matches partners whose range overlaps it (missing bounds = any age).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date

import numpy as np
import pandas as pd

from geo.gazetteer import Gazetteer
from geo.names import search_key
from graph.core.areas import one_hot, served_matrix
from graph.core.codes import BARRIEREFREI, ISO_639_1, LANGUAGE_NAMES
from graph.core.taxonomy import Taxonomy
from graph.errors import UsageError

#: The one searchable field not every reader may see (graph.core.visibility); searched only where present.
PERSON_FIELD = "ansprechperson"
#: Longest free-text search (characters); longer input is refused, not searched.
MAX_SEARCH = 200

GEBIET_MODI = {
    "sitz": "Sitz im Gebiet",
    "versorgt": "versorgt das Gebiet (Einzugsgebiet)",
    "sitz_oder_versorgt": "Sitz im Gebiet oder versorgt es",
}


@dataclass(frozen=True)
class PartnerFilter:
    """What the user asked for; empty tuples / ``None`` mean "no restriction"."""

    kategorien: tuple[str, ...] = ()
    angebote: tuple[str, ...] = ()
    alle_angebote: bool = False
    sozialraeume: tuple[str, ...] = ()
    verbandsgemeinden: tuple[str, ...] = ()
    gemeinden: tuple[str, ...] = ()
    gebiet: str = "sitz"
    alter_von: int | None = None
    alter_bis: int | None = None
    sprachen: tuple[str, ...] = ()
    barrierefrei: tuple[str, ...] = ()
    nur_aktiv: bool = True
    geprueft_monate: int | None = None
    suche: str = ""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list):
                object.__setattr__(self, f.name, tuple(value))
        if self.gebiet not in GEBIET_MODI:
            raise UsageError(f"Unbekannte Gebietsbedeutung „{self.gebiet}“ (erlaubt: {', '.join(GEBIET_MODI)})")
        if self.alter_von is not None and self.alter_bis is not None and self.alter_von > self.alter_bis:
            raise UsageError(f"Alter von ({self.alter_von}) ist größer als Alter bis ({self.alter_bis})")
        if self.geprueft_monate is not None and self.geprueft_monate < 0:
            raise UsageError("Die Anzahl der Monate darf nicht negativ sein")
        if len(self.suche) > MAX_SEARCH:
            raise UsageError(f"Der Suchtext ist zu lang (höchstens {MAX_SEARCH} Zeichen).")

    @property
    def has_area(self) -> bool:
        """True if any area level is restricted."""
        return bool(self.sozialraeume or self.verbandsgemeinden or self.gemeinden)


class PartnerIndex:
    """Precomputed, immutable filter columns over one typed partner frame (index = id)."""

    def __init__(self, partners: pd.DataFrame, gazetteer: Gazetteer, taxonomy: Taxonomy) -> None:
        self.partners = partners
        self.gazetteer = gazetteer
        self.taxonomy = taxonomy
        self.orte = list(gazetteer.orte.index)
        self._ort_pos = {a: i for i, a in enumerate(self.orte)}
        self._kategorie = partners["kategorie"].to_numpy(dtype=object)
        self._ags = partners["ags"].to_numpy(dtype=object)
        self._aktiv = partners["aktiv"].to_numpy(dtype=bool)
        self._von = partners["alter_von"].to_numpy(dtype=float)
        self._bis = partners["alter_bis"].to_numpy(dtype=float)
        self._barrierefrei = partners["barrierefrei"].to_numpy(dtype=object)
        self._geprueft = pd.to_datetime(partners["geprueft_am"], format="%Y-%m-%d", errors="coerce").to_numpy()
        self._tags, self._tag_pos = one_hot(partners["angebote"], taxonomy.tag_ids)
        self._langs, self._lang_pos = one_hot(partners["sprachen"])
        self._located = self._located_matrix()
        self._served = served_matrix(partners, gazetteer).toarray().astype(bool)
        self._public_text = pd.Series([search_key(t) for t in self._search_texts(partners)], index=partners.index,
                                      dtype=object)
        people = partners.get(PERSON_FIELD)
        self._text = self._public_text if people is None else \
            self._public_text + " " + people.fillna("").astype(str).map(search_key)

    def __len__(self) -> int:
        return len(self.partners)

    def with_partners(self, partners: pd.DataFrame) -> PartnerIndex:
        """The same index whose results are rows of ``partners`` (same rows, e.g. a reader's view with fewer columns)."""
        if not partners.index.equals(self.partners.index):
            raise ValueError("with_partners needs the same rows in the same order")
        twin = copy.copy(self)
        twin.partners = partners
        if PERSON_FIELD not in partners.columns:  # a reader who may not see Ansprechpersonen cannot search them
            twin._text = self._public_text
        return twin

    @property
    def languages(self) -> list[str]:
        """Language codes spoken by at least one partner, German name order."""
        return sorted(self._lang_pos, key=lambda c: LANGUAGE_NAMES.get(c, c))

    # ------------------------------------------------------------------ filtering
    def mask(self, f: PartnerFilter, today: date | None = None) -> np.ndarray:
        """Boolean array over the partners: True where every restriction of ``f`` holds."""
        m = np.ones(len(self.partners), dtype=bool)
        if f.nur_aktiv:
            m &= self._aktiv
        if f.kategorien:
            m &= np.isin(self._kategorie, self._known(f.kategorien, self.taxonomy.category_ids, "Kategorie"))
        if f.angebote:
            cols = [self._tag_pos[t] for t in self._known(f.angebote, self._tag_pos, "Angebot")]
            hits = self._tags[:, cols]
            m &= hits.all(axis=1) if f.alle_angebote else hits.any(axis=1)
        if f.sprachen:
            self._known(f.sprachen, ISO_639_1, "Sprache")
            cols = [self._lang_pos[c] for c in f.sprachen if c in self._lang_pos]
            m &= self._langs[:, cols].any(axis=1) if cols else False
        if f.barrierefrei:
            m &= np.isin(self._barrierefrei, self._known(f.barrierefrei, BARRIEREFREI, "Barrierefreiheit"))
        m &= self._age_mask(f.alter_von, f.alter_bis)
        if f.geprueft_monate is not None:
            cutoff = pd.Timestamp(today or date.today()) - pd.DateOffset(months=f.geprueft_monate)
            m &= self._geprueft >= cutoff.to_datetime64()  # NaT (never verified) compares False
        if f.has_area:
            m &= self._area_mask(f)
        if f.suche.strip():
            m &= self.search_mask(f.suche)
        return m

    def apply(self, f: PartnerFilter, today: date | None = None) -> pd.DataFrame:
        """The partners matching ``f`` (a slice of the typed frame, original order)."""
        return self.partners[self.mask(f, today)]

    def search_mask(self, query: str) -> np.ndarray:
        """Every word of ``query`` occurs in name, Träger, category, offers, place or – where this index's
        partners carry it (the reader may see it) – the Ansprechperson (umlaut-insensitive)."""
        m = np.ones(len(self.partners), dtype=bool)
        for word in search_key(query).split():
            m &= self._text.str.contains(word, regex=False).to_numpy()
        return m

    def area_gemeinden(self, f: PartnerFilter) -> list[str] | None:
        """AGS of the places the area filters select (``None`` = no area filter)."""
        if not f.has_area:
            return None
        g = self.gazetteer.orte
        selected = pd.Series(True, index=g.index)
        if f.sozialraeume:
            ids = self._known(f.sozialraeume, self.gazetteer.sozialraeume.index, "Sozialraum")
            selected &= g["sozialraum_id"].isin(ids)
        if f.verbandsgemeinden:
            ids = self._known(f.verbandsgemeinden, self.gazetteer.verbandsgemeinden.index, "Verbandsgemeinde")
            selected &= g["vg_ars"].isin(ids)
        if f.gemeinden:
            selected &= g.index.isin(self._known(f.gemeinden, g.index, "Gemeinde"))
        return list(g.index[selected.to_numpy()])

    # ------------------------------------------------------------------- helpers
    def _area_mask(self, f: PartnerFilter) -> np.ndarray:
        cols = [self._ort_pos[a] for a in self.area_gemeinden(f) or []]
        located = self._located[:, cols].any(axis=1)
        if f.gebiet == "sitz":
            return located
        served = self._served[:, cols].any(axis=1)
        return served if f.gebiet == "versorgt" else located | served

    def _age_mask(self, von: int | None, bis: int | None) -> np.ndarray:
        m = np.ones(len(self.partners), dtype=bool)
        if von is not None:
            m &= np.isnan(self._bis) | (self._bis >= von)
        if bis is not None:
            m &= np.isnan(self._von) | (self._von <= bis)
        return m

    def _located_matrix(self) -> np.ndarray:
        out = np.zeros((len(self._ags), len(self.orte)), dtype=bool)
        rows = [i for i, a in enumerate(self._ags) if a in self._ort_pos]
        out[rows, [self._ort_pos[self._ags[i]] for i in rows]] = True
        return out


    def _search_texts(self, partners: pd.DataFrame) -> list[str]:
        tax, orte = self.taxonomy, self.gazetteer.orte["name"]
        return [" ".join([str(name), str(traeger), tax.label(kat), str(ort), str(orte.get(ags, "")),
                          *(tax.label(t) for t in tags)])
                for name, traeger, kat, ort, ags, tags in zip(partners["name"], partners["traeger"],
                                                              partners["kategorie"], partners["ort"],
                                                              partners["ags"], partners["angebote"])]

    @staticmethod
    def _known(values: Iterable[str], allowed, what: str) -> list[str]:
        values = list(values)
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise UsageError(f"Unbekannte(r) {what}: {', '.join(map(str, unknown))}")
        return values


"""Presenting partners to people: German table columns, texts and safe contact links (pure).

Used by the Verzeichnis table and its CSV/Excel download, the map popups and detail views.
The ``*_href`` functions return a link target only when it is safe to put into ``href``
(``tel:`` digits, ``mailto:`` a plain address, web addresses only ``http``/``https``),
otherwise ``None`` – callers then show the value as text.
"""

from __future__ import annotations

import math
import re
from urllib.parse import quote, urlsplit

import pandas as pd

from geo.gazetteer import Gazetteer
from graph.core.codes import LANGUAGE_NAMES
from graph.core.model import CONFIDENTIAL_ADDRESS
from graph.core.taxonomy import Taxonomy

BARRIEREFREI_LABELS = {"ja": "ja", "teilweise": "teilweise", "nein": "nein", "unbekannt": "unbekannt"}
_PHONE = re.compile(r"\+?[0-9 ()/.\-]+")  # the characters the validator allows (graph.core.model)
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")

#: Column labels of :func:`partner_table`, in display order.
TABLE_COLUMNS = {
    "id": "Kennung", "name": "Name", "kategorie": "Kategorie", "traeger": "Träger", "angebote": "Angebote",
    "strasse": "Straße", "plz": "PLZ", "ort": "Ort", "sozialraum": "Sozialraum", "alter": "Alter",
    "sprachen": "Sprachen", "barrierefrei": "Barrierefrei", "telefon": "Telefon", "email": "E-Mail",
    "website": "Website", "ansprechperson": "Ansprechperson", "oeffnungszeiten": "Öffnungszeiten",
    "geprueft_am": "Geprüft am", "aktiv": "Aktiv",
}


def age_text(von: float | None, bis: float | None) -> str:
    """``6–12 Jahre``, ``ab 14 Jahren``, ``bis 3 Jahre`` or ``jedes Alter``."""
    has_von = von is not None and not math.isnan(von)
    has_bis = bis is not None and not math.isnan(bis)
    if has_von and has_bis:
        return f"{int(von)}–{int(bis)} Jahre"
    if has_von:
        return f"ab {int(von)} Jahren"
    if has_bis:
        return f"bis {int(bis)} Jahre"
    return "jedes Alter"


def date_text(iso: str) -> str:
    """``2026-01-15`` → ``15.01.2026``; empty → ``nie geprüft``."""
    iso = str(iso or "").strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return iso or "nie geprüft"
    y, m, d = iso.split("-")
    return f"{d}.{m}.{y}"


def languages_text(codes: tuple[str, ...] | list[str]) -> str:
    """German language names, comma-separated."""
    return ", ".join(LANGUAGE_NAMES.get(c, c) for c in codes)


def offers_text(tags: tuple[str, ...] | list[str], taxonomy: Taxonomy) -> str:
    """German labels of need tags, comma-separated."""
    return ", ".join(taxonomy.label(t) for t in tags)


def tel_href(phone: str) -> str | None:
    """``tel:`` link with only ``+`` and digits (German numbers get +49), or None (also for text that is no number)."""
    raw = str(phone or "").strip()
    digits = re.sub(r"\D", "", raw)
    if not _PHONE.fullmatch(raw) or not 6 <= len(digits) <= 16:
        return None
    if raw.startswith("+"):
        return f"tel:+{digits}"
    if digits.startswith("00"):
        return f"tel:+{digits[2:]}"
    if digits.startswith("0"):
        return f"tel:+49{digits[1:]}"
    return f"tel:{digits}"


def mailto_href(email: str) -> str | None:
    """``mailto:`` link for a plain address (percent-encoded), or None."""
    email = str(email or "").strip()
    if not _EMAIL.fullmatch(email):
        return None
    return "mailto:" + quote(email, safe="@.-_+")


def web_href(url: str) -> str | None:
    """The address if it is an absolute ``http``/``https`` URL with a host, or None."""
    url = str(url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if any(c in url for c in " \"'<>`\\\n\r\t"):
        return None
    return url


def address_text(row) -> str:
    """„Straße, PLZ Ort“ of a typed partner row; the confidential notice instead when the address is confidential."""
    if bool(row.get("adresse_vertraulich", False)):
        return CONFIDENTIAL_ADDRESS
    return ", ".join(x for x in (str(row.get("strasse", "")).strip(),
                                 f"{row.get('plz', '')} {row.get('ort', '')}".strip()) if x)


def partner_table(partners: pd.DataFrame, taxonomy: Taxonomy, gazetteer: Gazetteer) -> pd.DataFrame:
    """One row per partner with German column names (``TABLE_COLUMNS``) and readable values."""
    orte = gazetteer.orte
    sr_names = orte["sozialraum_name"].replace("", "außerhalb des Kreises")
    out = pd.DataFrame({
        "id": partners["id"].astype(str),
        "name": partners["name"],
        "kategorie": partners["kategorie"].map(taxonomy.label),
        "traeger": partners["traeger"],
        "angebote": partners["angebote"].map(lambda t: offers_text(t, taxonomy)),
        "strasse": partners["strasse"].where(~partners["adresse_vertraulich"], CONFIDENTIAL_ADDRESS),
        "plz": partners["plz"],
        "ort": partners["ort"],
        "sozialraum": partners["ags"].map(sr_names).fillna(""),
        "alter": [age_text(v, b) for v, b in zip(partners["alter_von"], partners["alter_bis"])],
        "sprachen": partners["sprachen"].map(languages_text),
        "barrierefrei": partners["barrierefrei"].map(BARRIEREFREI_LABELS).fillna(partners["barrierefrei"]),
        "telefon": partners["telefon"],
        "email": partners["email"],
        "website": partners["website"],
        "ansprechperson": partners["ansprechperson"],
        "oeffnungszeiten": partners["oeffnungszeiten"],
        "geprueft_am": partners["geprueft_am"],
        "aktiv": partners["aktiv"].map({True: "ja", False: "nein"}),
    }, index=partners.index)
    return out.rename(columns=TABLE_COLUMNS).reset_index(drop=True)

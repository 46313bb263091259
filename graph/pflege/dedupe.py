"""Duplicate detection (pure): name and address keys, fuzzy name matches within a Gemeinde.

Used by the importer (matching incoming rows against the directory) and by the review
states of the Pflege page (possible duplicates inside the directory).
"""

from __future__ import annotations

import re

import pandas as pd
from rapidfuzz import fuzz, process

from geo.names import normalize_name

#: token_sort_ratio (0–100) from which two names in the same Gemeinde count as a likely duplicate.
NAME_THRESHOLD = 90
#: Lower threshold when the address is the same too.
SAME_ADDRESS_THRESHOLD = 75
#: Words left out when comparing the words two names do not share.
NOISE_WORDS = frozenset({"e", "v", "ev", "ggmbh", "gmbh", "gug", "die", "der", "das", "und", "fuer", "in", "im", "am"})
#: Similarity (0–100) the differing words must reach (typo, not a different place or school type).
DIFFERING_WORDS_THRESHOLD = 80
_STREET = re.compile(r"(strasse|str)\b")


def name_key(name: str) -> str:
    """Comparison key of a partner name (case, umlauts, punctuation folded)."""
    return normalize_name(name)


def address_key(strasse: str, place: str) -> str:
    """Comparison key of street + place (``Hauptstr. 5`` = ``Hauptstraße 5``); empty without street."""
    street = _STREET.sub("str", normalize_name(strasse)).replace(" ", "")
    return f"{street}|{str(place).strip()}" if street else ""


def similar_names(a: str, b: str, threshold: float = NAME_THRESHOLD) -> float | None:
    """Score if two name keys likely denote the same partner, else None.

    The overall token_sort_ratio must reach ``threshold`` and the words the names do not
    share must be typos of each other: "Förderschule" vs "Grundschule", or an extra
    place name on one side, make two names distinct however similar the rest is.
    """
    a = " ".join(w for w in a.split() if w not in NOISE_WORDS)
    b = " ".join(w for w in b.split() if w not in NOISE_WORDS)
    score = fuzz.token_sort_ratio(a, b)
    if score < threshold:
        return None
    only_a = sorted(set(a.split()) - set(b.split()))
    only_b = sorted(set(b.split()) - set(a.split()))
    if only_a and only_b and fuzz.ratio(" ".join(only_a), " ".join(only_b)) < DIFFERING_WORDS_THRESHOLD:
        return None
    if bool(only_a) != bool(only_b):
        return None
    return float(score)


def keys(raw: pd.DataFrame) -> pd.DataFrame:
    """Frame with ``id``, ``name``, ``ags``, ``name_key``, ``address_key`` of raw partner rows."""
    out = pd.DataFrame({"id": raw["id"].astype(str), "name": raw["name"].astype(str), "ags": raw["ags"].astype(str)},
                       index=raw.index)
    out["name_key"] = raw["name"].map(name_key)
    out["address_key"] = [address_key(s, a) for s, a in zip(raw["strasse"], raw["ags"])]
    return out


def candidates(name: str, ags: str, directory: pd.DataFrame, limit: int = 3) -> list[dict]:
    """Likely duplicates of a name among ``keys(directory)`` rows of the same Gemeinde, best first."""
    same = directory[directory["ags"] == str(ags)]
    if same.empty or not name_key(name):
        return []
    hits = process.extract(name_key(name), same["name_key"].tolist(), scorer=fuzz.token_sort_ratio,
                           score_cutoff=SAME_ADDRESS_THRESHOLD, limit=None)
    found = [(similar_names(name_key(name), same["name_key"].iat[i]), i) for _, _, i in hits]
    found = sorted(((s, i) for s, i in found if s is not None), key=lambda t: -t[0])[:limit]
    return [{"id": same["id"].iat[i], "name": same["name"].iat[i], "score": round(s)} for s, i in found]


def possible_duplicates(raw: pd.DataFrame) -> pd.DataFrame:
    """Pairs ``a < b`` of likely duplicates with ``score`` and German ``grund``."""
    k = keys(raw)
    rows = []
    for _, group in k.groupby("ags"):
        if len(group) < 2:
            continue
        scores = process.cdist(group["name_key"].tolist(), group["name_key"].tolist(), scorer=fuzz.token_sort_ratio)
        names, addr = group["name_key"].to_numpy(), group["address_key"].to_numpy()
        for i, j in zip(*(scores >= SAME_ADDRESS_THRESHOLD).nonzero()):
            if j <= i:
                continue
            same_address = bool(addr[i]) and addr[i] == addr[j]
            s = similar_names(names[i], names[j], SAME_ADDRESS_THRESHOLD if same_address else NAME_THRESHOLD)
            if s is not None:
                grund = "ähnlicher Name" + (" und gleiche Adresse" if same_address else " in derselben Gemeinde")
                a, b = sorted((group["id"].iat[i], group["id"].iat[j]))
                rows.append({"a": a, "b": b, "score": round(s), "grund": grund})
    return pd.DataFrame(rows, columns=["a", "b", "score", "grund"])

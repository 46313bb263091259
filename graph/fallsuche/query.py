"""What the Lotse typed → a Fallsuche query: free-text needs to tags, language names to codes.

Need words are matched against the labels, ids and synonyms of ``taxonomie.csv``
(:meth:`graph.core.taxonomy.Taxonomy.synonyms`), case- and umlaut-insensitive
(:func:`geo.names.normalize_name`), in this order: the whole entry, then multi-word
phrases, then single words exactly, as parts of compounds (``Fußballverein`` → sport) and
with typos (Damerau-Levenshtein distance 1 for words of 5–8 letters, 2 from 9 letters).
Filler words (``Hilfe``, ``für``, ``Kind`` …) are skipped; anything else unrecognised is
reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from geo.names import normalize_name
from graph.core.codes import ISO_639_1, LANGUAGE_NAMES
from graph.errors import NotFoundError, UsageError
from graph.fallsuche.matching import Query

if TYPE_CHECKING:
    from geo.gazetteer import Gazetteer
    from graph.core.taxonomy import Taxonomy
#: Words that carry no need on their own (normalised form).
STOPWORDS = frozenset("""
und oder mit ohne bei fuer der die das den dem des ein eine einen einem einer im in am an auf aus zu zum zur
von vom nach ueber unter gegen um wegen sowie auch bzw etc z b zb bitte sehr viel viele wird werden ist sind
hat haben braucht brauchen benoetigt benoetigen moechte wuenscht gesucht suche hilfe hilfen unterstuetzung
angebot angebote angeboten thema themen frage fragen problem probleme kind kinder kindes jugendliche
jugendlicher jugendlichen familie familien eltern elternteil mutter vater sohn tochter jahre jahren alt
""".split())
MIN_COMPOUND = 5  # a known word inside a compound must have at least this many letters
_SPLIT = re.compile(r"[,;/\n]+")


@dataclass(frozen=True)
class NeedMatch:
    """Result of parsing need text: ``tags`` in order of mention, what each word became, unknown words.

    ``guessed`` lists the (typed words, tag) pairs found only by typo tolerance: the page shows them
    as „meinten Sie …“ so a Lotse sees when a word was read as something else.
    """

    tags: tuple[str, ...]
    recognised: tuple[tuple[str, str], ...]
    unknown: tuple[str, ...]
    guessed: tuple[tuple[str, str], ...] = ()


class NeedVocabulary:
    """Phrase index over the taxonomy's need tags (and category words, for hints)."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.phrases: dict[str, list[str]] = {}
        for tag, words in taxonomy.synonyms().items():
            for w in words + [tag]:
                key = normalize_name(w)
                if key and tag not in self.phrases.setdefault(key, []):
                    self.phrases[key].append(tag)
        self.max_words = max((len(k.split()) for k in self.phrases), default=1)
        self.words = [k for k in self.phrases if " " not in k]
        self.multi: dict[int, list[str]] = {}
        for k in self.phrases:
            if " " in k:
                self.multi.setdefault(len(k.split()), []).append(k)
        self.compound_words = sorted((w for w in self.words if len(w) >= MIN_COMPOUND), key=len, reverse=True)
        self.categories = {normalize_name(w): kat for kat, row in taxonomy.kategorien.iterrows()
                           for w in [kat, row["label"], *row["synonyme"].split(";")] if w.strip()}

    def parse(self, items: str | Iterable[str]) -> NeedMatch:
        """Map need text (one string or several entries) to tags; unknown words are kept apart."""
        entries = [items] if isinstance(items, str) else list(items)
        tags: list[str] = []
        recognised: list[tuple[str, str]] = []
        guessed: list[tuple[str, str]] = []
        unknown: list[str] = []
        for entry in entries:
            for part in _SPLIT.split(str(entry)):
                for typed, found, fuzzy in self._parse_part(part):
                    if found is None:
                        unknown.append(typed)
                        continue
                    for tag in found:
                        recognised.append((typed, tag))
                        if fuzzy:
                            guessed.append((typed, tag))
                        if tag not in tags:
                            tags.append(tag)
        return NeedMatch(tuple(tags), tuple(recognised), tuple(dict.fromkeys(unknown)), tuple(guessed))

    def _parse_part(self, part: str) -> list[tuple[str, list[str] | None, bool]]:
        """(typed words, tags or None, found by typo tolerance) for one entry.

        Exact phrases and words win: the longest exact phrase first, then the exact single word;
        only where nothing matches exactly, a compound part or a typo-tolerant match.
        """
        words = normalize_name(part).split()
        typed = [w for w in re.split(r"[\s\-]+", part.strip()) if normalize_name(w)]
        if len(typed) != len(words):  # punctuation split differently: report normalised words
            typed = words
        out: list[tuple[str, list[str] | None, bool]] = []
        i = 0
        while i < len(words):
            span = next((n for n in range(min(self.max_words, len(words) - i), 1, -1)
                         if " ".join(words[i:i + n]) in self.phrases), None)
            if span is None and words[i] not in self.phrases:
                span = next((n for n in range(min(self.max_words, len(words) - i), 1, -1)
                             if self._fuzzy(" ".join(words[i:i + n]), self.multi.get(n, []))), None)
            if span:
                phrase = " ".join(words[i:i + span])
                hit = phrase if phrase in self.phrases else self._fuzzy(phrase, self.multi.get(span, []))
                out.append((" ".join(typed[i:i + span]), self.phrases[hit], hit != phrase))
                i += span
                continue
            if words[i] not in STOPWORDS:
                tags, fuzzy = self._word(words[i])
                out.append((typed[i], tags, fuzzy))
            i += 1
        return out

    def _word(self, word: str) -> tuple[list[str] | None, bool]:
        """Tags for one normalised word (exact, compound part, or typo; None if unknown) and whether by typo."""
        if word in self.phrases:
            return self.phrases[word], False
        if len(word) > MIN_COMPOUND:
            for known in self.compound_words:
                if word.startswith(known) or word.endswith(known):
                    return self.phrases[known], False
        near = self._fuzzy(word, self.words)
        return (self.phrases[near], True) if near else (None, False)

    @staticmethod
    def _fuzzy(key: str, choices: list[str]) -> str | None:
        limit = 0 if len(key) < 5 else 1 if len(key) <= 8 else 2
        if not limit or not choices:
            return None
        hit = process.extractOne(key, choices, scorer=DamerauLevenshtein.distance, score_cutoff=limit)
        return hit[0] if hit else None

    def unknown_message(self, words: Iterable[str]) -> str:
        """German error text for unrecognised need words, with hints."""
        parts = []
        for w in words:
            key = normalize_name(w)
            if key in self.categories:
                kat = self.categories[key]
                label = self.taxonomy.label(kat)
                parts.append(f"„{w}“ ist eine Kategorie (Kategorie „{label}“ wählen, --kategorie {kat})")
                continue
            labels = list(self.taxonomy.angebote["label"])
            hint = [m[0] for m in process.extract(w, labels, scorer=fuzz.WRatio, limit=3, score_cutoff=60)]
            parts.append(f"„{w}“" + (f" (meinten Sie: {', '.join(hint)}?)" if hint else ""))
        return ("Bedarf nicht erkannt: " + "; ".join(parts)
                + ". Bekannte Bedarfe: " + ", ".join(self.taxonomy.angebote["label"]) + ".")


def language_code(text: str) -> str:
    """ISO 639-1 code for a code or German language name (``Arabisch`` → ``ar``)."""
    raw = str(text).strip()
    if raw.lower() in ISO_639_1:
        return raw.lower()
    names = {normalize_name(n): c for c, n in LANGUAGE_NAMES.items() if c in ISO_639_1}
    key = normalize_name(raw)
    if key in names:
        return names[key]
    names_de = list(LANGUAGE_NAMES.values())
    hint = [m[0] for m in process.extract(raw, names_de, scorer=fuzz.WRatio, limit=2, score_cutoff=75)]
    extra = f" Meinten Sie: {', '.join(hint)}?" if hint else ""
    raise NotFoundError(f"Unbekannte Sprache „{raw}“ (ISO-639-1-Code wie ar, tr, uk oder deutscher Name).{extra}")


def build_query(gazetteer: Gazetteer, taxonomy: Taxonomy, gemeinde: str, bedarf: Iterable[str] = (),
                kategorie: str | None = None, alter: int | None = None, sprache: str | None = None,
                barrierefrei: bool = False, umkreis_km: float | None = None, limit: int | None = 10,
                vocabulary: NeedVocabulary | None = None, need: NeedMatch | None = None) -> Query:
    """Resolve the Lotse's input (names, free text) into a :class:`graph.fallsuche.matching.Query`.

    ``need`` is ``bedarf`` already parsed (the page parses once, to show what it recognised).
    Raises :class:`NotFoundError` (German, with suggestions) for an unknown or ambiguous
    Gemeinde, need word, category or language, :class:`UsageError` for impossible numbers.
    """
    ags = gazetteer.resolve(gemeinde)
    vocabulary = vocabulary or NeedVocabulary(taxonomy)
    need = need or vocabulary.parse([b for b in bedarf if str(b).strip()])
    if need.unknown:
        raise NotFoundError(vocabulary.unknown_message(need.unknown))
    kat = (kategorie or "").strip() or None
    if kat and not taxonomy.is_category(kat):
        by_label = {normalize_name(lbl): k for k, lbl in taxonomy.kategorien["label"].items()}
        kat = by_label.get(normalize_name(kat))
        if kat is None:
            raise NotFoundError(f"Unbekannte Kategorie „{kategorie}“ (erlaubt: {', '.join(taxonomy.category_ids)}).")
    if alter is not None and not 0 <= alter <= 99:
        raise UsageError(f"Alter muss zwischen 0 und 99 liegen (angegeben: {alter}).")
    if umkreis_km is not None and not umkreis_km > 0:
        raise UsageError(f"Umkreis muss größer als 0 km sein (angegeben: {umkreis_km}).")
    if limit is not None and limit < 1:
        raise UsageError(f"--limit muss mindestens 1 sein (angegeben: {limit}).")
    lang = language_code(sprache) if sprache and str(sprache).strip() else None
    return Query(ags=ags, tags=need.tags, kategorie=kat, alter=alter, sprache=lang, barrierefrei=barrierefrei,
                 umkreis_km=umkreis_km, limit=limit)

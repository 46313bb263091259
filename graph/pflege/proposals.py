"""Änderungsvorschläge: a network member (or a partner via the public form) proposes, the Leitstelle decides.

Proposals are the store's ``vorschlaege`` table (written in units, journaled). Anyone may propose —
nothing changes in the directory until someone with the role ``leitstelle`` accepts all or
some fields; acceptance goes through :class:`graph.pflege.editing.Editor` (validation, version
check, journal). Proposals without login must name the sender and are capped at
``MAX_OPEN_EXTERNAL``. The reason text is checked for personal data of families.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from graph.core.model import Record, find_partner
from graph.core.privacy import check_anonymous
from graph.core.roles import Actor, has_role, require_role
from graph.core.tables import spec
from graph.errors import Issue, NetzwerkError, NotFoundError, ValidationError
from graph.pflege.editing import EDIT_ROLE, Editor, clean
from graph.store import now_iso

if TYPE_CHECKING:
    from graph.services import Directory

STATUS_LABELS = {"offen": "offen", "angenommen": "angenommen", "teilweise": "teilweise angenommen",
                 "abgelehnt": "abgelehnt"}
PROPOSE_ROLE = "lesen"  # everyone; the decision needs EDIT_ROLE
MAX_OPEN_EXTERNAL = 50
MAX_REASON = spec("vorschlaege").limit("begruendung")
MAX_CONTACT = spec("vorschlaege").limit("kontakt")


class Proposals:
    """The proposals of one store."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self.store = directory.store

    def token(self) -> str:
        """Changes with every write."""
        return self.store.token("vorschlaege")

    def all(self) -> pd.DataFrame:
        """Every proposal, newest first."""
        return self.store.read("vorschlaege").iloc[::-1].reset_index(drop=True)

    def open(self) -> pd.DataFrame:
        """Proposals still waiting for a decision, oldest first."""
        frame = self.store.read("vorschlaege")
        return frame[frame["status"] == "offen"].reset_index(drop=True)

    def propose(self, actor: Actor, partner_id: str, changes: Record, begruendung: str, kontakt: str = "") -> dict:
        """Record a proposal (``partner_id`` empty = a new partner); validated before it is stored."""
        require_role(actor.rolle, PROPOSE_ROLE, "Änderung vorschlagen")
        external = not has_role(actor.rolle, "netzwerk")
        changes = {k: v for k, v in clean(changes).items() if k != "id"}
        issues = check_anonymous(begruendung, "begruendung") + self._check_text(begruendung, kontakt, external)
        basis: Record = {}
        version = ""
        editor = Editor(self.directory, actor)
        if partner_id:
            current = find_partner(self.store.read("partners"), partner_id)
            changes = {k: v for k, v in changes.items() if v != current.get(k, "")}
            if not changes:
                issues.append(Issue(0, "aenderungen", "Der Vorschlag ändert nichts am aktuellen Eintrag."))
            basis, version = {k: current.get(k, "") for k in changes}, current["version"]
        issues += [i for i in editor.check(changes, partner_id or None) if i.level == "fehler"]
        if issues:
            raise ValidationError(issues)
        with self.store.unit(actor, "vorgeschlagen", "vorschlag") as unit:
            frame = unit.read("vorschlaege")
            if external and ((frame["status"] == "offen") & (frame["rolle"] == "extern")).sum() >= MAX_OPEN_EXTERNAL:
                raise NetzwerkError("Zurzeit liegen zu viele offene Vorschläge vor. Bitte später erneut versuchen "
                                    "oder die Leitstelle Familie direkt ansprechen.")
            row = {"id": _next_id(frame["id"]), "partner_id": partner_id, "basis_version": version,
                   "aenderungen": json.dumps(changes, ensure_ascii=False), "basis": json.dumps(basis, ensure_ascii=False),
                   "begruendung": begruendung.strip(), "von": actor.name or kontakt.strip(),
                   "rolle": "extern" if external else actor.rolle, "kontakt": kontakt.strip(),
                   "eingegangen_am": now_iso(), "status": "offen", "entschieden_von": "", "entschieden_am": "",
                   "kommentar": ""}
            (stored,) = unit.put("vorschlaege", [row])
        return stored

    def diff(self, proposal_id: str) -> pd.DataFrame:
        """Field-by-field comparison: ``feld``, ``aktuell``, ``vorgeschlagen``, ``beim_vorschlag``, ``inzwischen_geaendert``."""
        p = self._get(proposal_id)
        changes, basis = json.loads(p["aenderungen"]), json.loads(p["basis"] or "{}")
        current = find_partner(self.store.read("partners"), p["partner_id"]) if p["partner_id"] else {}
        rows = [{"feld": k, "aktuell": current.get(k, ""), "vorgeschlagen": v, "beim_vorschlag": basis.get(k, ""),
                 "inzwischen_geaendert": bool(current) and current.get(k, "") != basis.get(k, "")}
                for k, v in changes.items()]
        return pd.DataFrame(rows, columns=["feld", "aktuell", "vorgeschlagen", "beim_vorschlag", "inzwischen_geaendert"])

    def decide(self, actor: Actor, proposal_id: str, accept: bool, fields: Iterable[str] | None = None,
               expected_version: int | None = None, kommentar: str = "") -> dict:
        """Accept (all or the chosen ``fields``) or reject a proposal; returns the stored partner or ``{}``."""
        require_role(actor.rolle, EDIT_ROLE, "Vorschlag entscheiden")
        with self.store.unit(actor, "entschieden", f"vorschlag:{proposal_id}") as unit:
            p = unit.row("vorschlaege", proposal_id)
            if p is None:
                raise NotFoundError(f"Kein Vorschlag „{proposal_id}“")
            if p["status"] != "offen":
                raise NetzwerkError(f"Vorschlag {proposal_id} wurde bereits entschieden ({STATUS_LABELS[p['status']]}).")
            changes = json.loads(p["aenderungen"])
            chosen = {k: v for k, v in changes.items() if fields is None or k in set(fields)}
            stored: Record = {}
            if accept and chosen:
                editor = Editor(self.directory, actor)
                quelle = f"vorschlag:{proposal_id}"
                if p["partner_id"]:
                    version = expected_version if expected_version is not None else int(p["basis_version"])
                    stored = editor.update(p["partner_id"], chosen, version, aktion="vorschlag", quelle=quelle)
                else:
                    stored = editor.add(chosen, quelle=quelle)
            status = "abgelehnt" if not (accept and chosen) else "angenommen" if chosen == changes else "teilweise"
            unit.put("vorschlaege", [{**p, "status": status, "entschieden_von": actor.name, "entschieden_am": now_iso(),
                                      "kommentar": kommentar.strip()}])
        return stored

    def _get(self, proposal_id: str) -> dict:
        frame = self.store.read("vorschlaege")
        return frame.loc[_position(frame, proposal_id)].to_dict()

    @staticmethod
    def _check_text(begruendung: str, kontakt: str, external: bool) -> list[Issue]:
        issues = []  # length and control characters: the store's check of the ``vorschlaege`` table
        if external and len(kontakt.strip()) < 3:
            issues.append(Issue(0, "kontakt", "Bitte Ihren Namen und Ihre Einrichtung angeben, damit die Leitstelle "
                                              "nachfragen kann."))
        return issues


def _position(frame: pd.DataFrame, proposal_id: str):
    hit = frame.index[frame["id"] == proposal_id]
    if not len(hit):
        raise NotFoundError(f"Kein Vorschlag „{proposal_id}“")
    return hit[0]


def _next_id(existing: pd.Series) -> str:
    numbers = [int(i[2:]) for i in existing if str(i).startswith("v-") and str(i)[2:].isdigit()]
    return f"v-{(max(numbers) + 1 if numbers else 1):05d}"



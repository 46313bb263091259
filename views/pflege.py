"""Page „Pflege“: keep the directory true – check, edit, bulk-edit, proposals, import, export, history.

What a section offers depends on the role of the session (see the sidebar login); every write
is checked again on the server side by the services in ``graph/``.
"""

from __future__ import annotations

import streamlit as st

from graph.core.roles import has_role
from views.parts import hilfe
from views.parts.pflege import bulk, checklist, datenschutz, form, history, ortsteile, proposals, transfer
from views.parts.pflege.common import Ctx, show_flash
from views.parts.shared import current_actor, directory, sample_banner, show_backup_status, snapshot, user_store
from views.parts.ui import page_help

SECTIONS = {  # label → (minimum role, render function)
    "Prüfliste": ("leitstelle", checklist.render),
    "Bearbeiten": ("leitstelle", form.render_edit),
    "Neu anlegen": ("leitstelle", form.render_new),
    "Schnellbearbeitung": ("leitstelle", bulk.render),
    "Vorschläge prüfen": ("leitstelle", proposals.render_decide),
    "Vorschlag machen": ("lesen", proposals.render_propose),
    "Import": ("leitstelle", transfer.render_import),
    "Export": ("lesen", transfer.render_export),
    "Verlauf": ("netzwerk", history.render),
    "Ortsteile": ("leitstelle", ortsteile.render),
    "Datenschutz": ("leitstelle", datenschutz.render),
}
ONLY_BELOW_LEITSTELLE = {"Vorschlag machen"}

st.title("Pflege des Verzeichnisses")
page_help(hilfe.PFLEGE)
actor = current_actor()
snap = snapshot()
sample_banner(snap)
ctx = Ctx(actor, directory(), snap)
show_flash()
if ctx.can_edit:
    show_backup_status()
allowed = [name for name, (role, _) in SECTIONS.items() if has_role(actor.rolle, role)
           and not (name in ONLY_BELOW_LEITSTELLE and ctx.can_edit)]
if not ctx.can_edit:
    hint = ("Zum Bearbeiten bitte in der Seitenleiste als Leitstelle Familie anmelden."
            if user_store().has_users() else
            "Zum Bearbeiten zuerst auf dem Server einen Zugang anlegen: "
            "`python -m graph user add NAME --rolle leitstelle`, dann in der Seitenleiste anmelden.")
    st.info(f"Sie können Änderungen vorschlagen und das Verzeichnis exportieren. {hint}")
section = st.segmented_control("Bereich", allowed, default=allowed[0], required=True, key=f"pflege_bereich_{actor.rolle}")
SECTIONS[section or allowed[0]][1](ctx)

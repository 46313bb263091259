"""Open Referral HSDS 3.0 export: organizations (Träger), services (partners), locations, areas, taxonomy.

Ids are UUIDv5 derived from our ids, so the same partner keeps the same HSDS ids in every
export. Internal notes (``notizen``) are never exported. The files and the schema each
item is valid against (``../shared/reference/hsds-3.0/``):
``organizations.json`` → compiled/organization_list.json, ``services.json`` →
compiled/service_with_definitions.json, ``service_at_locations.json`` →
compiled/service_at_location_list.json, ``locations.json`` → location.json,
``service_areas.json`` → service_area.json, ``taxonomies.json`` → taxonomy.json,
``taxonomy_terms.json`` → taxonomy_term.json.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import pandas as pd

from geo.gazetteer import Gazetteer
from graph.core.codes import LANGUAGE_NAMES
from graph.core.model import parse_partners
from graph.core.taxonomy import Taxonomy
from graph.errors import NotFoundError

NAMESPACE = uuid.UUID("5b0c1f0e-6a57-4c1e-9f0b-7472696572a1")
STATE = "Rheinland-Pfalz"
REGION = "Landkreis Trier-Saarburg"
BARRIEREFREI_TEXT = {"ja": "barrierefrei", "teilweise": "teilweise barrierefrei", "nein": "nicht barrierefrei"}
AREA_KIND = {"gemeinde": "Gemeinde", "vg": "Verbandsgemeinde", "sozialraum": "Sozialraum", "kreis": "Landkreis"}
TAXONOMIES = {"kategorie": ("Kategorien", "Arten von Netzwerkpartnern der Jugendhilfe im Landkreis Trier-Saarburg"),
              "angebot": ("Bedarfe", "Bedarfe von Familien, die Netzwerkpartner abdecken (Angebote)")}


def hsds_id(kind: str, key: str) -> str:
    """Stable UUIDv5 for one of our entities."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def hsds_documents(raw: pd.DataFrame, gazetteer: Gazetteer, taxonomy: Taxonomy) -> dict[str, list[dict]]:
    """File name → JSON array of the HSDS export of all partners (active and inactive)."""
    partners = parse_partners(raw)
    raw = raw.set_index("id", drop=False)
    terms = _terms(taxonomy)
    organizations = _organizations(partners)
    services, locations, links, areas = [], [], [], []
    for pid, p in partners.iterrows():
        r = raw.loc[pid]
        service_id, location = hsds_id("service", pid), _location(p, r)
        link = {"id": hsds_id("service_at_location", pid), "service_id": service_id, "location_id": location["id"]}
        service_areas = _areas(p, service_id, gazetteer)
        service = _service(p, r, service_id, terms)
        service.update(service_areas=service_areas, service_at_locations=[link])
        services.append(service)
        locations.append(location)
        links.append({**link, "location": location})
        areas += service_areas
    return {"organizations.json": organizations, "services.json": services, "service_at_locations.json": links,
            "locations.json": locations, "service_areas.json": areas,
            "taxonomies.json": [_taxonomy(kind) for kind in TAXONOMIES],
            "taxonomy_terms.json": list(terms.values())}


def _organization_key(p: pd.Series) -> str:
    return (p["traeger"] or p["name"]).strip()


def _organizations(partners: pd.DataFrame) -> list[dict]:
    out = []
    for name, group in partners.groupby(partners.apply(_organization_key, axis=1), sort=True):
        n = len(group)
        out.append({"id": hsds_id("organization", name), "name": name,
                    "description": f"Träger von {n} {'Angebot' if n == 1 else 'Angeboten'} im Netzwerk der "
                                   f"Jugendhilfe im {REGION}."})
    return out


def _service(p: pd.Series, r: pd.Series, service_id: str, terms: dict[str, dict]) -> dict:
    tags = [t for t in p["angebote"] if ("angebot", t) in terms]
    description = terms[("kategorie", p["kategorie"])]["name"] if ("kategorie", p["kategorie"]) in terms else ""
    if tags:
        description += ": " + ", ".join(terms[("angebot", t)]["name"] for t in tags)
    s = {"id": service_id, "organization_id": hsds_id("organization", _organization_key(p)), "name": p["name"],
         "description": description, "status": "active" if p["aktiv"] else "inactive"}
    if r["website"]:
        s["url"] = r["website"]
    if r["email"]:
        s["email"] = r["email"]
    for key, col in (("minimum_age", "alter_von"), ("maximum_age", "alter_bis")):
        if pd.notna(p[col]):
            s[key] = int(p[col])
    if "minimum_age" in s or "maximum_age" in s:
        lo, hi = s.get("minimum_age"), s.get("maximum_age")
        s["eligibility_description"] = (f"Alter {lo}–{hi} Jahre" if lo is not None and hi is not None
                                         else f"ab {lo} Jahren" if lo is not None else f"bis {hi} Jahre")
    if r["geprueft_am"]:
        s["assured_date"] = r["geprueft_am"]
    if r["geaendert_am"]:
        changed = datetime.fromisoformat(r["geaendert_am"])  # naive = local time of the server that saved it
        s["last_modified"] = (changed if changed.tzinfo else changed.astimezone()).isoformat(timespec="milliseconds")
    if r["telefon"]:
        s["phones"] = [{"id": hsds_id("phone", p["id"]), "service_id": service_id, "number": r["telefon"]}]
    if r["ansprechperson"]:
        s["contacts"] = [{"id": hsds_id("contact", p["id"]), "service_id": service_id, "name": r["ansprechperson"]}]
    if r["oeffnungszeiten"]:
        s["schedules"] = [{"id": hsds_id("schedule", p["id"]), "service_id": service_id, "description": r["oeffnungszeiten"]}]
    s["languages"] = [{"id": hsds_id("language", f"{p['id']}:{c}"), "service_id": service_id,
                       "name": LANGUAGE_NAMES.get(c, c), "code": c} for c in p["sprachen"]]
    keys = [("kategorie", p["kategorie"])] + [("angebot", t) for t in tags]
    s["attributes"] = [{"id": hsds_id("attribute", f"{p['id']}:{k}:{v}"), "link_id": service_id, "link_type": k,
                        "link_entity": "service", "taxonomy_term_id": terms[(k, v)]["id"], "taxonomy_term": terms[(k, v)]}
                       for k, v in keys if (k, v) in terms]
    return s


def _location(p: pd.Series, r: pd.Series) -> dict:
    loc_id = hsds_id("location", p["id"])
    loc = {"id": loc_id, "location_type": "physical", "name": p["name"], "external_identifier": r["ags"],
           "external_identifier_type": "AGS (Amtlicher Gemeindeschlüssel)"}
    if pd.notna(p["lat"]) and pd.notna(p["lon"]):
        loc.update(latitude=float(p["lat"]), longitude=float(p["lon"]))
    if (r["strasse"] or r["plz"]) and not p["adresse_vertraulich"]:  # a confidential address is omitted
        loc["addresses"] = [{"id": hsds_id("address", p["id"]), "location_id": loc_id, "address_1": r["strasse"],
                             "city": r["ort"], "region": REGION, "state_province": STATE, "postal_code": r["plz"],
                             "country": "DE", "address_type": "physical"}]
    if r["barrierefrei"] in BARRIEREFREI_TEXT:
        loc["accessibility"] = [{"id": hsds_id("accessibility", p["id"]), "location_id": loc_id,
                                 "description": BARRIEREFREI_TEXT[r["barrierefrei"]]}]
    return loc


def _areas(p: pd.Series, service_id: str, gazetteer: Gazetteer) -> list[dict]:
    tokens = list(p["einzugsgebiet"]) or [f"gem:{p['ags']}"]
    out = []
    for token in tokens:
        try:
            area = gazetteer.area(token)
        except NotFoundError:
            continue
        out.append({"id": hsds_id("service_area", f"{p['id']}:{token}"), "service_id": service_id, "name": area.name,
                    "description": f"{AREA_KIND[area.kind]} {area.name}", "extent_type": "AGS/ARS",
                    "extent": area.id})
    return out


def _terms(taxonomy: Taxonomy) -> dict[tuple[str, str], dict]:
    out = {}
    for kind, part in (("kategorie", taxonomy.kategorien), ("angebot", taxonomy.angebote)):
        for key, row in part.iterrows():
            out[(kind, str(key))] = {"id": hsds_id(f"term:{kind}", str(key)), "code": str(key), "name": row["label"],
                                     "description": row["beschreibung"] or row["label"],
                                     "taxonomy_id": hsds_id("taxonomy", kind), "language": "de"}
    return out


def _taxonomy(kind: str) -> dict:
    name, description = TAXONOMIES[kind]
    return {"id": hsds_id("taxonomy", kind), "name": name, "description": description, "version": "1"}


"""Every Cypher statement of the Neo4j store.

All user values travel as parameters (``$rows``, ``$id`` …). The only text ever put into a
statement are the constant labels, relationship types and property names of this module and
of :mod:`graph.core.tables` (checked against fixed patterns below), never data.

Schema: area nodes ``Kreis``, ``Sozialraum``, ``Verbandsgemeinde``, ``Gemeinde`` (also
labelled ``Gebiet`` with their Einzugsgebiet ``token`` such as ``gem:07235068``, ``sr:konz``,
``kreis``), ``Kategorie``, ``Angebot``; ``Partner`` (every partners.csv column as a string
property) with ``LIEGT_IN``, ``VERSORGT``, ``GEHOERT_ZU`` (``Traeger``), ``IST``, ``BIETET``;
cooperations as ``KOOPERIERT_MIT`` relationships between partners; every other table as nodes
of its label (``Kontakt``, ``Zustaendigkeit``, ``Bedarfsmeldung``, ``Vorschlag``, ``Ortsteil``,
``Benutzer``, ``Geokodierung``) keyed by ``schluessel``; the journal as ``Journaleintrag`` nodes.
Every written row carries ``herkunft`` (``app`` or ``abgleich``: written by the app or by a
mirror run). One ``Datenstand`` node serialises the writers (each unit's first statement
writes it) and holds a counter per table (the cache tokens) and the last journal number.
"""

from __future__ import annotations

import re

from graph.core.formats import STEPS
from graph.core.tables import TABLES

DATENSTAND_ID = "netzwerk"
AREA_LABELS = ("Kreis", "Sozialraum", "Verbandsgemeinde", "Gemeinde")
REFERENCE_LABELS = AREA_LABELS + ("Kategorie", "Angebot")
PARTNER_LINKS = ("LIEGT_IN", "VERSORGT", "GEHOERT_ZU", "IST", "BIETET")
GRAPH_TABLES = ("partners", "kooperationen")
#: Node label per table kept as plain nodes (every table but partners and cooperations).
ROW_LABELS = {name: s.label for name, s in TABLES.items() if name not in GRAPH_TABLES}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
assert all(_NAME.match(x) for x in (*ROW_LABELS.values(), *REFERENCE_LABELS, *PARTNER_LINKS))

# ---------------------------------------------------------------------------- schema
SCHEMA = (
    [f"CREATE CONSTRAINT netzwerk_{label}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
     for label in (*REFERENCE_LABELS, "Partner", "Traeger", "Datenstand")]
    + ["CREATE CONSTRAINT netzwerk_Gebiet_token IF NOT EXISTS FOR (n:Gebiet) REQUIRE n.token IS UNIQUE",
       "CREATE CONSTRAINT netzwerk_Journaleintrag_nr IF NOT EXISTS FOR (n:Journaleintrag) REQUIRE n.nr IS UNIQUE",
       "CREATE INDEX netzwerk_KOOPERIERT_MIT_id IF NOT EXISTS FOR ()-[k:KOOPERIERT_MIT]-() ON (k.id)"]
    + [f"CREATE CONSTRAINT netzwerk_{label}_schluessel IF NOT EXISTS FOR (n:{label}) REQUIRE n.schluessel IS UNIQUE"
       for label in ROW_LABELS.values()]
)
MERGE_REFERENCE = {
    label: f"UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET n += r.props"
    + (", n:Gebiet" if label in AREA_LABELS else "")
    for label in REFERENCE_LABELS
}
MERGE_IN = ("UNWIND $rows AS r MATCH (c:Gebiet {token: r.c}) MATCH (p:Gebiet {token: r.p}) "
            "MERGE (c)-[:IN]->(p)")

# ------------------------------------------------------------------------ datenstand
#: The first statement of every unit: takes the write lock of the Datenstand node (MATCH, not MERGE:
#: MERGE would first take a shared lock, and two units upgrading theirs at once deadlock).
BEGIN = ("MATCH (m:Datenstand {id: $id}) SET m.stand = m.stand + 1 "
         "RETURN m.stand AS stand, coalesce(m.journal_nr, 0) AS journal_nr")
#: Creates the Datenstand node once (schema setup, before any unit).
CREATE_DATENSTAND = "MERGE (m:Datenstand {id: $id}) ON CREATE SET m.stand = 0 SET m.schema = $schema"
STAMP = "MATCH (m:Datenstand {id: $id}) SET m += $stamps"
STAND = "MATCH (m:Datenstand {id: $id}) RETURN properties(m) AS m"
PING = "RETURN 1 AS ok"

# ----------------------------------------------------------------------------- reads
LOAD = {
    "partners": "MATCH (p:Partner) RETURN properties(p) AS r ORDER BY p.id",
    "kooperationen": ("MATCH (a:Partner)-[k:KOOPERIERT_MIT]->(b:Partner) "
                      "RETURN properties(k) AS r, a.id AS a, b.id AS b ORDER BY k.id"),
    **{t: f"MATCH (n:{label}) RETURN properties(n) AS r ORDER BY n.schluessel" for t, label in ROW_LABELS.items()},
}
EDITED = {
    "partners": "MATCH (p:Partner) WHERE p.herkunft = 'app' RETURN p.id AS k",
    "kooperationen": "MATCH ()-[k:KOOPERIERT_MIT]->() WHERE k.herkunft = 'app' RETURN k.id AS k",
    **{t: f"MATCH (n:{label}) WHERE n.herkunft = 'app' RETURN n.schluessel AS k" for t, label in ROW_LABELS.items()},
}
MARK_MIRRORED = {
    "partners": "MATCH (p:Partner) WHERE p.herkunft = 'app' SET p.herkunft = 'abgleich'",
    "kooperationen": "MATCH ()-[k:KOOPERIERT_MIT]->() WHERE k.herkunft = 'app' SET k.herkunft = 'abgleich'",
    **{t: f"MATCH (n:{label}) WHERE n.herkunft = 'app' SET n.herkunft = 'abgleich'" for t, label in ROW_LABELS.items()},
}
LOAD_JOURNAL = "MATCH (j:Journaleintrag) RETURN properties(j) AS r ORDER BY j.nr"

# ---------------------------------------------------------------------------- writes
PUT = {
    "partners": "UNWIND $rows AS r MERGE (p:Partner {id: r.key}) SET p = r.props, p.herkunft = $herkunft",
    "kooperationen": ("UNWIND $rows AS r MATCH (a:Partner {id: r.a}) MATCH (b:Partner {id: r.b}) "
                      "OPTIONAL MATCH ()-[old:KOOPERIERT_MIT {id: r.key}]->() DELETE old "
                      "CREATE (a)-[k:KOOPERIERT_MIT]->(b) SET k = r.props, k.herkunft = $herkunft "
                      "RETURN count(k) AS n"),
    **{t: (f"UNWIND $rows AS r MERGE (n:{label} {{schluessel: r.key}}) "
           "SET n = r.props, n.schluessel = r.key, n.herkunft = $herkunft")
       for t, label in ROW_LABELS.items()},
}
DELETE = {
    "kooperationen": "UNWIND $keys AS k MATCH ()-[r:KOOPERIERT_MIT {id: k}]->() DELETE r",
    **{t: f"UNWIND $keys AS k MATCH (n:{label} {{schluessel: k}}) DELETE n" for t, label in ROW_LABELS.items()},
}
DROP_PARTNER_LINKS = ("UNWIND $ids AS i MATCH (p:Partner {id: i})-[r:" + "|".join(PARTNER_LINKS) + "]->() "
                      "DELETE r")
LINK = {
    "LIEGT_IN": "UNWIND $rows AS r MATCH (p:Partner {id: r.p}) MATCH (g:Gemeinde {id: r.t}) CREATE (p)-[:LIEGT_IN]->(g)",
    "VERSORGT": "UNWIND $rows AS r MATCH (p:Partner {id: r.p}) MATCH (a:Gebiet {token: r.t}) CREATE (p)-[:VERSORGT]->(a)",
    "GEHOERT_ZU": ("UNWIND $rows AS r MATCH (p:Partner {id: r.p}) MERGE (t:Traeger {id: r.t}) "
                   "ON CREATE SET t.name = r.name CREATE (p)-[:GEHOERT_ZU]->(t)"),
    "IST": "UNWIND $rows AS r MATCH (p:Partner {id: r.p}) MATCH (k:Kategorie {id: r.t}) CREATE (p)-[:IST]->(k)",
    "BIETET": "UNWIND $rows AS r MATCH (p:Partner {id: r.p}) MATCH (a:Angebot {id: r.t}) CREATE (p)-[:BIETET]->(a)",
}
assert set(LINK) == set(PARTNER_LINKS)
DROP_ORPHAN_TRAEGER = "MATCH (t:Traeger) WHERE NOT (t)<-[:GEHOERT_ZU]-() DELETE t"
APPEND_JOURNAL = "UNWIND $rows AS r CREATE (j:Journaleintrag) SET j = r"
CLEAR_JOURNAL = "MATCH (j:Journaleintrag) DELETE j"
COUNT_NODES = "MATCH (n) RETURN count(n) AS n"

# ------------------------------------------------------------------- format upgrades
def _rows_of(table: str) -> str:
    return "MATCH ()-[n:KOOPERIERT_MIT]->()" if table == "kooperationen" else f"MATCH (n:{TABLES[table].label})"


assert all(_NAME.match(s.column) for s in STEPS)
#: Per (table, column) a later format added: count the rows that lack it, and give them the default.
LACKING = {(s.table, s.column): f"{_rows_of(s.table)} WHERE n.{s.column} IS NULL RETURN count(n) AS n" for s in STEPS}
FILL_DEFAULT = {(s.table, s.column): f"{_rows_of(s.table)} WHERE n.{s.column} IS NULL SET n.{s.column} = $default"
                for s in STEPS}
SET_FORMAT = "MATCH (m:Datenstand {id: $id}) SET m.datenformat = $version"

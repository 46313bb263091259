"""Pflege of the directory by the Leitstelle: editing, journal, proposals, review, duplicates, DSGVO."""

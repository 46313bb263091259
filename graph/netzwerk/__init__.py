"""Netzwerkarbeit: cooperations, contacts and Zuständigkeiten (service), network analysis, annual report."""

"""Netzwerkpartner-Karte Trier-Saarburg: the domain core (model, graph, store, services)."""

__version__ = "0.1.0"

"""Page „Karte“ (placeholder until its issue lands)."""

from views.shared import coming_soon

coming_soon("Karte", "Partner auf der Karte mit Filtern und Gebietsgrenzen.")

"""Page „Verzeichnis“ (placeholder until its issue lands)."""

from views.shared import coming_soon

coming_soon("Verzeichnis", "durchsuchbare Partnerliste mit Detailansicht und Export.")

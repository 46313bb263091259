"""Page „Abdeckung“ (placeholder until its issue lands)."""

from views.shared import coming_soon

coming_soon("Abdeckung", "Welche Gemeinden haben welche Angebote nicht?")

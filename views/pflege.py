"""Page „Pflege“ (placeholder until its issue lands)."""

from views.shared import coming_soon

coming_soon("Pflege", "Partner anlegen, ändern, prüfen, importieren.")

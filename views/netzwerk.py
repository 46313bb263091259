"""Page „Netzwerk“ (placeholder until its issue lands)."""

from views.shared import coming_soon

coming_soon("Netzwerk", "Kooperationen, Kontaktpflege und Jahresbericht.")

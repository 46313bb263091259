"""Page „Fallsuche“ (placeholder until its issue lands)."""

from views.shared import coming_soon

coming_soon("Fallsuche", "Wer kann einer Familie in Gemeinde X helfen?")

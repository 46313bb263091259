"""Fallsuche: ranking of partners for one family's needs (matching), free-text needs (query), the handout."""

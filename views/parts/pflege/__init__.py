"""Sections of the Pflege page (one module each); the page module picks them by role."""

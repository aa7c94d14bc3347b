"""Notifications: turns what happens on the platform into messages pushed to a
household's terminals (the gateway streams them over SSE)."""

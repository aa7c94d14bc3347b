"""Opinions: what this service does for citizens (services/opinions, made by `python -m runtime.new opinions`)."""

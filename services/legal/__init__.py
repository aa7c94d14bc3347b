"""Legal: what this service does for citizens (services/legal, made by `python -m runtime.new legal`)."""

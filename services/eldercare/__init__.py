"""Eldercare: what this service does for citizens (services/eldercare, made by `python -m runtime.new eldercare`)."""

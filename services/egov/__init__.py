"""Egov: what this service does for citizens (services/egov, made by `python -m runtime.new egov`)."""

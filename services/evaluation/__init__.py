"""Evaluation: what this service does for citizens (services/evaluation, made by `python -m runtime.new evaluation`)."""

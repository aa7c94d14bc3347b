"""Tourism: what this service does for citizens (services/tourism, made by `python -m runtime.new tourism`)."""

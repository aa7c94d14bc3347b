"""Education: what this service does for citizens (services/education, made by `python -m runtime.new education`)."""

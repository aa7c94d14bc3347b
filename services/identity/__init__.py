"""Identity: households and their set-top boxes, staff, departments, tokens."""

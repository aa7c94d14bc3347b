"""The one public HTTP entry: REST/JSON for set-top boxes and mobile apps."""

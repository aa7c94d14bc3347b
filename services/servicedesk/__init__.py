"""Service desk: broadcasting service requests, held to the published standards."""

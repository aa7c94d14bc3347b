"""E-government in the living room: the item catalog per district, applications by households and
their village agents, and the departments that decide them over gRPC."""

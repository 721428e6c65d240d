"""REST API of events, their participants, and the context timeline."""

"""REST API of organisations, persons and positions (see liaison.core.api)."""

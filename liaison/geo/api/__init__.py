"""REST API of the reference data: countries (ISO 3166-1) and subdivisions (ISO 3166-2)."""

"""REST API of vetting files (vetting officers only) and of clearances (everyone)."""

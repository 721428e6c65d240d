"""REST API of schools, courses, sessions and enrolments."""

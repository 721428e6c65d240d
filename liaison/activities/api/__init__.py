"""REST API of agreements, activities (with bulk import), requests and assignments."""

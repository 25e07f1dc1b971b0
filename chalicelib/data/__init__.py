"""Data access: PynamoDB models and the named access patterns built on them."""

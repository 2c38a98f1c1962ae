"""Event and API contracts shared by every service: the envelope, the catalog, schemas."""

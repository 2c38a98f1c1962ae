"""Code every service shares: settings, topology declarations, observability, API and
event plumbing. Nothing here knows about a particular service's domain."""

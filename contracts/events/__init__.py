"""Event data models, one module per publishing service.

Importing one module loads only that service's events (a producer that never reads
another service's events does not pay for their models); `contracts.catalog` lists the
modules. Add a service's module to `EVENT_MODULES` there when it declares its first event
type.
"""

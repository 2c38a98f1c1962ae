"""Event data models, one module per publishing service.

Add a service's module to MODULES when it declares its first event type.
"""

from types import ModuleType

from contracts.events import documents, identity, provisioning

MODULES: tuple[ModuleType, ...] = (identity, provisioning, documents)

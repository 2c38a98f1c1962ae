"""Event data models, one module per publishing service.

Add a service's module to MODULES when it declares its first event type.
"""

from types import ModuleType

MODULES: tuple[ModuleType, ...] = ()

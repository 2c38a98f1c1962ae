"""Field-level authorization: every field a response carries is covered by the caller's
permissions, decided once from the response model rather than by hand in each route.

A response model marks a field with the read permission its content falls under
(`Field(default=None, json_schema_extra=covered_by(Area.BILLING))`, shown as
`x-scts-permission` in the OpenAPI document). `visible_to` blanks (null) every marked field
the caller's `Access` does not cover, and `areas_of` lists the areas a view is made of, so
its route admits anyone who may read at least one of them.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel

from common.access.guard import Access
from common.access.permissions import Action, Area, permission

PERMISSION_KEY = "x-scts-permission"

M = TypeVar("M", bound=BaseModel)


def covered_by(area: Area) -> dict[str, Any]:
    """Schema metadata of a response field (`json_schema_extra`): the read permission its
    content falls under. The field must accept None (it is null when not covered)."""
    return {PERMISSION_KEY: permission(area, Action.READ)}


@cache
def field_permissions(model: type[BaseModel]) -> dict[str, str]:
    """Field name -> the permission covering it, for the marked fields of `model`.
    Refuses a marked field that cannot be null (it could not be withheld)."""
    marked: dict[str, str] = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if not isinstance(extra, dict) or PERMISSION_KEY not in extra:
            continue
        if info.is_required() or info.default is not None:
            raise TypeError(f"{model.__name__}.{name} is covered by a permission: default None")
        marked[name] = str(extra[PERMISSION_KEY])
    return marked


def areas_of(model: type[BaseModel]) -> frozenset[Area]:
    """The areas whose read permission covers some field of `model`."""
    return frozenset(Area(p.split(":", 1)[0]) for p in field_permissions(model).values())


def visible_to(response: M, access: Access) -> M:
    """`response` with every marked field the caller's permissions do not cover set to None."""
    hidden = {
        name: None
        for name, wanted in field_permissions(type(response)).items()
        if wanted not in access.permissions
    }
    return response.model_copy(update=hidden) if hidden else response

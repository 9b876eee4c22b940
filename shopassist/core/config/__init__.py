"""Scoped configuration: fields declared in code, values in the database.

Read a value with ``config.get("customer/account_share/scope", store_view=sv)``.
"""

from shopassist.core.config.registry import (  # noqa: F401
    ALL_SCOPES,
    GLOBAL_ONLY,
    BoolField,
    ChoiceField,
    Group,
    IntField,
    Scope,
    Section,
    TextField,
    get_field,
    register_section,
    sections,
)
from shopassist.core.config.resolver import config  # noqa: F401

"""Write configuration values."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shopassist.core.config.registry import Scope, get_field
from shopassist.core.config.resolver import config
from shopassist.core.signals import config_saved

INHERIT = object()  # marker: remove the value at this scope ("Use default")


@dataclass
class ConfigValidationError(Exception):
    errors: dict[str, list[str]]


def save_config_values(*, scope: Scope, scope_id: int, values: dict, actor) -> list[str]:
    """Validate all values, then store them in one transaction; return the changed paths.

    ``values`` maps a field path to a raw string, or to ``INHERIT`` to use the parent scope.
    Nothing is saved if any value is invalid.
    """
    from shopassist.core.models import ConfigValue

    scope = Scope(scope)
    if scope == Scope.DEFAULT:
        scope_id = 0
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str | object] = {}
    for path, raw in values.items():
        try:
            field = get_field(path)
        except KeyError:
            errors[path] = [_("Unknown configuration field.")]
            continue
        if scope not in field.scopes:
            errors[path] = [_("This field cannot be set at this scope.")]
            continue
        if raw is INHERIT:
            cleaned[path] = INHERIT
            continue
        try:
            cleaned[path] = field.serialize(field.parse(raw))
        except ValidationError as exc:
            errors[path] = exc.messages
    if errors:
        raise ConfigValidationError(errors)

    changed = []
    values_before: dict[str, str | None] = {}  # None: inherited from the parent scope
    with transaction.atomic():
        existing = {
            row.path: row
            for row in ConfigValue.objects.select_for_update().filter(
                scope=scope, scope_id=scope_id, path__in=list(cleaned)
            )
        }
        for path, value in cleaned.items():
            row = existing.get(path)
            values_before[path] = row.value if row is not None else None
            if value is INHERIT:
                if row is not None:
                    row.delete()
                    changed.append(path)
            elif row is None:
                ConfigValue.objects.create(scope=scope, scope_id=scope_id, path=path, value=value)
                changed.append(path)
            elif row.value != value:
                row.value = value
                row.save(update_fields=["value", "updated_at"])
                changed.append(path)
        if changed:
            transaction.on_commit(config.invalidate)
            config_saved.send(
                sender=ConfigValue,
                scope=scope,
                scope_id=scope_id,
                paths=changed,
                # What each changed path held before and holds now at this scope (None:
                # inherited), for the log: who widened a limit, and from what to what.
                changes={
                    path: {
                        "from": values_before[path],
                        "to": None if cleaned[path] is INHERIT else cleaned[path],
                    }
                    for path in changed
                },
                actor=actor,
            )
    return changed

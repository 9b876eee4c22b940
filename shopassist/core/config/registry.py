"""The typed registry of configuration fields.

Apps declare sections (a page in Stores › Settings › Configuration), groups and fields in their
``config.py``. A field's path is ``section/group/field``; its scopes say where it may be set.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class Scope(StrEnum):
    DEFAULT = "default"
    WEBSITE = "website"
    STORE_VIEW = "store_view"


ALL_SCOPES = (Scope.DEFAULT, Scope.WEBSITE, Scope.STORE_VIEW)
GLOBAL_ONLY = (Scope.DEFAULT,)


@dataclass(frozen=True, kw_only=True)
class ConfigField(ABC):
    id: str
    label: str
    default: Any
    comment: str = ""
    scopes: tuple[Scope, ...] = GLOBAL_ONLY
    path: str = ""  # filled in by register_section

    @abstractmethod
    def parse(self, raw: str) -> Any:
        """Turn a stored or submitted string into a typed value; ValidationError if bad."""

    def serialize(self, value: Any) -> str:
        return str(value)

    @abstractmethod
    def form_field(self) -> forms.Field:
        """The admin form field editing this value."""


YES_NO = (("1", _("Yes")), ("0", _("No")))


@dataclass(frozen=True, kw_only=True)
class BoolField(ConfigField):
    def parse(self, raw: str) -> bool:
        if raw not in ("0", "1"):
            raise ValidationError(_("Choose Yes or No."), code="invalid_bool")
        return raw == "1"

    def serialize(self, value: bool) -> str:
        return "1" if value else "0"

    def form_field(self) -> forms.Field:
        return forms.ChoiceField(choices=YES_NO, label=self.label, help_text=self.comment)


@dataclass(frozen=True, kw_only=True)
class IntField(ConfigField):
    min_value: int | None = None
    max_value: int | None = None

    def parse(self, raw: str) -> int:
        field = forms.IntegerField(min_value=self.min_value, max_value=self.max_value)
        return field.clean(raw)

    def form_field(self) -> forms.Field:
        return forms.IntegerField(
            min_value=self.min_value,
            max_value=self.max_value,
            label=self.label,
            help_text=self.comment,
        )


@dataclass(frozen=True, kw_only=True)
class TextField(ConfigField):
    max_length: int = 255
    required: bool = True

    def parse(self, raw: str) -> str:
        return forms.CharField(max_length=self.max_length, required=self.required).clean(raw)

    def form_field(self) -> forms.Field:
        return forms.CharField(
            max_length=self.max_length,
            required=self.required,
            label=self.label,
            help_text=self.comment,
            widget=forms.TextInput(attrs={"size": 60}),
        )


@dataclass(frozen=True, kw_only=True)
class ChoiceField(ConfigField):
    choices: tuple[tuple[str, str], ...] = ()

    def parse(self, raw: str) -> str:
        if raw not in {value for value, _label in self.choices}:
            raise ValidationError(_("Select a valid choice."), code="invalid_choice")
        return raw

    def form_field(self) -> forms.Field:
        return forms.ChoiceField(choices=self.choices, label=self.label, help_text=self.comment)


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    fields: tuple[ConfigField, ...]


@dataclass(frozen=True)
class Section:
    """One page of the configuration: ``tab`` is its heading in the left panel."""

    id: str
    tab: str
    title: str
    resource: str  # ACL resource id guarding the page
    groups: tuple[Group, ...]
    sort_order: int = 100

    def fields(self):
        for group in self.groups:
            yield from group.fields


_sections: dict[str, Section] = {}
_fields: dict[str, ConfigField] = {}


def register_section(section: Section) -> Section:
    if section.id in _sections:
        raise ValueError(f"configuration section {section.id!r} registered twice")
    for group in section.groups:
        for config_field in group.fields:
            path = f"{section.id}/{group.id}/{config_field.id}"
            object.__setattr__(config_field, "path", path)
            _fields[path] = config_field
    _sections[section.id] = section
    return section


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.sort_order, s.id))


def get_section(section_id: str) -> Section:
    return _sections[section_id]


def get_field(path: str) -> ConfigField:
    return _fields[path]

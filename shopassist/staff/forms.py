from django import forms
from django.contrib.auth.models import Group
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from shopassist.core import acl
from shopassist.staff import roles


class OptionsDisabledMixin:
    """A choice widget some of whose options are shown but cannot be picked. Only a hint: the
    server refuses them whatever is posted."""

    disabled_values: frozenset = frozenset()

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


class RadioSelectWithDisabled(OptionsDisabledMixin, forms.RadioSelect):
    pass


class CheckboxSelectWithDisabled(OptionsDisabledMixin, forms.CheckboxSelectMultiple):
    pass


class ResourceTreeWidget(forms.CheckboxSelectMultiple):
    """The ACL tree as nested checkboxes (titles are ours, escaped by format_html)."""

    disabled_values: frozenset = frozenset()  # resources the editor does not hold

    def render(self, name, value, attrs=None, renderer=None):
        checked = set(value or [])
        disabled = self.disabled_values

        def render_nodes(nodes):
            items = format_html_join(
                "",
                '<li><label><input type="checkbox" name="{}" value="{}"{}{}> {}</label>{}</li>',
                (
                    (
                        name,
                        node.id,
                        " checked" if node.id in checked else "",
                        " disabled" if node.id in disabled else "",
                        node.title,
                        render_nodes(node.children) if node.children else "",
                    )
                    for node in nodes
                ),
            )
            return format_html("<ul>{}</ul>", items)

        return format_html(
            '<div class="sa-role-tree" id="{}">{}</div>',
            (attrs or {}).get("id", f"id_{name}"),
            render_nodes(acl.tree()),
        )


class RoleForm(forms.ModelForm):
    resource_access = forms.ChoiceField(
        label=_("Resource Access"),
        choices=((roles.ACCESS_ALL, _("All")), (roles.ACCESS_CUSTOM, _("Custom"))),
        widget=RadioSelectWithDisabled,
        initial=roles.ACCESS_CUSTOM,
    )
    resources = forms.MultipleChoiceField(
        label=_("Resources"), required=False, widget=ResourceTreeWidget
    )

    class Meta:
        model = Group
        fields = ("name",)
        labels = {"name": _("Role Name")}

    editor = None  # the staff user editing (RoleAdmin.get_form sets it)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resources"].choices = [
            (resource.id, resource.title) for resource, _parent in acl.all_resources()
        ]
        held = roles.user_resources(self.editor) if self.editor is not None else None
        if held is not None:
            # Offer only what the editor may grant (RoleAdmin.save_model enforces it).
            lacked = {resource.id for resource, _parent in acl.all_resources()} - held
            self.fields["resources"].widget.disabled_values = frozenset(lacked)
            self.fields["resource_access"].widget.disabled_values = frozenset({roles.ACCESS_ALL})
        if self.instance.pk:
            access, resource_ids = roles.role_resources(self.instance)
            self.initial["resource_access"] = access
            self.initial["resources"] = sorted(resource_ids)

    def save_resources(self, role):
        roles.set_role_resources(
            role,
            access=self.cleaned_data["resource_access"],
            resource_ids=self.cleaned_data["resources"],
        )

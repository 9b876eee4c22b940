from django import forms
from django.contrib.auth.models import Group
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from shopassist.core import acl
from shopassist.staff import roles


class ResourceTreeWidget(forms.CheckboxSelectMultiple):
    """The ACL tree as nested checkboxes (titles are ours, escaped by format_html)."""

    def render(self, name, value, attrs=None, renderer=None):
        checked = set(value or [])

        def render_nodes(nodes):
            items = format_html_join(
                "",
                '<li><label><input type="checkbox" name="{}" value="{}"{}> {}</label>{}</li>',
                (
                    (
                        name,
                        node.id,
                        " checked" if node.id in checked else "",
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
        widget=forms.RadioSelect,
        initial=roles.ACCESS_CUSTOM,
    )
    resources = forms.MultipleChoiceField(
        label=_("Resources"), required=False, widget=ResourceTreeWidget
    )

    class Meta:
        model = Group
        fields = ("name",)
        labels = {"name": _("Role Name")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resources"].choices = [
            (resource.id, resource.title) for resource, _parent in acl.all_resources()
        ]
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

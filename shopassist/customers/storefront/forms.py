from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=4096)


class RegisterForm(forms.Form):
    first_name = forms.CharField(label=_("First Name"), max_length=150)
    last_name = forms.CharField(label=_("Last Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=4096)
    password_confirmation = forms.CharField(
        label=_("Confirm Password"), widget=forms.PasswordInput, max_length=4096
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_confirmation"):
            self.add_error("password_confirmation", _("The two passwords do not match."))
        return data


class AccountInformationForm(forms.Form):
    first_name = forms.CharField(label=_("First Name"), max_length=150)
    last_name = forms.CharField(label=_("Last Name"), max_length=150)
    change_email = forms.BooleanField(label=_("Change E-mail"), required=False)
    change_password = forms.BooleanField(label=_("Change Password"), required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    current_password = forms.CharField(
        label=_("Current Password"), widget=forms.PasswordInput, required=False, max_length=4096
    )
    new_password = forms.CharField(
        label=_("New Password"), widget=forms.PasswordInput, required=False, max_length=4096
    )
    new_password_confirmation = forms.CharField(
        label=_("Confirm New Password"),
        widget=forms.PasswordInput,
        required=False,
        max_length=4096,
    )

    def clean(self):
        data = super().clean()
        if data.get("change_password"):
            if not data.get("new_password"):
                self.add_error("new_password", _("Enter a new password."))
            elif data.get("new_password") != data.get("new_password_confirmation"):
                self.add_error("new_password_confirmation", _("The two passwords do not match."))
        if (data.get("change_email") or data.get("change_password")) and not data.get(
            "current_password"
        ):
            self.add_error("current_password", _("Enter your current password."))
        return data


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)


class SetNewPasswordForm(forms.Form):
    new_password = forms.CharField(
        label=_("New Password"), widget=forms.PasswordInput, max_length=4096
    )
    new_password_confirmation = forms.CharField(
        label=_("Confirm New Password"), widget=forms.PasswordInput, max_length=4096
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") != data.get("new_password_confirmation"):
            self.add_error("new_password_confirmation", _("The two passwords do not match."))
        return data

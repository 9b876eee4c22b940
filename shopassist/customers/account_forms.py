"""Extra sections other apps add to the storefront account forms (registration and Account
Information) without this app knowing them — e.g. the assistance consent checkbox.

An extension is an object with:
- ``pages``: the pages it joins, a subset of {"register", "account_edit"};
- ``form(request, customer, data)``: its form (``customer`` is None at registration),
  with a ``template_name`` attribute naming the template that renders it;
- ``save(request, customer, form, actor)``: called in the same transaction as the account
  change; raising ``ValidationError`` rolls everything back and shows the message.
"""

_extensions: list = []


def register_account_form_extension(extension) -> None:
    _extensions.append(extension)


def extension_forms(page: str, request, customer, data) -> list:
    return [
        (extension, extension.form(request, customer, data))
        for extension in _extensions
        if page in extension.pages
    ]

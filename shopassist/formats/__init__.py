"""Locale formats that differ from Django's (settings.FORMAT_MODULE_PATH): only the names
defined in a language's module are overridden, the rest come from Django's own."""

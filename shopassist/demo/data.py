"""The demo data every later issue and acceptance check relies on: keep these names."""

WEBSITE = {"code": "base", "name": "Main Website"}
STORE = {"name": "Main Store"}
STORE_VIEWS = [
    # code, name, locale, sort order
    ("en", "English", "en", 0),
    ("fr", "Français", "fr", 1),
    ("ko", "한국어", "ko", 2),
    ("zh-hant", "繁體中文", "zh-hant", 3),
]

# role name → "all" or the ACL resource ids it grants (apps extend these lists)
ROLES = {
    "Administrators": "all",
    "Customer Support": [
        "customers.manage",
        "customers.login_as_customer.allow",
        "customers.login_as_customer.view_log",
        "customers.manage.actions.assistance_opt_in",
        "system.action_log.report",
        # The agents help with orders: they read the sales documents (and start Login as
        # Customer from them) but create no invoice, shipment, credit memo or comment.
        "sales.operations.orders",
        "sales.operations.invoices",
        "sales.operations.shipments",
        "sales.operations.creditmemos",
    ],
    # Sees what the customer sees to explain it, changes nothing: view-only assisted sessions.
    "Support Trainee": [
        "customers.manage",
        "customers.login_as_customer.view_only",
        "sales.operations.orders",
    ],
    # SPEC §3: View Login as Customer Log "may see the session log and the action report".
    "Auditor": ["customers.login_as_customer.view_log", "system.action_log.report"],
    "Sales Clerk": [
        "sales.operations.orders",
        "sales.operations.orders.invoice",
        "sales.operations.orders.ship",
        "sales.operations.orders.creditmemo",
        "sales.operations.orders.comment",
        "sales.operations.invoices",
        "sales.operations.shipments",
        "sales.operations.creditmemos",
    ],
}

# username → (first name, last name, role); password "demo-" + username
STAFF = {
    "admin": ("Alex", "Admin", "Administrators"),
    "support": ("Sam", "Support", "Customer Support"),
    "trainee": ("Taylor", "Trainee", "Support Trainee"),
    "auditor": ("Avery", "Auditor", "Auditor"),
    "clerk": ("Casey", "Clerk", "Sales Clerk"),
}

CUSTOMER_PASSWORD = "demo-customer"  # noqa: S105 - documented demo password
# e-mail → (first name, last name, store view code)
CUSTOMERS = {
    "jane.doe@example.com": ("Jane", "Doe", "en"),
    "marie.dupont@example.com": ("Marie", "Dupont", "fr"),
    "kim.minji@example.com": ("Kim", "Minji", "ko"),
    "chen.wei@example.com": ("Chen", "Wei", "zh-hant"),
}

ADDRESSES = {
    "jane.doe@example.com": ("100 Main Street", "Springfield", "12345", "US", "+1 555 0100"),
    "marie.dupont@example.com": ("12 rue de Rivoli", "Paris", "75001", "FR", "+33 1 23 45 67 89"),
    "kim.minji@example.com": ("서울특별시 중구 세종대로 110", "서울", "04524", "KR", "+82 2 120"),
    "chen.wei@example.com": ("臺北市信義區市府路1號", "臺北", "110", "TW", "+886 2 2720 8889"),
}

# Customers who ticked "Allow remote shopping assistance" (Chen has not).
CONSENTING_CUSTOMERS = ["jane.doe@example.com", "marie.dupont@example.com", "kim.minji@example.com"]
# Configuration stored by the demo (path → value), set only where nothing is stored yet.
CONFIG = {"login_as_customer/general/enabled": "1"}

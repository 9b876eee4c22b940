"""Every entry of ShopAssist's action log — Login as Customer's, admin changes, system — goes
out through Login as Customer's audit stream for a SIEM (``login_as_customer/audit_stream.py``),
with its chain hash, once its transaction has committed."""

from login_as_customer import audit_stream
from shopassist.audit import writer

writer.on_written(audit_stream.emit_entry)

"""The safety net: warning signs raised to staff, acknowledged, and put on the audit trail."""

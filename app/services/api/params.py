"""What an OAuth parameter may hold: printable ASCII only (RFC 6749 Appendix A, VSCHAR). Anything
else is refused before it reaches Authlib, which quotes some parameters in its error descriptions
and refuses to build one holding other characters, or the database, where PostgreSQL refuses a NUL
byte in text."""

from __future__ import annotations


def printable_ascii(value: str) -> bool:
    return all(" " <= character <= "~" for character in value)

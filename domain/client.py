"""What a join says about the client it came from: device, address and country.

The parsing (User-Agent) and the lookup (IP address to country) are done by adapters behind
ports in ``commands.ports``; this module only decides how their answers combine, so the rule
is the same wherever a join is written, and a replay reads the result from the event instead
of asking a database that may have changed since (decision 0027).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

# ISO 3166-1 alpha-2 is two ASCII letters; anything else a client sends as a hint is ignored.
COUNTRY_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
USER_AGENT_LIMIT = 512  # longer User-Agent headers are cut: the read model's rows stay small


@dataclass(frozen=True)
class Device:
    """What a User-Agent header says: browser, operating system, kind of device."""

    browser: str = ""  # "Chrome 120", "Mobile Safari 17"
    os: str = ""  # "Windows 10", "iOS 17"
    kind: str = ""  # desktop, mobile, tablet, bot, other ("" when unknown)


def country_hint(value: str | None) -> str:
    """A client's own country (ISO 3166-1 alpha-2, upper case), or "" if it is not one."""
    code = (value or "").strip().upper()
    return code if len(code) == 2 and set(code) <= COUNTRY_LETTERS else ""


def is_address(ip: str) -> bool:
    """Whether ``ip`` is an IPv4 or IPv6 address: what stands in for one when none is known
    (a proxy's "unknown", a test client's name) is no client's address and is not recorded."""
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        return False
    return True


def client_seen(
    user_agent: str, ip: str, device: Device, ip_country: str | None, hint: str | None
) -> dict[str, str]:
    """The ``client`` of a join event: what was sent and what was derived from it.

    The client's own hint wins over the address (a VPN or a corporate proxy puts the address
    elsewhere); ``country_from`` says which decided ("hint", "ip", or "" when neither knew).
    """
    hinted = country_hint(hint)
    looked_up = country_hint(ip_country)
    country, source = (hinted, "hint") if hinted else (looked_up, "ip" if looked_up else "")
    return {
        "user_agent": user_agent[:USER_AGENT_LIMIT],
        "ip": ip if is_address(ip) else "",
        "browser": device.browser,
        "os": device.os,
        "device": device.kind,
        "country": country,
        "country_from": source,
    }

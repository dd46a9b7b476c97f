"""The adapters behind ``DeviceReader`` and ``CountryLookup`` (commands.ports).

* ``UaParserDevices``: ua-parser (the maintained Python port of Browserscope's parser, with its
  rules from ua-parser-builtins and the ua-parser-rs matcher when installed). ua-parser names
  browser, system and device model, not the kind of device; ``device_kind`` decides that from
  what it named, never from the raw header.
* ``IptoccCountries``: iptocc, whose wheel carries the regional registries' country table
  compiled into its extension: no data file to download or open, IPv4 and IPv6, nothing at
  import (decision 0027 says why it and not geoip2fast).
"""

from __future__ import annotations

import ipaddress

import iptocc
import ua_parser

from domain.client import Device

# Operating systems of phones (and phone-sized devices) as ua-parser names them.
MOBILE_SYSTEMS = frozenset(
    {"iOS", "Android", "Windows Phone", "BlackBerry OS", "KaiOS", "Symbian OS", "Firefox OS"}
)
DESKTOP_SYSTEMS = frozenset(
    {"Windows", "Mac OS X", "Linux", "Ubuntu", "Fedora", "Chrome OS", "FreeBSD", "Debian"}
)


def _named(family: str | None, *versions: str | None) -> str:
    if not family or family == "Other":
        return ""
    shown = ".".join(v for v in versions if v)
    return f"{family} {shown}" if shown else family


def device_kind(device_family: str, brand: str | None, os_family: str, user_agent: str) -> str:
    """desktop, mobile, tablet, bot or other, from what ua-parser found."""
    if device_family == "Spider":
        return "bot"
    if device_family == "iPad" or "tablet" in device_family.lower() or "Kindle" in device_family:
        return "tablet"
    if os_family == "Android":
        # Android's own convention: phone browsers say "Mobile", tablet browsers do not.
        return "mobile" if "Mobile" in user_agent else "tablet"
    if device_family in ("Other", "Mac") and os_family in DESKTOP_SYSTEMS:
        return "desktop"
    if os_family in MOBILE_SYSTEMS or brand in {"Apple", "Samsung", "Huawei", "Xiaomi"}:
        return "mobile"
    return "other" if user_agent else ""


WARM_UP = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"


class UaParserDevices:
    """``DeviceReader`` over ua-parser's default (cached) parser."""

    def __init__(self) -> None:
        # ua-parser loads its rules on first use (~0.1 s here): pay it at start-up, not in the
        # first person's join. A parse reads no file and opens no connection.
        self.read(WARM_UP)

    def read(self, user_agent: str) -> Device:
        if not user_agent.strip():
            return Device()
        found = ua_parser.parse(user_agent).with_defaults()
        agent, system, device = found.user_agent, found.os, found.device
        return Device(
            browser=_named(agent.family, agent.major),
            os=_named(system.family, system.major, system.minor if system.major else None),
            kind=device_kind(device.family, device.brand, system.family, user_agent),
        )


class IptoccCountries:
    """``CountryLookup`` over iptocc's bundled table."""

    def country(self, ip: str) -> str | None:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return None  # "testclient", "unknown": nothing to look up
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if not address.is_global:
            return None
        return iptocc.country_code(str(address))

"""Dial-in: the phone gateway's numbers by city, and what toll-free minutes cost.

The cities are the help centre's list (Ankara to Zürich). The numbers themselves are the
telephony provider's and change with contracts, so they are configuration in production; the
ones here are fictitious: the country's calling code, then a 555 01xx test-style subscriber
number, so nobody is ever dialled by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.money import Money

TOLL_FREE_RATE_PER_MINUTE = Money(12)  # cents per attendee-minute


@dataclass(frozen=True)
class DialInNumber:
    code: str  # ISO country code
    location: str  # the city
    value: str  # the number to dial
    geo: str  # continent, as the v1 API groups them


_CITIES = """
TR Ankara EU|GR Athens EU|NZ Auckland OC|TH Bangkok AS|ES Barcelona EU|DE Berlin EU
CH Bern EU|CO Bogota SA|SK Bratislava EU|BE Brussels EU|RO Bucharest EU|HU Budapest EU
AR Buenos_Aires SA|DK Copenhagen EU|IE Dublin EU|DE Frankfurt EU|FI Helsinki EU
HK Hong_Kong AS|IL Jerusalem AS|UA Kyiv EU|PT Lisbon EU|SI Ljubljana EU|GB London EU
LU Luxembourg EU|ES Madrid EU|AU Melbourne OC|MX Mexico_City NA|IT Milan EU|CA Montreal NA
US New_York NA|NO Oslo EU|FR Paris EU|CZ Prague EU|LV Riga EU|IT Rome EU
US San_Francisco NA|CL Santiago SA|BR Sao_Paulo SA|KR Seoul AS|SG Singapore AS|BG Sofia EU
SE Stockholm EU|AU Sydney OC|EE Tallinn EU|JP Tokyo AS|CA Toronto NA|AT Vienna EU
LT Vilnius EU|PL Warsaw EU|HR Zagreb EU|CH Zürich EU
"""


CALLING_CODES = {
    "AR": 54, "AT": 43, "AU": 61, "BE": 32, "BG": 359, "BR": 55, "CA": 1, "CH": 41, "CL": 56,
    "CO": 57, "CZ": 420, "DE": 49, "DK": 45, "EE": 372, "ES": 34, "FI": 358, "FR": 33, "GB": 44,
    "GR": 30, "HK": 852, "HR": 385, "HU": 36, "IE": 353, "IL": 972, "IT": 39, "JP": 81, "KR": 82,
    "LT": 370, "LU": 352, "LV": 371, "MX": 52, "NO": 47, "NZ": 64, "PL": 48, "PT": 351, "RO": 40,
    "SE": 46, "SG": 65, "SI": 386, "SK": 421, "TH": 66, "TR": 90, "UA": 380, "US": 1,
}  # fmt: skip


def _numbers() -> tuple[DialInNumber, ...]:
    entries = [e.split() for line in _CITIES.strip().splitlines() for e in line.split("|")]
    return tuple(
        DialInNumber(code, city.replace("_", " "), f"+{CALLING_CODES[code]} 555 01{n:02d}", geo)
        for n, (code, city, geo) in enumerate(entries)
    )


DIAL_IN_NUMBERS: tuple[DialInNumber, ...] = _numbers()


def toll_free_cost(expected_attendees: int, duration_minutes: int) -> Money:
    """What toll-free dial-in would cost if every expected attendee called for the whole event."""
    return TOLL_FREE_RATE_PER_MINUTE.times(max(expected_attendees, 0) * max(duration_minutes, 0))


# Toll-free numbers: the organizer pays the minutes (``TOLL_FREE_RATE_PER_MINUTE``), the caller
# nothing. Fictitious like the city numbers: the country's free-phone prefix, then 555 0199.
TOLL_FREE_NUMBERS: tuple[DialInNumber, ...] = (
    DialInNumber("US", "United States (toll-free)", "+1 800 555 0199", "NA"),
    DialInNumber("GB", "United Kingdom (toll-free)", "+44 800 555 0199", "EU"),
    DialInNumber("DE", "Germany (toll-free)", "+49 800 555 0199", "EU"),
    DialInNumber("PL", "Poland (toll-free)", "+48 800 555 0199", "EU"),
)


def digits_of(number: str) -> str:
    """A phone number as its digits only: "+48 555 0149" and "+485550149" are one number."""
    return "".join(c for c in number if c.isdigit())


_GATEWAY = {digits_of(n.value): (n, False) for n in DIAL_IN_NUMBERS} | {
    digits_of(n.value): (n, True) for n in TOLL_FREE_NUMBERS
}


def gateway_number(called: str) -> tuple[DialInNumber, bool] | None:
    """The gateway number a call reached and whether it is toll-free; None if not ours."""
    return _GATEWAY.get(digits_of(called))


def billable_minutes(seconds: float) -> int:
    """Minutes billed for a call of ``seconds``: every started minute, as carriers bill."""
    whole = int(seconds)
    return max(0, -(-whole // 60))


def call_cost(toll_free: bool, seconds: float) -> Money:
    """What a call costs the organizer: toll-free minutes at the rate; a local call nothing."""
    return TOLL_FREE_RATE_PER_MINUTE.times(billable_minutes(seconds)) if toll_free else Money(0)


# A dial-in charge's ledger reference names the session it paid for, so the transaction
# history can show that session's calls (its details and CDR). The part paid by card has its
# own prefix: the payment gateway's key is derived from the reference, and the two parts of
# one charge must not share one.
CHARGE_PREFIXES = ("dial-in", "dial-in-card")


def charge_reference(room_id: object, session: int, by_card: bool = False) -> str:
    """The ledger reference of session ``session``'s toll-free charge (or of its card part)."""
    return f"{CHARGE_PREFIXES[by_card]}:{room_id}:{session}"


def charged_session(reference: str) -> tuple[str, int] | None:
    """The (room id, session number) a dial-in charge's reference names; None for another
    reference, and for charges recorded before references named their session."""
    prefix, _, rest = reference.partition(":")
    room_id, _, session = rest.rpartition(":")
    if prefix not in CHARGE_PREFIXES or not room_id or not session.isdigit():
        return None
    return room_id, int(session)

"""What the timeline shows of an event: only facts known to be safe, as one line of text.

Allowlisted, not denylisted: a field is shown only if its name is in ``SHOWN``, so a field added
to an event later (a token, a hash, a secret) stays out of the timeline until someone decides
it is safe. Every field of every event is in ``SHOWN`` or ``LEFT_OUT`` (a test checks that), so
the decision is made, and written down, for each. The finished line is masked for card numbers
as a last line of defence (a room named after a card number is still shown without it).

Who sees a row is decided too: billing and subaccount management (``owner_only``) are for the
account's owner, as the API's billing and subaccount routes are (docs/roles.md).
"""

from __future__ import annotations

from typing import Any

from domain.cards import mask_card_numbers

SUMMARY_LIMIT = 300

# Safe to show to everyone who reads the account's timeline: names, amounts, dates, states,
# and the people the account deals with (members share the account's contacts and guests).
SHOWN = frozenset(
    {"name", "owner_email", "nonprofit", "kind", "label", "last4", "brand",
     "plan_id", "cycle", "period_start", "period_end", "effective", "percent_off", "ends_at",
     "ended_subaccounts", "dropped_add_ons", "add_on", "quantity", "size", "subaccount_id",
     "dropped_package", "room_id", "name_url", "status", "locked", "email", "first_name",
     "last_name", "role", "lang", "template", "nickname", "seat", "via", "until", "login_id",
     "sequence", "amount", "currency", "balance_after", "description", "reference",
     "parent_id", "page_name", "user_name", "package_size", "expires", "handle", "slug", "n",
     "emails", "locked_until", "session", "how", "outcome", "thank_you_page_url",
     "language", "session_ref", "pages", "kinds", "generation", "replay", "position",
     "since"}
)  # fmt: skip
# Never shown, each for a reason:
LEFT_OUT = frozenset(
    {
        # bookkeeping of the log, or shown in the row's own columns
        "originator_id", "originator_version", "originator_topic", "timestamp", "at",
        "account_id", "password_generation", "scope", "fingerprint", "key",
        "keep_since",  # a lockout's window start: how the login's state is rebuilt
        # mail is never in the timeline (its owner reads it at /mail, without bodies)
        "to", "subject", "purpose", "error", "retry_at",
        "by",  # a mail claim's deliverer; who started, locked or ended a live session
        # credentials and what could be turned back into one
        "token",  # a payment token, a per-invitee token, an access token: each lets someone in
        "password_hash", "digest", "secrets", "hash", "previous_hash",
        "code",  # a registrant's personal room code (and promo codes, which are the owner's)
        # nested structures shown by their own rule below, or personal answers and mail bodies
        "settings", "changes", "answers", "details", "body",
        "client",  # a join's User-Agent, IP address and country: the attendance report's only
        "rating", "comment",  # a person's exit rating: the attendance report's only
        "url",  # a webhook's URL: receivers often put their own token in it (decision 0034)
    }
)  # fmt: skip

# Account events any login of the account may see; every other Account event is billing or
# subaccount seats, as are the ledger's and subaccounts' events.
_ACCOUNT_EVENTS_FOR_ALL = frozenset({"Account.Opened", "Account.TrialExpired", "Account.Closed"})
_OWNER_ONLY_MODULES = ("domain.ledger", "domain.subaccount", "domain.webhook")


def summarize(event: Any) -> str:
    """A line a person can read: what happened and its safe facts."""
    kind = type(event).__qualname__
    facts = []
    for name, value in vars(event).items():
        # Collections are left out: a list of emails or add-ons is not one line's fact.
        if name not in SHOWN or value is None or isinstance(value, dict | list | tuple):
            continue
        facts.append(f"{name}={value}")
    settings = getattr(event, "settings", None)
    if isinstance(settings, dict) and "name" in settings:
        facts.insert(0, f"name={settings['name']}")
    changes = getattr(event, "changes", None)
    if isinstance(changes, dict):
        facts.append("changed " + ", ".join(sorted(changes)))
    text = kind + (": " + ", ".join(facts) if facts else "")
    return mask_card_numbers(text)[:SUMMARY_LIMIT]


def owner_only(event: Any) -> bool:
    """Whether only the account's owner may see this event's row: billing and subaccounts."""
    kind = type(event).__qualname__
    if kind.startswith("Account."):
        return kind not in _ACCOUNT_EVENTS_FOR_ALL
    return type(event).__module__.startswith(_OWNER_ONLY_MODULES)

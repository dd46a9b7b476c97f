"""Add-ons, subaccount packages and seats on the Account: limits, prorated charges, accounting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from fractions import Fraction
from uuid import UUID, uuid4

import pytest

from domain.account import Account
from domain.errors import InvalidRequestError, LimitExceededError, RuleViolationError
from domain.money import Money
from domain.plans import AddOn, BillingCycle, UnknownPlanError
from tests.unit.factories import START, half_up, paid_account, trial_account

NOV_15 = datetime(2026, 11, 15, 9, 0, tzinfo=UTC)
OCT_23 = datetime(2026, 10, 23, 14, 0, tzinfo=UTC)  # 23 of the period's 31 days left


def help_centre_share(monthly_cents: int) -> Money:
    """What the help centre's example charges for a monthly price bought on 23 Oct."""
    return Money(half_up(Fraction(monthly_cents * 23, 31)))


# ---- camera feeds, room sessions, storage -----------------------------------------------------


def test_camera_feeds_go_from_four_to_at_most_seven() -> None:
    """Up to 3 extra camera feeds can be bought, raising the limit from 4 to 7."""
    account = paid_account()
    assert account.limits().camera_feeds == 4
    account.buy_add_on(AddOn.CAMERA_FEED, 2, OCT_23)
    account.buy_add_on(AddOn.CAMERA_FEED, 1, OCT_23)
    assert account.limits().camera_feeds == 7


@pytest.mark.parametrize(("first", "second"), [(3, 1), (2, 2), (0, 4)])
def test_a_fourth_extra_camera_feed_is_refused(first: int, second: int) -> None:
    """Buying past 3 extra camera feeds raises LimitExceededError and records nothing."""
    account = paid_account()
    if first:
        account.buy_add_on(AddOn.CAMERA_FEED, first, OCT_23)
        account.collect_events()
    with pytest.raises(LimitExceededError, match="at most 3 extra camera feeds"):
        account.buy_add_on(AddOn.CAMERA_FEED, second, OCT_23)
    assert account.collect_events() == []
    assert account.limits().camera_feeds == 4 + first


def test_add_on_is_charged_prorated_for_the_rest_of_the_period() -> None:
    """Two camera feeds bought on 23 Oct cost 23/31 of two months' feeds."""
    account = paid_account()
    charges = account.buy_add_on(AddOn.CAMERA_FEED, 2, OCT_23)
    assert [(c.kind, c.amount) for c in charges] == [("add_on", help_centre_share(2 * 1000))]


def test_add_on_on_an_annual_plan_is_prorated_over_the_year() -> None:
    """On an annual plan an add-on costs 12 months prorated by the days left of the year."""
    account = paid_account("live-100", BillingCycle.ANNUAL)
    charges = account.buy_add_on(AddOn.STORAGE, 1, OCT_23)
    # 15 Oct 2026 - 15 Oct 2027 is 365 days; from 23 Oct 8 of them are gone.
    assert [c.amount for c in charges] == [Money(half_up(Fraction(1000 * 12 * (365 - 8), 365)))]


def test_room_sessions_and_storage_add_to_the_limits() -> None:
    """Each room session adds one concurrent session, each storage unit 1024 MB."""
    account = paid_account("live-100")
    account.buy_add_on(AddOn.ROOM_SESSION, 2, OCT_23)
    account.buy_add_on(AddOn.STORAGE, 3, OCT_23)
    assert account.limits().room_sessions == 1 + 2
    assert account.limits().storage_mb == 512 + 3 * 1024


def test_renewal_charges_the_add_ons_for_a_full_period() -> None:
    """Add-ons bought mid-period are charged in full with the next period."""
    account = paid_account("live-100")
    account.buy_add_on(AddOn.ROOM_SESSION, 2, OCT_23)
    charges = account.renew(NOV_15)
    assert [(c.kind, c.amount) for c in charges] == [
        ("plan", Money(7900)),
        ("add_on", Money(2 * 2500)),
    ]


@pytest.mark.parametrize("quantity", [0, -1])
def test_add_on_quantity_must_be_positive(quantity: int) -> None:
    """Zero or negative quantities are an invalid request."""
    with pytest.raises(InvalidRequestError, match="at least 1"):
        paid_account().buy_add_on(AddOn.STORAGE, quantity, OCT_23)


def test_a_trial_cannot_buy_add_ons() -> None:
    """Add-ons need a paid plan."""
    with pytest.raises(RuleViolationError, match="subscribe first"):
        trial_account().buy_add_on(AddOn.CAMERA_FEED, 1, OCT_23)


# ---- 200 extra seats --------------------------------------------------------------------------


@pytest.mark.parametrize(("plan_id", "attendees"), [("live-100", 100), ("live-500", 500)])
def test_extra_seats_add_two_hundred_attendees_on_100_and_500(plan_id: str, attendees: int) -> None:
    """The seats add-on raises the audience by 200 on the 100 and 500 plans, prorated."""
    account = paid_account(plan_id)
    charges = account.buy_add_on(AddOn.EXTRA_SEATS, 1, OCT_23)
    assert account.limits().max_attendees == attendees + 200
    assert [c.amount for c in charges] == [help_centre_share(9900)]


@pytest.mark.parametrize("plan_id", ["live-25", "live-50", "live-150", "live-200", "live-1000"])
def test_extra_seats_only_on_the_100_and_500_plans(plan_id: str) -> None:
    """Other plans cannot buy the 200-seat add-on."""
    account = paid_account(plan_id)
    with pytest.raises(RuleViolationError, match="100 or 500 attendee package"):
        account.buy_add_on(AddOn.EXTRA_SEATS, 1, OCT_23)
    assert account.collect_events() == []


@pytest.mark.parametrize(("first", "second"), [(1, 1), (0, 2)])
def test_extra_seats_are_bought_at_most_once(first: int, second: int) -> None:
    """A second block of 200 seats is refused."""
    account = paid_account("live-500")
    if first:
        account.buy_add_on(AddOn.EXTRA_SEATS, first, OCT_23)
    with pytest.raises(LimitExceededError, match="once per account"):
        account.buy_add_on(AddOn.EXTRA_SEATS, second, OCT_23)
    assert account.limits().max_attendees == 500 + 200 * first


# ---- subaccount packages ----------------------------------------------------------------------


def test_packages_are_prorated_like_the_help_centre_example() -> None:
    """Two packages of 100 bought on 23 Oct cost 23/31 of two months; the renewal full months."""
    account = paid_account()
    charges = account.buy_packages(100, 2, OCT_23)
    assert [(c.kind, c.amount) for c in charges] == [("subaccounts", help_centre_share(2 * 5500))]
    assert account.free_seats(100) == 2
    renewal = account.renew(NOV_15)
    assert [(c.kind, c.amount) for c in renewal] == [
        ("plan", Money(7900)),
        ("subaccounts", Money(2 * 5500)),
    ]


def test_unknown_package_size_is_refused() -> None:
    """Only sizes 25, 50, 100 and 200 are sold; nothing is recorded otherwise."""
    account = paid_account()
    with pytest.raises(UnknownPlanError, match="sizes are"):
        account.buy_packages(75, 1, OCT_23)
    assert account.collect_events() == []


def test_package_quantity_must_be_positive() -> None:
    """Buying zero packages is an invalid request."""
    with pytest.raises(InvalidRequestError):
        paid_account().buy_packages(25, 0, OCT_23)


def test_a_trial_cannot_buy_packages() -> None:
    """Subaccount packages need a paid plan."""
    with pytest.raises(RuleViolationError):
        trial_account().buy_packages(25, 1, OCT_23)


# ---- seats ------------------------------------------------------------------------------------


def with_packages(**sizes: int) -> Account:
    """A paid account holding ``s25=2``-style numbers of packages per size."""
    account = paid_account()
    for name, quantity in sizes.items():
        account.buy_packages(int(name.removeprefix("s")), quantity, START)
    account.collect_events()
    return account


def test_assigning_a_seat_takes_a_free_package() -> None:
    """Each assigned subaccount takes one free package of its size."""
    account = with_packages(s25=2)
    first, second = uuid4(), uuid4()
    account.assign_seat(first, 25)
    assert account.free_seats(25) == 1
    account.assign_seat(second, 25)
    assert account.free_seats(25) == 0
    with pytest.raises(LimitExceededError, match="no free subaccount package of 25"):
        account.assign_seat(uuid4(), 25)


def test_a_seat_of_a_size_not_bought_is_refused() -> None:
    """Assigning needs a package of exactly that size."""
    account = with_packages(s25=1)
    with pytest.raises(LimitExceededError, match="of 50 attendees"):
        account.assign_seat(uuid4(), 50)


def test_a_trial_cannot_assign_seats() -> None:
    """Seats need a paid plan."""
    with pytest.raises(RuleViolationError):
        trial_account().assign_seat(uuid4(), 25)


def test_resizing_moves_the_subaccount_to_a_free_package() -> None:
    """Resizing frees the old package and takes a free one of the new size."""
    account = with_packages(s25=1, s50=1)
    sub = uuid4()
    account.assign_seat(sub, 25)
    account.resize_seat(sub, 50)
    assert (account.free_seats(25), account.free_seats(50)) == (1, 0)
    assert account.subaccounts == {str(sub): 50}


def test_resizing_needs_a_free_package_of_the_new_size() -> None:
    """With no free package of the new size the resize is refused and nothing changes."""
    account = with_packages(s25=1, s50=1)
    holder, sub = uuid4(), uuid4()
    account.assign_seat(holder, 50)
    account.assign_seat(sub, 25)
    account.collect_events()
    with pytest.raises(LimitExceededError):
        account.resize_seat(sub, 50)
    with pytest.raises(LimitExceededError):
        account.resize_seat(sub, 100)
    assert account.collect_events() == []


def test_resizing_to_the_same_size_is_refused() -> None:
    """A subaccount already on a size cannot be resized to it."""
    account = with_packages(s25=2)
    sub = uuid4()
    account.assign_seat(sub, 25)
    with pytest.raises(RuleViolationError, match="already has a package of 25"):
        account.resize_seat(sub, 25)


def test_releasing_a_seat_frees_the_paid_package() -> None:
    """A deleted subaccount's package is free again and still charged at renewal."""
    account = with_packages(s100=1)
    sub = uuid4()
    account.assign_seat(sub, 100)
    account.release_seat(sub)
    assert account.free_seats(100) == 1
    assert account.subaccounts == {}
    assert ("subaccounts", Money(5500)) in [(c.kind, c.amount) for c in account.renew(NOV_15)]


def test_cancelling_a_seat_keeps_it_to_the_period_end() -> None:
    """A cancelled seat stays taken until the period ends; cancel returns that end."""
    account = with_packages(s25=1)
    sub = uuid4()
    account.assign_seat(sub, 25)
    assert account.cancel_seat(sub) == NOV_15
    assert account.free_seats(25) == 0
    assert str(sub) in account.subaccounts


def test_a_cancelled_seat_package_goes_at_renewal() -> None:
    """At renewal the cancelled subaccount and its package are gone, and are not charged."""
    account = with_packages(s25=2, s50=1)
    kept, cancelled = uuid4(), uuid4()
    account.assign_seat(kept, 25)
    account.assign_seat(cancelled, 25)
    account.cancel_seat(cancelled)
    charges = account.renew(NOV_15)
    assert account.packages == {"25": 1, "50": 1}
    assert account.subaccounts == {str(kept): 25}
    assert account.cancelling_subaccounts == []
    assert (account.free_seats(25), account.free_seats(50)) == (0, 1)
    assert [(c.kind, c.amount) for c in charges] == [
        ("plan", Money(7900)),
        ("subaccounts", Money(2000)),
        ("subaccounts", Money(3500)),
    ]


def test_cancelling_a_seat_twice_is_refused() -> None:
    """A seat already cancelled cannot be cancelled again."""
    account = with_packages(s25=1)
    sub = uuid4()
    account.assign_seat(sub, 25)
    account.cancel_seat(sub)
    with pytest.raises(RuleViolationError, match="already cancelled"):
        account.cancel_seat(sub)


def test_releasing_a_cancelled_seat_drops_its_package_at_once() -> None:
    """A cancelled subaccount deleted early takes its package along: no further charge."""
    account = with_packages(s25=1)
    sub = uuid4()
    account.assign_seat(sub, 25)
    account.cancel_seat(sub)
    account.release_seat(sub)
    assert account.cancelling_subaccounts == []
    assert account.free_seats(25) == 0
    assert all(c.kind != "subaccounts" for c in account.recurring_charges())


@pytest.mark.parametrize("action", ["resize", "release", "cancel"])
def test_seat_commands_need_a_subaccount_of_this_account(action: str) -> None:
    """Resizing, releasing or cancelling an unknown subaccount is refused."""
    account = with_packages(s25=1, s50=1)
    stranger = UUID(int=7)
    commands: dict[str, Callable[[], object]] = {
        "resize": lambda: account.resize_seat(stranger, 50),
        "release": lambda: account.release_seat(stranger),
        "cancel": lambda: account.cancel_seat(stranger),
    }
    with pytest.raises(RuleViolationError, match="does not belong to this account"):
        commands[action]()

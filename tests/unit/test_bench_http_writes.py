"""The HTTP write bench's pure parts: its arguments, and how runs become the reported figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.http_server import process_cpu_seconds, server_env
from bench.http_writes import Target, best_runs, ok_per_second, parse_args, ratio, table
from bench.measure import Stats
from podium.settings import Settings


def stats(name: str, ops: int, seconds: float = 2.0, errors: int = 0) -> Stats:
    return Stats(name, 4, ops, seconds, [1.0] * ops, {"UnexpectedStatus": errors} if errors else {})


def test_each_podium_is_labelled_by_its_checkout_or_by_the_label_given() -> None:
    """--podium PATH is named after the checkout holding the venv; LABEL=PATH keeps LABEL."""
    args = parse_args(["--podium", "/w/before/.venv/bin/podium", "--podium", "new=/w/x/podium"])
    assert args.podium == [
        Target("before", Path("/w/before/.venv/bin/podium")),
        Target("new", Path("/w/x/podium")),
    ]


def test_modes_and_mixes_are_checked_and_accounts_default_to_one_per_thread() -> None:
    """A comma list of known modes is accepted in order; accounts follow --threads."""
    args = parse_args(["--modes", "off,inline", "--mixes", "funds", "--threads", "3"])
    assert (args.modes, args.mixes, args.accounts) == (["off", "inline"], ["funds"], 3)


@pytest.mark.parametrize(
    "argv",
    [
        ["--modes", "inline,sideways"],
        ["--mixes", ""],
        ["--threads", "0"],
        ["--podium", "a=/x/podium", "--podium", "a=/y/podium"],
    ],
)
def test_bad_arguments_are_refused(argv: list[str]) -> None:
    """An unknown mode, an empty mix list, no threads or two equal labels stop the run."""
    with pytest.raises(SystemExit) as exit_:
        parse_args(argv)
    assert exit_.value.code == 2


def test_failed_requests_do_not_count_towards_the_rate() -> None:
    """Only answered requests make the rate: 100 sent with 40 failing in 2 s is 30/s."""
    assert ok_per_second(stats("funds", 100, errors=40)) == 30.0


def test_the_fastest_repeat_is_kept_with_every_rate_beside_it() -> None:
    """best_runs keeps the repeat with the most answered requests a second, not the most sent."""
    slow, failing, fast = stats("rooms", 100), stats("rooms", 300, errors=250), stats("rooms", 160)
    best = best_runs({("after", "inline", "rooms"): [slow, failing, fast]})
    chosen = best[("after", "inline", "rooms")]
    assert chosen is fast
    assert chosen.extra["all_runs_per_second"] == [50.0, 25.0, 80.0]


def test_the_table_divides_by_the_floor_the_write_alone_and_the_first_target() -> None:
    """Each row's ratios: over the same server's GET /plans, over off-nowait, over target one."""
    best = best_runs(
        {
            ("before", "inline", "plans"): [stats("plans", 2000)],
            ("before", "inline", "funds"): [stats("funds", 200)],
            ("before", "off-nowait", "funds"): [stats("funds", 400)],
            ("after", "inline", "funds"): [stats("funds", 300)],
        }
    )
    lines = table(best, [Target("before", Path("b")), Target("after", Path("a"))]).splitlines()
    before_inline_funds = next(line for line in lines if "before" in line and " funds" in line)
    assert before_inline_funds.split()[-2:] == ["0.10", "0.50"]
    assert lines[-1].split() == ["after", "inline", "funds", "1.50"]
    assert ratio(1.0, None) == "-"


def test_the_server_gets_its_store_and_mode_and_none_of_the_callers_podium_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """PODIUM_* of the bench's own shell never leak into the server it starts."""
    monkeypatch.setenv("PODIUM_SECRET", "a-secret-of-the-callers-shell")
    env = server_env(Settings(store="sqlite", data_dir=tmp_path), "off-nowait", 8123, 8124)
    podium = {k: v for k, v in env.items() if k.startswith("PODIUM_")}
    assert podium == {
        "PODIUM_STORE": "sqlite",
        "PODIUM_DATA_DIR": str(tmp_path),
        "PODIUM_PROJECT_INLINE": "false",
        "PODIUM_READ_YOUR_WRITES_TIMEOUT": "0",
        "PODIUM_ENVIRONMENT": "development",
        "PODIUM_HOST": "127.0.0.1",
        "PODIUM_PORT": "8123",
        "PODIUM_SMTP_PORT": "8124",
        "PODIUM_LIMIT_SIGN_UP_PER_ADDRESS": "",
        "PODIUM_LIMIT_LOG_IN_PER_ADDRESS": "",
    }


def test_a_process_that_is_gone_has_used_no_cpu() -> None:
    """Reading the CPU of a process that does not exist answers 0.0 instead of failing."""
    assert process_cpu_seconds(2**22 + 1) == 0.0

#!/usr/bin/env python3
"""Kill `kiosk sim --headless --scenario` in the middle of a payment at many moments, then recover and reconcile.

    .venv/bin/python scripts/kill_sweep.py [--payments alipay,wechat,bank_card] [--random N] [--seed S]
                                           [--no-commits] [--keep DIR]

Issue 6's promise from outside: the kiosk killed at ANY moment, then `kiosk recover --state DIR`, then
`kiosk reconcile --json --state DIR` exits 0, and the books agree. Each case is one fresh state dir and one kiosk
process paying the resident's pension (800 yuan) by Alipay, WeChat Pay or bank card, killed with SIGKILL:

- ``before:N`` / ``after:N``: exactly before / after the Nth journal commit of the process (the journal's test hook
  kiosk/payments/crashpoint.py, set through the environment) — every state change of DESIGN.md §5, and the outside
  action that led to it done but its result not yet written;
- ``at:T``: T seconds (seeded, pseudo-random) after the payment's first journal record appeared, seen from outside
  by reading the journal file read-only: anywhere, in the middle of a bank message, an HTTP call or a receipt;
- ``none``: no kill (the scenario passes; the books agree untouched).

Household baskets (issue 22): ``basket1_qr``, ``basket2_qr``, ``basket5_qr`` (one aggregated code, paid with 云闪付)
and ``basket1_card``, ``basket2_card``, ``basket5_card`` (one chip purchase for the total): 1, 2 or 5 of the arrears
resident's bills. Their books: every basket ended with its lines, its QR order in the state its end says.

After each kill: `kiosk recover --state DIR --json` exits 0, `kiosk reconcile --json --state DIR` exits 0 with no
unexplained difference, a second recover has nothing to do, and the books are read directly: every journal record
in an end state; a payment is in the fee system exactly when the journal says done, once; the QR channel kept the
money exactly for done orders and has no order open; the bank account is down by exactly the card payments done.
The matrix printed: payment, moment, the journal state at the kill, what recovery did, the books. Exit 0 when every
case holds. tests/test_recovery_kill_sim.py runs a seeded sample of these cases.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.payments.crashpoint import ENVIRONMENT as KILL_ENVIRONMENT  # noqa: E402
from parties.bankhost.accounts import demo_accounts  # noqa: E402

PAYMENTS = ("alipay", "wechat", "bank_card")  # paid: the sample in the test suite
# The citizen cancels the QR; the bank books and never answers; a card payment, then `kiosk settle` killed.
VARIANTS = ("wechat_cancel", "card_no_answer", "card_settle", "card_settle_upload")
# `kiosk settle` is the process killed (the kiosk sim before it pays and ends); card_settle_upload: the host lost the
# purchase from its totals (its ledger says so), so the settlement uploads the batch before it balances.
SETTLE_VARIANTS = ("card_settle", "card_settle_upload")
AMOUNT_FEN = 80000  # resident pension of this year, grade 3
PAYER = next(account for account in demo_accounts() if account.name == "ZHANG SAN")
# Journal commits of a healthy run: created, order_opened, paid, posted, receipt_printed, done; the chip card:
# created, auth_sent, auth_sent (host approved: second GENERATE AC), approved (the card's TC; then the 0320), posted,
# receipt_printed, done; created, order_opened, order_closed; created, auth_sent, reversal_pending, reversed. The
# settlement's commits are its store's (kiosk/payments/settlement.py), each before the message it describes:
# settle_sent (0500 out) and balanced; with the batch upload: settle_sent (0500), uploading (after the 0510), the
# purchase's upload planned (its 0320 out) and answered, end_sent (0320 202), resettle_sent (0500), balanced.
COMMITS = {
    "alipay": 6, "wechat": 6, "bank_card": 7, "wechat_cancel": 3, "card_no_answer": 4, "card_settle": 2,
    "card_settle_upload": 7,
}  # fmt: skip
# Seconds from the first journal record to its end state in a healthy run (a loaded machine is slower).
# card_settle: from the start of `kiosk settle` (Python and the PIN pad and bank host simulators start first).
SPAN_SECONDS = {
    "alipay": 2.0, "wechat": 2.0, "bank_card": 1.0, "wechat_cancel": 1.5, "card_no_answer": 1.8, "card_settle": 2.5,
    "card_settle_upload": 3.0,
}  # fmt: skip
METHOD = {
    "wechat_cancel": "wechat", "card_no_answer": "bank_card", "card_settle": "bank_card",
    "card_settle_upload": "bank_card",
}  # fmt: skip
# Household baskets (issue 22) of 1, 2 and 5 lines (the arrears resident's bills), paid by one aggregated code
# (云闪付) or one card purchase. Commits: created, order_opened / auth_sent, paid / approved, one per line posted,
# posted, receipt_printed, done.
BASKETS = {f"basket{n}_{way}": (n, way) for way in ("qr", "card") for n in (1, 2, 5)}
for _name, (_lines, _way) in BASKETS.items():
    COMMITS[_name] = 6 + _lines
    SPAN_SECONDS[_name] = 2.5
    METHOD[_name] = "bank_card" if _way == "card" else "aggregated"
END_STATES = {"done", "order_closed", "refunded", "reversed", "declined", "resolved"}
RUN_TIMEOUT = 90
SETTLEMENT = "settlement.sqlite3"  # kiosk/payments/settlement.py's store in the state dir

HEADER = """
[scenario]
name = "kill sweep: {payment}"
within = 20
[scenario.config]
"timeouts.qr_payment_seconds" = 300
"bank.timeout_seconds" = 1
"devices.a4_printer.mode" = "real"   # no private cupsd: it would outlive a SIGKILLed kiosk
"""
TO_PAY = """
[[step]]
tap = "resident"
[[step]]
tap = "pay"
[[step]]
place_id_card = "resident"
[[step]]
wait_screen = "items"
[[step]]
tap = "resident_pension"
[[step]]
tap = "year_{year}"
[[step]]
tap = "{method}"
[[step]]
tap = "grade_G03"
[[step]]
tap = "confirm_grade"
"""
QR_SHOWN = """
[[step]]
wait_text = "正在等待支付"
"""
CARD_IN = """
[[step]]
wait_text = "请将银行卡插入插卡口"
[[step]]
insert_bankcard = "ZHANG SAN"
"""
PAID = """
[[step]]
wait_text = "缴费成功"
[[step]]
expect_journal = { state = "done", amount_fen = 80000, count = 1 }
"""
STEPS = {
    "alipay": QR_SHOWN + '[[step]]\npay_qr = "alipay"\n' + PAID,
    "wechat": QR_SHOWN + '[[step]]\npay_qr = "wechat"\n' + PAID,
    "bank_card": CARD_IN + '[[step]]\ntype_pin = "123654"\n' + PAID,
    "wechat_cancel": QR_SHOWN
    + """
[[step]]
abandon_qr = true
[[step]]
tap = "cancel_payment"
[[step]]
expect_journal = { state = "order_closed", amount_fen = 80000, count = 1 }
""",
    "card_settle": CARD_IN + '[[step]]\ntype_pin = "123654"\n' + PAID,
    "card_settle_upload": CARD_IN + '[[step]]\ntype_pin = "123654"\n' + PAID,
    "card_no_answer": CARD_IN
    + """
[[step]]
bank_host = "no_answer"
[[step]]
type_pin = "123654"
[[step]]
wait_text = "未被扣款"
[[step]]
expect_journal = { state = "reversed", amount_fen = 80000, count = 1 }
""",
}


def to_pay(method: str, workdir: Path) -> str:
    """The [scenario.config] line and the steps up to the payment: this year's resident pension at grade 3, on a
    copy of the example policy (written to ``workdir``) whose pension window is the whole year, so that the sweep
    runs on any day (the example closes it on 12-25). Real clock: `kiosk recover` and `kiosk reconcile` use it too."""
    policy = workdir / "policy.toml"
    example = (REPO / "config" / "policy.toml").read_text(encoding="utf-8")
    policy.write_text(
        re.sub(r"^resident_pension_closes = .*$", 'resident_pension_closes = "12-last"', example, flags=re.M),
        encoding="utf-8",
    )
    return f'"fee_system.policy" = "{policy}"\n' + TO_PAY.format(method=method, year=dt.date.today().year)


def scenario(payment: str, workdir: Path) -> str:
    if payment in BASKETS:
        return HEADER.format(payment=payment) + f'"fee_system.policy" = "{workdir / "policy.toml"}"\n' + (
            to_pay_basket(*BASKETS[payment], workdir)
        )
    method = METHOD.get(payment, payment)
    return HEADER.format(payment=payment) + to_pay(method, workdir) + STEPS[payment]


# The arrears resident's five bills (config/demo_people.toml, 韩淑珍): no collection window, so a basket of five
# exists on any day. (agency, page, bill): 历下区 lists four bills, two a page on the sim's screen; 市中区 one.
BASKET_BILLS = (
    (1, 1, "BJ370103000101"), (1, 1, "BJ370103000102"), (1, 2, "BJ370103000103"), (1, 2, "BJ370103000104"),
    (2, 1, "BJ370103000201"),
)  # fmt: skip


def to_pay_basket(lines: int, way: str, workdir: Path) -> str:
    """The arrears resident's first ``lines`` bills, each into the basket from the checkout review, then the one
    payment: the aggregated code paid with 云闪付, or one card purchase."""
    to_pay("alipay", workdir)  # the policy copy, as for the single payments
    text = '[[step]]\ntap = "resident"\n[[step]]\ntap = "pay"\n[[step]]\nplace_id_card = "arrears"\n'
    for number, (agency, page, bill) in enumerate(BASKET_BILLS[:lines]):
        if number:
            text += '[[step]]\ntap = "basket_add_mine"\n'
        text += '[[step]]\nwait_screen = "items"\n[[step]]\ntap = "arrears"\n'
        text += f'[[step]]\nwait_screen = "arrears_agency"\n[[step]]\ntap = "agency_{agency}"\n'
        text += '[[step]]\nwait_screen = "arrears_bills"\n'
        text += '[[step]]\ntap = "bills_next_page"\n' if page == 2 else ""
        text += f'[[step]]\ntap = "bill_{bill}"\n[[step]]\nwait_screen = "checkout_method"\n'
        text += '[[step]]\ntap = "add_to_basket"\n[[step]]\nwait_screen = "basket"\n'
    if way == "qr":
        text += '[[step]]\ntap = "basket_pay_aggregated"\n[[step]]\nwait_text = "等待支付"\n'
        text += '[[step]]\npay_qr = "unionpay"\n'
    else:
        text += '[[step]]\ntap = "basket_pay_bank_card"\n' + CARD_IN + '[[step]]\ntype_pin = "123654"\n'
    return text + '[[step]]\nwait_screen = "basket_done"\n[[step]]\nexpect_text = "已缴费"\n'


@dataclass(frozen=True)
class Moment:
    kind: str  # before | after | at | none
    value: float = 0

    @property
    def label(self) -> str:
        if self.kind == "none":
            return "no kill"
        if self.kind == "at":
            return f"at +{self.value:.3f} s"
        return f"{self.kind} commit {int(self.value)}"


def commit_moments(payment: str) -> list[Moment]:
    return [Moment(kind, n) for n in range(1, COMMITS[payment] + 1) for kind in ("before", "after")]


def random_moments(rng: random.Random, payment: str, count: int) -> list[Moment]:
    return [Moment("at", round(rng.uniform(0, SPAN_SECONDS[payment]), 3)) for _ in range(count)]


@dataclass
class CaseResult:
    payment: str
    moment: Moment
    killed: bool = False
    at_kill: str = ""  # journal states when the process died
    recovery: str = ""
    reconcile: str = ""
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


# --- reading the state dir (read-only, the kiosk may be writing) ------------------------------------------------


def query(database: Path, sql: str) -> list[tuple]:
    if not database.exists():
        return []
    try:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=2)) as db:
            return db.execute(sql).fetchall()
    except sqlite3.OperationalError:  # not created yet, or busy: look again
        return []


def bank_state(state: Path) -> dict:
    try:
        return json.loads((state / "bank" / "bankhost.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# --- one case --------------------------------------------------------------------------------------------------


def kiosk(*arguments: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *arguments],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_case(payment: str, moment: Moment, workdir: Path) -> CaseResult:
    started = time.monotonic()
    result = CaseResult(payment, moment)
    workdir.mkdir(parents=True, exist_ok=True)
    state, scenario_file = workdir / "state", workdir / "scenario.toml"
    scenario_file.write_text(scenario(payment, workdir), encoding="utf-8")
    # The killed kiosk's temporary folders stay in its case folder, not in /tmp.
    (workdir / "tmp").mkdir(exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(workdir / "tmp")}
    env.pop(KILL_ENVIRONMENT, None)
    settle_env = dict(env)
    if moment.kind in ("before", "after"):
        (settle_env if payment in SETTLE_VARIANTS else env)[KILL_ENVIRONMENT] = f"{moment.kind}:{int(moment.value)}"
    # Its own process group: whatever the kiosk started dies with it (a SIGKILLed kiosk cannot stop it).
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sim", "--headless", "--scenario", str(scenario_file), "--state", str(state)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        if moment.kind == "at" and payment not in SETTLE_VARIANTS:
            _kill_after_first_record(process, state / "journal.sqlite3", moment.value)
        _, stderr = process.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        _, stderr = process.communicate()
        result.problems.append("kiosk sim neither finished nor died in time")
    finally:
        _kill_group(process)
    result.killed = process.returncode == -signal.SIGKILL
    if process.returncode not in (0, -signal.SIGKILL):
        result.problems.append(f"kiosk sim exited {process.returncode}: {stderr.strip().splitlines()[-3:]}")
    journal = state / "journal.sqlite3"
    result.at_kill = ",".join(row[0] for row in query(journal, "SELECT state FROM payments ORDER BY created_at"))
    result.at_kill = result.at_kill or "(no record)"
    if payment in SETTLE_VARIANTS and moment.kind != "none":
        if payment == "card_settle_upload":
            _host_loses_the_purchase(state)
        result.killed = _settle_killed(state, moment.value if moment.kind == "at" else RUN_TIMEOUT, settle_env)
        batches = query(state / SETTLEMENT, "SELECT state FROM batches")
        uploads = query(state / SETTLEMENT, "SELECT code FROM uploads")
        result.at_kill += f"; settlement {','.join(row[0] for row in batches) or '-'}"
        result.at_kill += f", uploads {','.join(row[0] or '?' for row in uploads)}" if uploads else ""
    if moment.kind in ("before", "after") and not result.killed and int(moment.value) <= COMMITS[payment]:
        result.problems.append("the process was not killed at the commit")
    _recover_and_check(state, payment, result)
    result.seconds = time.monotonic() - started
    return result


def _kill_after_first_record(process: subprocess.Popen[str], journal: Path, seconds: float) -> None:
    deadline = time.monotonic() + RUN_TIMEOUT
    while not query(journal, "SELECT 1 FROM payments LIMIT 1"):
        if process.poll() is not None or time.monotonic() > deadline:
            return
        time.sleep(0.01)
    time.sleep(seconds)
    _kill_group(process)


def _host_loses_the_purchase(state: Path) -> None:
    """The bank host's ledger leaves the approved purchase out of its totals (the simulator's Fault.TOTALS, as its
    state file keeps it): the next 0500 differs and the kiosk uploads the batch."""
    path = state / "bank" / "bankhost.json"
    data = bank_state(state)
    if not data:  # the kiosk sim never reached the bank (its own problem is in the matrix): nothing to lose
        return
    for entry in data.get("ledger", []):
        entry["lost"] = entry.get("lost") or entry.get("status") == "approved"
    path.write_text(json.dumps(data), encoding="utf-8")


def _settle_killed(state: Path, seconds: float, env: dict[str, str]) -> bool:
    """`kiosk settle` SIGKILLed ``seconds`` after it started, or by itself at a settlement commit (KIOSK_TEST_KILL_AT
    in ``env``): in the middle of its messages or store writes."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "settle", "--state", str(state), "--json"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=seconds)
    _kill_group(process)
    process.wait()
    return process.returncode == -signal.SIGKILL


def _kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _recover_and_check(state: Path, payment: str, result: CaseResult) -> None:
    recovered = kiosk("recover", "--state", str(state), "--json")
    try:
        report = json.loads(recovered.stdout)
    except ValueError:
        result.problems.append(f"recover printed no JSON (exit {recovered.returncode}): {recovered.stderr[-300:]}")
        return
    steps = [f"{r['from_state']}->{r['to_state']} {r['outcome']}" for r in report["records"]]
    result.recovery = "; ".join(steps) or "nothing to do"
    if recovered.returncode != 0:
        result.problems.append(f"recover exited {recovered.returncode}")
    if METHOD.get(payment, payment) == "bank_card":  # the day-end settlement, then the bank side is reconciled
        settled = kiosk("settle", "--state", str(state), "--json")
        outcome = json.loads(settled.stdout or "{}").get("outcome")
        result.recovery += f"; settled {outcome}"
        if settled.returncode != 0 or outcome != "balanced":
            result.problems.append(f"settle exited {settled.returncode}: {outcome} {settled.stderr[-200:]}")
    reconciled = kiosk("reconcile", "--json", "--state", str(state))
    try:
        books = json.loads(reconciled.stdout)
    except ValueError:
        result.problems.append(f"reconcile printed no JSON (exit {reconciled.returncode}): {reconciled.stderr[-300:]}")
        return
    if "error" in books:  # exit 2: a ledger could not be read
        result.problems.append(f"reconcile exited {reconciled.returncode}: {books['error']}: {books.get('message')}")
        return
    result.reconcile = f"exit {reconciled.returncode}, {books['unexplained']} unexplained"
    if METHOD.get(payment, payment) == "bank_card" and books["ledgers"].get("bank_card") != "checked":
        result.problems.append(f"the bank side was not reconciled: {books['ledgers'].get('bank_card')}")
    if reconciled.returncode != 0 or not books["ok"]:
        kinds = [d["kind"] for d in books["differences"] if not d["explained"]]
        result.problems.append(f"reconcile exited {reconciled.returncode}: {kinds}")
    result.problems.extend(books_problems(state, payment))
    again = kiosk("recover", "--state", str(state), "--json")
    if again.returncode != 0 or json.loads(again.stdout or "{}").get("records") != []:
        result.problems.append("a second recover still had something to do")


def books_problems(state: Path, payment: str) -> list[str]:
    """The ledgers read directly (not through reconcile): every debit posted or given back, none twice."""
    problems = []
    journal = query(state / "journal.sqlite3", "SELECT idempotency_key, state, amount_fen, pay_method FROM payments")
    fee = query(
        state / "feesystem.sqlite3",
        # A bill is told apart by its number (two bills may cover the same months), else person, item and months.
        "SELECT idempotency_key, amount_fen, id_number, coalesce(bill_no, item), coalesce(bill_no, period_start),"
        " coalesce(bill_no, period_end) FROM payments WHERE idempotency_key LIKE 'kiosk-%'",  # not the seeded history
    )
    orders = dict(query(state / "feesystem.sqlite3", "SELECT idempotency_key, state FROM qr_orders"))
    posted = {row[0]: row[1] for row in fee}
    if len({row[2:] for row in fee}) != len(fee):
        problems.append("the fee system posted the same person, item and period twice")
    lines = {row[0] for row in query(state / "journal.sqlite3", "SELECT idempotency_key FROM payments"
                                     " WHERE basket_no IS NOT NULL")}
    problems.extend(basket_problems(state, orders))
    for key, journal_state, amount, method in journal:
        if journal_state not in END_STATES:
            problems.append(f"journal record still {journal_state}")
        if (journal_state == "done") != (key in posted):
            problems.append(f"journal {journal_state}, fee system {'has' if key in posted else 'lacks'} the payment")
        if key in posted and posted[key] != amount:
            problems.append(f"fee system holds {posted[key]} fen, the journal {amount}")
        if method != "bank_card" and key not in lines:  # a basket line's order is its basket's (below)
            expected = {"done": "paid", "order_closed": "closed", "refunded": "refunded"}.get(journal_state)
            if orders.get(key) != expected:
                problems.append(f"journal {journal_state}, QR order {orders.get(key)}")
    if set(posted) - {row[0] for row in journal}:
        problems.append("the fee system holds a payment the journal does not")
    if "open" in orders.values():
        problems.append("a QR order is still open")
    bank = bank_state(state)
    if bank:
        balance = next((a["balance_fen"] for a in bank.get("accounts", []) if a["pan"] == PAYER.pan), PAYER.balance_fen)
        card_done = sum(row[2] for row in journal if row[3] == "bank_card" and row[1] == "done")
        kept = sum(entry["amount_fen"] for entry in bank.get("ledger", []) if entry["status"] == "approved")
        if not PAYER.balance_fen - balance == kept == card_done:
            problems.append(
                f"card: account down {PAYER.balance_fen - balance} fen, bank keeps {kept}, journal done {card_done}"
            )
    if payment in SETTLE_VARIANTS:
        problems.extend(settlement_problems(state, bank))
    return problems


def basket_problems(state: Path, orders: dict) -> list[str]:
    """Each basket ended, its QR order in the state its end says, and its lines ended with it."""
    problems = []
    journal = state / "journal.sqlite3"
    for basket_no, key, basket_state, method in query(
        journal, "SELECT basket_no, idempotency_key, state, pay_method FROM baskets"
    ):
        if basket_state not in END_STATES:
            problems.append(f"basket still {basket_state}")
        line_states = {row[0] for row in query(journal, f"SELECT state FROM payments WHERE basket_no = '{basket_no}'")}
        if basket_state == "done" and line_states - {"done", "refunded"}:
            problems.append(f"basket done, its lines {sorted(line_states)}")
        if basket_state != "done" and "done" in line_states:
            problems.append(f"basket {basket_state}, yet a line is done")
        if method != "bank_card":
            expected = {"done": "paid", "order_closed": "closed", "refunded": "refunded"}.get(basket_state)
            if orders.get(key) != expected:
                problems.append(f"basket {basket_state}, its QR order {orders.get(key)}")
    return problems


def settlement_problems(state: Path, bank: dict) -> list[str]:
    """After the killed settlement and the one that resumed it: the purchase's batch closed balanced, counted once
    on both sides, and nothing the host lost left out (the batch upload brought it back)."""
    problems = []
    batches = query(state / SETTLEMENT, "SELECT batch, state, kiosk_count, host_count, host_fen FROM batches")
    first = batches[0] if batches else None
    if first is None or first[1] != "balanced" or first[2] != first[3] or first[2] != 1:
        problems.append(f"the purchase's batch did not close balanced with it once: {first}")
    if any(entry.get("lost") for entry in bank.get("ledger", [])):
        problems.append("the host still leaves a purchase out of its totals")
    return problems


# --- the matrix ------------------------------------------------------------------------------------------------


def format_matrix(results: list[CaseResult], seed: int | None = None) -> str:
    header = f"{'payment':14} {'moment':16} {'killed':6} {'journal at kill':34} {'recovery':40} {'books':6} {'s':>5}"
    lines = [f"kill sweep (seed {seed})" if seed is not None else "kill sweep", header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r.payment:14} {r.moment.label:16} {'yes' if r.killed else 'no':6} {r.at_kill:34} {r.recovery:40} "
            f"{'ok' if r.ok else 'FAIL':6} {r.seconds:5.1f}"
        )
        lines.extend(f"    problem: {problem}" for problem in r.problems)
    passed = sum(r.ok for r in results)
    states = sorted({s for r in results for s in r.at_kill.split(",")})
    lines.append(f"{passed}/{len(results)} cases hold; journal states seen at the kill: {', '.join(states)}")
    return "\n".join(lines)


def sweep(cases: list[tuple[str, Moment]], workdir: Path, report=print) -> list[CaseResult]:
    if any(METHOD.get(payment, payment) == "bank_card" for payment, _ in cases):
        from drivers.pcsc.daemon import ensure_pcscd

        ensure_pcscd()
    results = []
    for number, (payment, moment) in enumerate(cases, 1):
        result = run_case(payment, moment, workdir / f"{number:03d}-{payment}")
        report(
            f"[{number}/{len(cases)}] {payment} {moment.label}: {'ok' if result.ok else 'FAIL'} "
            f"({result.at_kill} -> {result.recovery or '-'}; {result.seconds:.1f} s)"
        )
        results.append(result)
    return results


def sample_cases(seed: int, random_per_payment: int = 1, variants: int = 1) -> list[tuple[str, Moment]]:
    """A seeded sample for the test suite. Every commit index of a paid payment once, spread over Alipay, WeChat Pay
    and the bank card (before or after it: a coin toss), ``random_per_payment`` random moments each, and one commit
    of ``variants`` of the variants (cancelled QR, card host never answering)."""
    rng = random.Random(seed)
    indices = rng.sample(range(1, COMMITS["alipay"] + 1), COMMITS["alipay"])
    share = len(indices) // len(PAYMENTS)
    cases = []
    for number, payment in enumerate(PAYMENTS):
        for index in sorted(indices[number * share : (number + 1) * share]):
            cases.append((payment, Moment(rng.choice(("before", "after")), index)))
        cases += [(payment, moment) for moment in random_moments(rng, payment, random_per_payment)]
    for variant in rng.sample(VARIANTS, variants):
        cases.append((variant, rng.choice(commit_moments(variant))))
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    every = ",".join(PAYMENTS + VARIANTS + tuple(BASKETS))
    parser.add_argument("--payments", default=every, help=f"comma-separated, of {every} (default: all)")
    parser.add_argument("--random", type=int, default=6, help="random moments per payment (default 6)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the random moments (default: a new one)")
    parser.add_argument("--no-commits", action="store_true", help="skip the kills at every journal commit")
    parser.add_argument("--keep", metavar="DIR", help="keep every case's state dir under DIR")
    args = parser.parse_args()
    payments = tuple(p for p in args.payments.split(",") if p)
    if set(payments) - set(PAYMENTS + VARIANTS + tuple(BASKETS)):
        parser.error(f"unknown payment in {args.payments!r}")
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    rng = random.Random(seed)
    cases = []
    for payment in payments:
        cases.append((payment, Moment("none")))
        if not args.no_commits:
            cases += [(payment, moment) for moment in commit_moments(payment)]
        cases += [(payment, moment) for moment in random_moments(rng, payment, args.random)]
    with tempfile.TemporaryDirectory(prefix="kill-sweep-") as temporary:
        workdir = Path(args.keep) if args.keep else Path(temporary)
        results = sweep(cases, workdir)
    print(format_matrix(results, seed))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

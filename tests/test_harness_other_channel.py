"""The scenario step paid_elsewhere (app/harness/other_channel.py): a period booked as paid at a bank counter, once,
and a step naming nothing payable refused in words before anything is booked."""

from __future__ import annotations

import pytest

from app.harness.other_channel import ElsewhereRequest, OtherChannelError, pay_elsewhere
from kiosk.domain.items import InsuredItem, PayMethod
from kiosk.feesystem.api import NotAllowed

PARENT = "370102194702021827"  # 王秀兰: resident medical 2027 open
ARREARS = "370103197203150026"  # 韩淑珍: pending bills


def test_a_resident_year_and_a_bill_are_booked_as_paid_at_a_counter(fee_system):
    request = ElsewhereRequest.parse(PARENT, {"person": "household_parent", "item": "resident_medical", "year": 2027})
    record = pay_elsewhere(fee_system, request)
    assert (record.item, record.pay_method, record.payer_id_number) == (
        InsuredItem.RESIDENT_MEDICAL,
        PayMethod.BANK_CARD,
        PARENT,
    )
    assert [r.payment_no for r in fee_system.payment_records(PARENT)] == [record.payment_no]
    with pytest.raises(NotAllowed, match="already paid"):  # the same period twice: held once
        pay_elsewhere(fee_system, request)

    bill = fee_system.pending_bills(ARREARS)[0].bill_no
    pay_elsewhere(fee_system, ElsewhereRequest.parse(ARREARS, {"bill": bill}))
    assert bill not in {b.bill_no for b in fee_system.pending_bills(ARREARS)}


@pytest.mark.parametrize(
    "table",
    [
        {"item": "resident_medical"},  # no year
        {"item": "no_such_item", "year": 2027},
        {"item": "resident_medical", "year": "2027"},
        {"bill": "BJ1", "year": 2027},
        {"item": "resident_medical", "year": 2027, "grade": "G01"},
    ],
)
def test_a_step_that_names_nothing_payable_is_refused_in_words(table):
    with pytest.raises(OtherChannelError, match="paid_elsewhere"):
        ElsewhereRequest.parse(PARENT, table)


def test_a_year_the_fee_system_does_not_offer_is_refused_and_nothing_is_booked(fee_system):
    with pytest.raises(OtherChannelError, match="offers no resident_medical for 2019"):
        pay_elsewhere(fee_system, ElsewhereRequest.parse(PARENT, {"item": "resident_medical", "year": 2019}))
    assert fee_system.payment_records(PARENT) == []

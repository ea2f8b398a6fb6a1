"""Certificates: the bureau numbers each one (税收完税证明, 缴费证明) for its payment records, counts its prints
(the next one is a reprint, 补打), and answers whether a document number or verification code is one it issued."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from kiosk.domain.names import mask_name
from kiosk.feesystem.api import CertificateIssue, CertificateKind, DocumentCheck, InvalidRequest, UnknownRecord
from parties.feesystem.store import FeeStore

# 年度字别: the certificate's word by kind (税收完税证明 鲁税证, 缴费证明 鲁社证); numbers run per word and year.
CERTIFICATE_WORDS = {
    CertificateKind.TAX: "鲁税证",
    CertificateKind.PAYMENT_SUMMARY: "鲁社证",
    CertificateKind.PAYMENT_DETAIL: "鲁社证",
    CertificateKind.QUERY_LIST: "鲁社查",
}


class Certificates:
    def __init__(self, store: FeeStore, verification_key: str | None) -> None:
        self.store = store
        self.verification_key = verification_key

    def issue(self, kind: CertificateKind, id_number: str, payment_nos: tuple[str, ...]) -> CertificateIssue:
        """Number a certificate for these records, or give back the number they already have (a reprint).

        Numbering and recording happen in one transaction: a crash between numbering and printing leaves the
        number with its records, so it is never lost, reused or given to other records.
        """
        if not payment_nos:
            raise InvalidRequest("a certificate needs at least one payment record")
        key = json.dumps(sorted(payment_nos))
        with self.store.transaction() as db:
            row = db.execute(
                "SELECT * FROM certificates WHERE kind = ? AND id_number = ? AND payment_nos = ?",
                (kind.value, id_number, key),
            ).fetchone()
            if row is None:
                placeholders = ",".join("?" for _ in payment_nos)
                found = db.execute(
                    "SELECT payment_no, amount_fen FROM payments"
                    f" WHERE id_number = ? AND payment_no IN ({placeholders})",
                    (id_number, *payment_nos),
                ).fetchall()
                if len(found) != len(set(payment_nos)):
                    raise UnknownRecord("a payment record of the certificate is not this person's")
                now = self.store.clock()
                word = CERTIFICATE_WORDS[kind]
                serial = self.store.next_number(db, f"certificate-{word}-{now.year}")
                number = f"({now.year}){word} {serial:08d}"
                db.execute(
                    "INSERT INTO certificates VALUES (?,?,?,?,?,0,?)",
                    (number, kind.value, id_number, key, sum(r["amount_fen"] for r in found), now.isoformat()),
                )
                row = db.execute("SELECT * FROM certificates WHERE number = ?", (number,)).fetchone()
        return _certificate_from_row(row)

    def record_print(self, number: str) -> CertificateIssue:
        """A print of the certificate came out of the printer: the next one is a reprint."""
        with self.store.transaction() as db:
            updated = db.execute("UPDATE certificates SET printed = printed + 1 WHERE number = ?", (number,))
            if updated.rowcount != 1:
                raise UnknownRecord(f"unknown certificate {number}")
            row = db.execute("SELECT * FROM certificates WHERE number = ?", (number,)).fetchone()
        return _certificate_from_row(row)

    def issued(self, id_number: str) -> list[CertificateIssue]:
        """The person's certificates, newest first (the order of issue breaks a tie of the same second)."""
        rows = self.store.all(
            "SELECT * FROM certificates WHERE id_number = ? ORDER BY issued_at DESC, rowid DESC", (id_number,)
        )
        return [_certificate_from_row(row) for row in rows]

    def check_document(self, number: str) -> DocumentCheck | None:
        """Whether a certificate or receipt (payment) number is one this fee system issued."""
        with self.store.lock:
            db = self.store.db
            row = db.execute(
                "SELECT c.*, p.name FROM certificates c JOIN people p USING (id_number) WHERE c.number = ?", (number,)
            ).fetchone()
            if row is not None:
                return DocumentCheck(number, row["kind"], mask_name(row["name"]), row["total_fen"], row["printed"])
            row = db.execute(
                "SELECT pay.amount_fen, p.name FROM payments pay JOIN people p USING (id_number) WHERE payment_no = ?",
                (number,),
            ).fetchone()
        if row is None:
            return None
        return DocumentCheck(number, "receipt", mask_name(row["name"]), row["amount_fen"], 0)

    def verify_document_code(self, code: str) -> DocumentCheck | None:
        """The verification question asked of the fee system: the code's HMAC holds, and it names a document
        this fee system issued, for the same total. None when not genuine (malformed codes included)."""
        from kiosk.verification import MalformedCodeError, verify_code

        if not self.verification_key:
            raise InvalidRequest("this fee system has no verification key")
        try:
            claimed = verify_code(self.verification_key, code)
        except MalformedCodeError:
            return None
        if claimed is None:
            return None
        issued = self.check_document(claimed.number)
        if issued is None or issued.total_fen != claimed.total_fen:
            return None
        return issued


def _certificate_from_row(row: sqlite3.Row) -> CertificateIssue:
    return CertificateIssue(
        number=row["number"],
        kind=CertificateKind(row["kind"]),
        id_number=row["id_number"],
        payment_nos=tuple(json.loads(row["payment_nos"])),
        total_fen=row["total_fen"],
        printed=row["printed"],
        issued_at=dt.datetime.fromisoformat(row["issued_at"]),
    )

"""Certificates: the bureau numbers each one (税收完税证明, 缴费证明) for its payment records, signs its
verification code, counts its prints (the next one is a reprint, 补打), keeps the electronic copy the kiosk hands
it, and answers whether a document number or verification code is one it issued.

Receipts are numbered when a payment is posted (its payment number): their codes are signed here too, from the
record. Ed25519 is deterministic, so a code is signed again from the row whenever it is asked for: the same
document always carries the same code, and nothing but the rows is stored.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hashlib
import json
import sqlite3

from kiosk.domain.names import mask_name
from kiosk.feesystem.api import (
    BasketSeal,
    CertificateIssue,
    CertificateKind,
    DocumentCheck,
    InvalidRequest,
    PaymentRecord,
    UnknownRecord,
)
from kiosk.verification import DocumentKind, MalformedCodeError, VerifiedDocument, verify_any
from parties.feesystem.signing import BureauSigner, DownloadTokens
from parties.feesystem.store import FeeStore

# An electronic copy (下载) is fetched right after the kiosk shows its QR code: a token lives this long.
DOWNLOAD_LIFETIME = dt.timedelta(minutes=30)
MAX_COPY_BYTES = 700_000  # base64 of it stays under the wire's 1 MiB body
_COPIES_SCHEMA = """
CREATE TABLE IF NOT EXISTS document_copies (
    number TEXT PRIMARY KEY, pdf BLOB NOT NULL, sha256 BLOB NOT NULL, kept_at TEXT NOT NULL);
"""

# 年度字别: the certificate's word by kind (税收完税证明 鲁税证, 缴费证明 鲁社证); numbers run per word and year.
CERTIFICATE_WORDS = {
    CertificateKind.TAX: "鲁税证",
    CertificateKind.PAYMENT_SUMMARY: "鲁社证",
    CertificateKind.PAYMENT_DETAIL: "鲁社证",
    CertificateKind.QUERY_LIST: "鲁社查",
}


@dataclasses.dataclass(frozen=True)
class VerifiedIssue:
    """A code that is genuine and names a document this fee system issued, for the same total."""

    claimed: VerifiedDocument  # what the code says (signed)
    issued: DocumentCheck  # what the records say now (print count)


class Certificates:
    def __init__(self, store: FeeStore, signer: BureauSigner, old_hmac_key: str | None = None) -> None:
        """``old_hmac_key``: the HMAC key of version-1 codes printed before the bureau signed them, to check them."""
        self.store = store
        self.signer = signer
        self.old_hmac_key = old_hmac_key or None
        self.tokens = DownloadTokens(signer.token_key, store.clock, DOWNLOAD_LIFETIME)
        with store.lock:
            store.db.executescript(_COPIES_SCHEMA)

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
        return self._signed_issue(row)

    def _masked_name(self, id_number: str) -> str:
        row = self.store.one("SELECT name FROM people WHERE id_number = ?", (id_number,))
        if row is None:
            raise UnknownRecord("the document's person is not registered")
        return mask_name(row["name"])

    def _signed_issue(self, row: sqlite3.Row) -> CertificateIssue:
        issue = _certificate_from_row(row)
        code = self.signer.sign_code(
            DocumentKind.of(issue.kind.value),
            issue.number,
            self._masked_name(issue.id_number),
            issue.total_fen,
            issue.issued_at.date(),
        )
        return dataclasses.replace(issue, verification_code=code)

    def signed_record(self, record: PaymentRecord) -> PaymentRecord:
        """The payment record with its receipt's verification code (number: the payment number; the person: the
        one it was paid for; the date: the day it was paid)."""
        code = self.signer.sign_code(
            DocumentKind.RECEIPT,
            record.payment_no,
            self._masked_name(record.id_number),
            record.amount_fen,
            record.paid_at.date(),
        )
        return dataclasses.replace(record, verification_code=code)

    def signed_seal(self, seal: BasketSeal) -> BasketSeal:
        """A basket's seal with its code (number: the basket's order; the person: the payer; the date: the day
        its lines were paid)."""
        code = self.signer.sign_code(
            DocumentKind.BASKET,
            seal.basket_id,
            self._masked_name(seal.payer_id_number),
            seal.total_fen,
            seal.paid_on,
        )
        return dataclasses.replace(seal, verification_code=code)

    def number_specimen(self, kind: CertificateKind, id_number: str, payment_nos: tuple[str, ...]) -> CertificateIssue:
        """A sample certificate's number (样张, never stored or reused) with its signed code: the technician's A4
        test page (`kiosk cert sample`). Its code checks offline; the public page calls it not genuine, since no
        such document was issued."""
        placeholders = ",".join("?" for _ in payment_nos)
        rows = self.store.all(
            f"SELECT amount_fen FROM payments WHERE id_number = ? AND payment_no IN ({placeholders})",
            (id_number, *payment_nos),
        )
        now = self.store.clock()
        issue = CertificateIssue(
            number=f"({now.year}){CERTIFICATE_WORDS[kind]} 样张00000001",
            kind=kind,
            id_number=id_number,
            payment_nos=payment_nos,
            total_fen=sum(row["amount_fen"] for row in rows),
            printed=0,
            issued_at=now,
        )
        code = self.signer.sign_code(
            DocumentKind.of(kind.value), issue.number, self._masked_name(id_number), issue.total_fen, now.date()
        )
        return dataclasses.replace(issue, verification_code=code)

    def record_print(self, number: str) -> CertificateIssue:
        """A print of the certificate came out of the printer: the next one is a reprint."""
        with self.store.transaction() as db:
            updated = db.execute("UPDATE certificates SET printed = printed + 1 WHERE number = ?", (number,))
            if updated.rowcount != 1:
                raise UnknownRecord(f"unknown certificate {number}")
            row = db.execute("SELECT * FROM certificates WHERE number = ?", (number,)).fetchone()
        return self._signed_issue(row)

    def record_receipt_reprint(self, payment_no: str) -> int:
        """A reprint (补打) of a posted payment's receipt came out of the printer; the reprints so far."""
        with self.store.transaction() as db:
            if db.execute("SELECT 1 FROM payments WHERE payment_no = ?", (payment_no,)).fetchone() is None:
                raise UnknownRecord(f"unknown payment {payment_no}")
            db.execute(
                "INSERT INTO receipt_reprints VALUES (?, 1)"
                " ON CONFLICT (payment_no) DO UPDATE SET reprints = reprints + 1",
                (payment_no,),
            )
            row = db.execute("SELECT reprints FROM receipt_reprints WHERE payment_no = ?", (payment_no,)).fetchone()
        return int(row["reprints"])

    def issued(self, id_number: str) -> list[CertificateIssue]:
        """The person's certificates, newest first (the order of issue breaks a tie of the same second)."""
        rows = self.store.all(
            "SELECT * FROM certificates WHERE id_number = ? ORDER BY issued_at DESC, rowid DESC", (id_number,)
        )
        return [self._signed_issue(row) for row in rows]

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
                "SELECT s.total_fen, s.lines, p.name FROM basket_seals s JOIN baskets b USING (basket_id)"
                " JOIN people p ON p.id_number = b.payer_id_number WHERE s.basket_id = ?",
                (number,),
            ).fetchone()
            if row is not None:  # a basket's one receipt (issue 22), printed with its payment
                return DocumentCheck(number, "basket", mask_name(row["name"]), row["total_fen"], 1, row["lines"])
            row = db.execute(
                "SELECT pay.amount_fen, p.name, r.reprints FROM payments pay JOIN people p USING (id_number)"
                " LEFT JOIN receipt_reprints r USING (payment_no) WHERE payment_no = ?",
                (number,),
            ).fetchone()
        if row is None:
            return None
        # A receipt is printed with its payment (counted as the first print), then reprinted from Query.
        return DocumentCheck(number, "receipt", mask_name(row["name"]), row["amount_fen"], 1 + (row["reprints"] or 0))

    def verify_document_code(self, code: str) -> DocumentCheck | None:
        """The verification question asked of the fee system: the code's signature (or, for an old code, its
        HMAC) holds, and it names a document this fee system issued, for the same total. None when not genuine
        (malformed codes included)."""
        verified = self.verify(code)
        return verified.issued if verified else None

    def verify(self, code: str) -> VerifiedIssue | None:
        """What the public page shows of a genuine code; None when not genuine (malformed codes included)."""
        try:
            claimed = verify_any(code, [self.signer.public_key], self.old_hmac_key)
        except MalformedCodeError:
            return None
        if claimed is None:
            return None
        issued = self.check_document(claimed.number)
        if issued is None or issued.total_fen != claimed.total_fen:
            return None
        if claimed.kind is not None and DocumentKind.of(issued.kind) is not claimed.kind:
            return None
        return VerifiedIssue(claimed, issued)

    # --- electronic copies (下载) ------------------------------------------------------------------------------

    def keep_copy(self, number: str, pdf_base64: str) -> str:
        """Keep the PDF the kiosk printed (or shows) for a certificate number; the download token, tied to the
        number and these bytes, valid for DOWNLOAD_LIFETIME. A later copy (a reprint, 补打) replaces it."""
        try:
            pdf = base64.b64decode(pdf_base64, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidRequest("the copy is not base64") from None
        if not pdf.startswith(b"%PDF-") or len(pdf) > MAX_COPY_BYTES:
            raise InvalidRequest(f"the copy is not a PDF of at most {MAX_COPY_BYTES} bytes")
        digest = hashlib.sha256(pdf).digest()
        with self.store.transaction() as db:
            if db.execute("SELECT 1 FROM certificates WHERE number = ?", (number,)).fetchone() is None:
                raise UnknownRecord(f"unknown certificate {number}")
            db.execute(
                "INSERT OR REPLACE INTO document_copies VALUES (?,?,?,?)",
                (number, pdf, digest, self.store.clock().isoformat()),
            )
        return self.tokens.issue(number, digest)

    def copy(self, number: str, token: str) -> tuple[bytes | None, str | None]:
        """The kept PDF when the token is good: (pdf, None); else (None, "unknown" | "wrong" | "expired")."""
        row = self.store.one("SELECT pdf, sha256 FROM document_copies WHERE number = ?", (number,))
        if row is None:
            return None, "unknown"
        if problem := self.tokens.check(token, number, bytes(row["sha256"])):
            return None, problem
        return bytes(row["pdf"]), None


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

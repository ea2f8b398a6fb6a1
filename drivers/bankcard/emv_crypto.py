"""The cryptogram composition the simulated PBOC card and the simulated issuer share, all done by pyemv.

PBOC 3.0 (JR/T 0025.7) cards with CVN 01 use the EMV common core: pyemv has no PBOC class, so the pieces are put
together here (docs/bank.md says so and what an acquirer must confirm):

- ICC master key: EMV option A from the issuer master key, the PAN and the PAN sequence number
  (``pyemv.kd.derive_icc_mk_a``);
- session key: the EMV common session key with R = ATC ‖ 00 00 00 00 00 00 (``pyemv.kd.derive_common_sk``);
- AC input: EMV Book 2 Annex D's minimum set 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 ‖ 82 9F36 ‖ the CVR (4 bytes of
  9F10), ISO/IEC 9797-1 padding method 2 (``pyemv.ac.generate_ac``, PaddingType.EMV);
- ARPC: method 1, ARPC = DES3(SK, ARQC ⊕ ARC ‖ 00…) (``pyemv.ac.generate_arpc_1``), sent in 91 as ARPC ‖ ARC;
- issuer script MAC: the session key for secure messaging integrity from its own issuer master key, over the
  command (``pyemv.sm.generate_command_mac``, 4 bytes), the command's last 4 data bytes.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

from pyemv import ac, kd, sm

# pyemv drives cryptography's TripleDES, which warns on every call that it will move: noise, not news.
warnings.filterwarnings("ignore", message=".*TripleDES.*")

# Terminal data in the AC input, in order, with their lengths (EMV Book 2 Annex D Table 26)
TERMINAL_AC_DATA = ((0x9F02, 6), (0x9F03, 6), (0x9F1A, 2), (0x95, 5), (0x5F2A, 2), (0x9A, 3), (0x9C, 1), (0x9F37, 4))
SCRIPT_MAC_BYTES = 4


@dataclass(frozen=True)
class IccKeys:
    """The keys a card holds: its AC master key and its secure-messaging (script MAC) master key."""

    ac: bytes
    smi: bytes


def icc_keys(imk_ac: bytes, imk_smi: bytes, pan: str, pan_sequence: int | None) -> IccKeys:
    psn = f"{(pan_sequence or 0) % 100:02d}"
    return IccKeys(kd.derive_icc_mk_a(imk_ac, pan, psn), kd.derive_icc_mk_a(imk_smi, pan, psn))


def session_key(icc_mk: bytes, atc: bytes) -> bytes:
    return kd.derive_common_sk(icc_mk, atc + bytes(6))


def cvr_of(iad: bytes) -> bytes:
    """The CVR inside 9F10 (length, DKI, CVN, then the CVR's 4 bytes: its length 03 and 3 bytes)."""
    return iad[3:7]


def ac_input(values: Mapping[int, bytes], aip: bytes, atc: bytes, iad: bytes) -> bytes:
    data = bytearray()
    for tag, length in TERMINAL_AC_DATA:
        value = values.get(tag, b"")
        if len(value) != length:
            raise ValueError(f"AC input: {tag:X} is {len(value)} bytes, not {length}")
        data += value
    return bytes(data) + aip + atc + cvr_of(iad)


def cryptogram(icc_mk: bytes, values: Mapping[int, bytes], aip: bytes, atc: bytes, iad: bytes) -> bytes:
    """ARQC, TC or AAC: the same computation over what the card was given."""
    return ac.generate_ac(session_key(icc_mk, atc), ac_input(values, aip, atc, iad), ac.PaddingType.EMV)


def arpc(icc_mk: bytes, atc: bytes, arqc: bytes, arc: bytes) -> bytes:
    return ac.generate_arpc_1(session_key(icc_mk, atc), arqc, arc)


def script_mac(icc_smi: bytes, atc: bytes, command_without_mac: bytes) -> bytes:
    return sm.generate_command_mac(session_key(icc_smi, atc), command_without_mac, SCRIPT_MAC_BYTES)


def script_command(icc_smi: bytes, atc: bytes, header: bytes, data: bytes) -> bytes:
    """An issuer script command (CLA 84) with its MAC: header ‖ Lc ‖ data ‖ MAC, the MAC over all before it."""
    without_mac = header + bytes([len(data) + SCRIPT_MAC_BYTES]) + data
    return without_mac + script_mac(icc_smi, atc, without_mac)

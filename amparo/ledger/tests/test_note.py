"""Signed notes, keys and checkpoints: known answers from Go's sumdb/note, round trips and tampering."""

from __future__ import annotations

import base64
import hashlib

import pytest

from amparo.ledger import (
    Checkpoint,
    LedgerError,
    NoteSigner,
    NoteVerifier,
    VerificationError,
    generate_key,
    key_id,
    open_note,
    parse_checkpoint,
    sign_note,
    verify_checkpoint,
)

# The example keys and signature published in golang.org/x/mod/sumdb/note's documentation.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
)
GO_SIG = "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
GO_NOTE = (GO_TEXT + "\n\u2014 PeterNeumann " + GO_SIG + "\n").encode()


def test_it_reproduces_go_sumdb_note() -> None:
    signer = NoteSigner.from_skey(GO_SKEY)
    assert signer.vkey == GO_VKEY
    assert signer.skey == GO_SKEY
    assert sign_note(GO_TEXT, signer) == GO_NOTE
    note, verifier = open_note(GO_NOTE, GO_VKEY)
    assert note.text == GO_TEXT
    assert verifier.name == "PeterNeumann"


def test_key_id_is_the_spec_hash() -> None:
    verifier = NoteVerifier.from_vkey(GO_VKEY)
    digest = hashlib.sha256(b"PeterNeumann\n\x01" + verifier.public_key).digest()
    assert key_id("PeterNeumann", verifier.public_key) == int.from_bytes(digest[:4], "big") == 0xC74F20A3


def test_generated_keys_round_trip() -> None:
    skey, vkey = generate_key("amparo.example/log")
    assert skey.startswith("PRIVATE+KEY+amparo.example/log+")
    signer = NoteSigner.from_skey(skey)
    assert signer.vkey == vkey
    assert NoteVerifier.from_vkey(vkey).vkey == vkey
    raw = base64.b64decode(vkey.split("+", 2)[2])
    assert raw[0] == 1 and len(raw) == 33
    assert "PRIVATE" not in repr(signer) and skey.split("+")[-1] not in repr(signer)


@pytest.mark.parametrize(
    "bad",
    [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # wrong id
        "PeterNeumann+c74f20a3+ApDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # short key
        "PeterNeumann+c74f20a3+AhpWc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",  # wrong type byte
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # space in name
        "c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+!!!",
    ],
)
def test_it_rejects_malformed_verifier_keys(bad: str) -> None:
    with pytest.raises(LedgerError):
        NoteVerifier.from_vkey(bad)


def test_it_rejects_a_changed_byte_anywhere_in_the_note() -> None:
    for i in range(len(GO_NOTE)):
        changed = bytearray(GO_NOTE)
        changed[i] ^= 0x01
        with pytest.raises(VerificationError):
            open_note(bytes(changed), GO_VKEY)


def test_unknown_keys_are_ignored_and_known_failures_reject(signer: NoteSigner) -> None:
    other = NoteSigner.generate("witness.example")
    note = sign_note("hello\n", [other, signer])
    open_note(note, signer.vkey)  # the witness signature is not known: ignored
    with pytest.raises(VerificationError, match="not signed by any trusted key"):
        open_note(note, NoteSigner.generate("amparo.example/log").vkey)  # same name, other id
    forged = note.replace(note.split(b"\n")[-2].split(b" ")[-1][8:16], b"AAAAAAAA")
    with pytest.raises(VerificationError, match=r"does not verify for key amparo\.example/log"):
        open_note(forged, signer.vkey)


@pytest.mark.parametrize(
    "note",
    [b"no signatures\n", b"text\n\nnot a signature line\n", b"text\n\n\xe2\x80\x94 name !!!\n", b"a\x01\n\n"],
)
def test_it_rejects_malformed_notes(note: bytes) -> None:
    with pytest.raises(VerificationError):
        open_note(note, GO_VKEY)


def test_checkpoint_round_trip_and_tamper(signer: NoteSigner) -> None:
    root = hashlib.sha256(b"root").digest()
    cp = Checkpoint("amparo.example/log", 1234, root, ("ext line",)).sign(signer)
    text = cp.note.decode()
    assert text.startswith(
        f"amparo.example/log\n1234\n{base64.b64encode(root).decode()}\next line\n\n\u2014 "
    )
    got = verify_checkpoint(cp.note, signer.vkey, origin="amparo.example/log")
    assert (got.origin, got.size, got.root, got.extensions) == (
        "amparo.example/log",
        1234,
        root,
        ("ext line",),
    )
    assert parse_checkpoint(cp.note) == got
    with pytest.raises(VerificationError, match="expected 'other'"):
        verify_checkpoint(cp.note, signer.vkey, origin="other")
    with pytest.raises(VerificationError, match="checkpoint signature does not verify"):
        verify_checkpoint(cp.note.replace(b"\n1234\n", b"\n1235\n"), signer.vkey)


@pytest.mark.parametrize("size_line", ["01", "-1", "1e3", "", "18446744073709551616"])
def test_it_rejects_bad_checkpoint_sizes(signer: NoteSigner, size_line: str) -> None:
    root = base64.b64encode(bytes(32)).decode()
    note = sign_note(f"amparo.example/log\n{size_line}\n{root}\n", signer)
    with pytest.raises(VerificationError):
        verify_checkpoint(note, signer.vkey)

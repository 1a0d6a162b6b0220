"""amparo.lib.crypto: envelope encryption, blind index, sealed values, key loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from amparo.lib import crypto


def ring(tmp_path: Path, name: str = "keys") -> crypto.Keyring:
    return crypto.keyring(crypto.KeyConfig(keys_dir=tmp_path / name))


def test_it_round_trips_values_under_a_wrapped_data_key(tmp_path: Path) -> None:
    keys = ring(tmp_path)
    dek, wrapped = crypto.new_wrapped_dek(keys)
    assert dek not in wrapped and len(wrapped) == 1 + 4 + 40
    blob = crypto.encrypt(dek, "María José", "person:P-1:legal_name")
    assert b"Mar" not in blob
    assert (
        crypto.decrypt(crypto.unwrap(wrapped, keys), blob, "person:P-1:legal_name") == "María José".encode()
    )


def test_it_refuses_a_ciphertext_moved_to_another_field_or_tampered(tmp_path: Path) -> None:
    dek = crypto.new_dek()
    blob = crypto.encrypt(dek, "123456789", "person:P-1:a_number")
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(dek, blob, "person:P-2:a_number")
    damaged = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(dek, damaged, "person:P-1:a_number")


def test_it_names_a_wrong_master_key(tmp_path: Path) -> None:
    _dek, wrapped = crypto.new_wrapped_dek(ring(tmp_path, "a"))
    with pytest.raises(crypto.CryptoError, match="different master key"):
        crypto.unwrap(wrapped, ring(tmp_path, "b"))


def test_rewrap_moves_a_data_key_to_a_new_master_key(tmp_path: Path) -> None:
    old, new = ring(tmp_path, "old"), ring(tmp_path, "new")
    dek, wrapped = crypto.new_wrapped_dek(old)
    assert crypto.unwrap(crypto.rewrap(wrapped, old, new), new) == dek


def test_blind_index_is_keyed_deterministic_and_separated_by_purpose(tmp_path: Path) -> None:
    a, b = ring(tmp_path, "a"), ring(tmp_path, "b")
    assert crypto.blind_index("012345678", "a_number:n1", a) == crypto.blind_index(
        "012345678", "a_number:n1", a
    )
    assert crypto.blind_index("012345678", "a_number:n1", a) != crypto.blind_index(
        "012345678", "a_number:n2", a
    )
    assert crypto.blind_index("012345678", "a_number:n1", a) != crypto.blind_index(
        "012345678", "a_number:n1", b
    )
    assert "012345678" not in crypto.blind_index("012345678", "a_number:n1", a)


def test_seal_and_unseal_a_single_value(tmp_path: Path) -> None:
    keys = ring(tmp_path)
    token = crypto.seal("+1 773 555 0100", "intake.callback", keys)
    assert token.startswith("s1.") and "555" not in token
    assert crypto.unseal(token, "intake.callback", keys) == "+1 773 555 0100"
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(token, "intake.witness_contact", keys)


def test_keys_from_configuration_values_and_files(tmp_path: Path) -> None:
    hex_key = "11" * 32
    explicit = crypto.keyring(crypto.KeyConfig(master_key=hex_key, blind_index_key="22" * 32))
    assert explicit.kek == bytes.fromhex(hex_key)
    from_files = ring(tmp_path)
    assert (tmp_path / "keys" / crypto.KEK_FILE).stat().st_mode & 0o077 == 0
    assert from_files.kek != from_files.index_key
    with pytest.raises(crypto.CryptoError):
        crypto.keyring(crypto.KeyConfig(master_key="short", keys_dir=tmp_path))
    with pytest.raises(crypto.CryptoError, match="must differ"):
        crypto.keyring(crypto.KeyConfig(master_key=hex_key, blind_index_key=hex_key))


def test_a_rotation_keeps_old_data_keys_and_sealed_values_open_until_rewrapped(tmp_path: Path) -> None:
    old_hex, new_hex, index_hex = "33" * 32, "44" * 32, "55" * 32
    old = crypto.keyring(crypto.KeyConfig(master_key=old_hex, blind_index_key=index_hex))
    dek, wrapped = crypto.new_wrapped_dek(old)
    token = crypto.seal("+1 555 0142", "intake.callback", old)
    rotating = crypto.keyring(
        crypto.KeyConfig(master_key=new_hex, blind_index_key=index_hex, previous_master_keys=(old_hex,))
    )
    assert crypto.unwrap(wrapped, rotating) == dek and crypto.needs_rewrap(wrapped, rotating)
    assert crypto.unseal(token, "intake.callback", rotating) == "+1 555 0142"
    fresh_wrapped = crypto.wrap(dek, rotating)
    fresh_token = crypto.reseal(token, "intake.callback", rotating)
    new_only = crypto.keyring(crypto.KeyConfig(master_key=new_hex, blind_index_key=index_hex))
    assert crypto.unwrap(fresh_wrapped, new_only) == dek and not crypto.needs_rewrap(fresh_wrapped, new_only)
    assert crypto.unseal(fresh_token, "intake.callback", new_only) == "+1 555 0142"
    with pytest.raises(crypto.CryptoError):
        crypto.unwrap(wrapped, new_only)  # the old master key destroyed: old copies stay sealed
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(token, "intake.callback", new_only)

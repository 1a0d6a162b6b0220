"""The C2PA manifest of a redacted copy, signed with the network's own key (c2pa-python).

Each network has a signing key and certificate chain in ``KEYS_DIR`` (flat, like the other keys, so ``amparo backup``
seals them with the rest and ``amparo restore`` brings them back):

- ``c2pa-<network code>-signing_key.pem``: the EC P-256 private key (mode 0600);
- ``c2pa-<network code>-chain.pem``: the signing certificate, then the certificate of the network's own root.

Both are made with ``cryptography`` the first time the network signs a copy: a self-signed root (kept only as a
certificate: its private key is thrown away once it has issued the signing certificate, so nothing can issue a
second signer in the network's name) and a signing certificate for it. That is enough for a local instance: a
reader of the manifest sees it was signed by this network's key, and C2PA readers report the chain as "untrusted"
because no public trust list knows it. An operator with a certificate from a C2PA-recognised authority puts their
own key and chain under those two names instead (docs/redaction.md).

The manifest says what was done (``c2pa.opened`` the ingredient, then ``c2pa.edited``: regions hidden by blur or
a solid box) and has one ingredient, the original, named by its entry in the transparency log (origin, leaf index
and leaf hash of its ``evidence.item`` entry), never by the original's hash: the original's bytes are not given to
c2pa, so no hash of them can end up in the copy.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from amparo.lib.keys import write_once

ASSERTION = "org.amparo.redaction"
INGREDIENT_LABEL = "original"


@dataclass(frozen=True)
class Commitment:
    """How the copy names its original: the original's entry in the log (public), not its bytes (private)."""

    origin: str
    leaf_index: int
    leaf_hash: str

    @property
    def uri(self) -> str:
        return f"amparo-log:{self.origin}#{self.leaf_index}:{self.leaf_hash}"

    def to_dict(self) -> dict[str, Any]:
        return {"log_origin": self.origin, "leaf_index": self.leaf_index, "leaf_hash": self.leaf_hash}


def key_paths(network: Any) -> tuple[Path, Path]:
    """(signing key, certificate chain) of ``network``."""
    base = Path(settings.KEYS_DIR) / f"c2pa-{network.code}"
    return base.with_name(base.name + "-signing_key.pem"), base.with_name(base.name + "-chain.pem")


def _make_keys(network: Any, key_path: Path, chain_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    org = (" ".join(str(network.name).split()) or "Amparo network")[:64]

    def name(common: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, common),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            ]
        )

    def usage(*, sign: bool) -> x509.KeyUsage:
        return x509.KeyUsage(
            digital_signature=not sign,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=sign,
            crl_sign=sign,
            encipher_only=False,
            decipher_only=False,
        )

    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = name("Amparo network root")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage(sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name("Amparo redacted copies"))
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage(sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False
        )
        .sign(root_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    private = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    # the key first: a crash between the two writes leaves a key without a chain, made again below
    write_once(key_path, private)
    write_once(chain_path, leaf.public_bytes(pem) + root.public_bytes(pem))


def ensure_keys(network: Any) -> tuple[Path, Path]:
    """The network's key and chain, made now if it has none."""
    key, chain = key_paths(network)
    if key.exists() and not chain.exists():  # an interrupted first run: the key has never signed anything
        key.unlink()
    if not key.exists():
        _make_keys(network, key, chain)
    return key, chain


def chain_pem(network: Any) -> bytes:
    return ensure_keys(network)[1].read_bytes()


def manifest(
    *, kind: str, content_type: str, original: Commitment, style: str, labels: dict[str, int], regions: int
) -> dict[str, Any]:
    """The manifest definition: what was done, and the original as an ingredient named by its log entry."""
    from amparo import __version__

    hidden = ", ".join(f"{n} {label}" for label, n in sorted(labels.items())) or "none"
    how = "blurred" if style == "blur" else "covered with a solid box"
    return {
        "claim_generator_info": [{"name": "Amparo", "version": __version__}],
        "title": f"Redacted {kind} (from log entry {original.leaf_index})",
        "format": content_type,
        "ingredients": [
            {
                "title": f"Original evidence, log entry {original.leaf_index}",
                "relationship": "parentOf",
                "format": content_type,
                "label": INGREDIENT_LABEL,
                "instance_id": original.uri,
                "metadata": {ASSERTION: original.to_dict()},
            }
        ],
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {"action": "c2pa.opened", "parameters": {"ingredientIds": [INGREDIENT_LABEL]}},
                        {
                            "action": "c2pa.edited",
                            "softwareAgent": {"name": "Amparo", "version": __version__},
                            "parameters": {
                                "description": f"Regions hidden ({how}): {hidden}; "
                                "re-encoded from decoded pixels, no metadata of the original kept",
                            },
                        },
                    ]
                },
            },
            {
                "label": ASSERTION,
                "data": {
                    "original": original.to_dict(),
                    "style": style,
                    "regions": regions,
                    "labels": labels,
                    "approved_by_a_second_coordinator": True,
                },
            },
        ],
    }


def sign(network: Any, source: Path, dest: Path, definition: dict[str, Any]) -> None:
    """Write ``source`` with the signed manifest embedded to ``dest``."""
    import c2pa

    key, chain = ensure_keys(network)
    info = c2pa.C2paSignerInfo(
        c2pa.C2paSigningAlg.ES256,
        chain.read_bytes(),
        key.read_bytes(),
        None,  # no time-stamp authority: nothing leaves the server
    )
    signer = c2pa.Signer.from_info(info)
    try:
        with c2pa.Builder(definition) as builder, open(source, "rb") as src, open(dest, "wb") as out:
            builder.sign(signer, definition["format"], src, out)
    finally:
        signer.close()


def read(data: bytes, content_type: str) -> dict[str, Any]:
    """The manifest store of a file, as c2pa-python reads it (for tests and the "how to check" page's example)."""
    import c2pa

    with c2pa.Reader(content_type, io.BytesIO(data)) as reader:
        return json.loads(reader.json())  # type: ignore[no-any-return]


def original_of(store: dict[str, Any]) -> Commitment | None:
    """The original named by the active manifest's ingredient, or None if it names none."""
    active = store.get("manifests", {}).get(store.get("active_manifest", ""), {})
    for ingredient in active.get("ingredients", []):
        found = (ingredient.get("metadata") or {}).get(ASSERTION)
        if ingredient.get("relationship") == "parentOf" and isinstance(found, dict):
            return Commitment(str(found["log_origin"]), int(found["leaf_index"]), str(found["leaf_hash"]))
    return None

"""Offline command line: ``python -m amparo.ledger <command>``. No database, no network.

    keygen NAME                                   print a new signer key and its verifier key
    checkpoint FILE --vkey KEY                    verify a signed checkpoint
    receipt FILE --vkey KEY (--entry F | --leaf-hash HEX)
                                                  verify a c2sp.org/tlog-proof receipt for an entry
    tiles DIR --vkey KEY                          verify a whole log folder, every tile from the entries
    consistency OLD NEW --tiles DIR --vkey KEY    check that checkpoint NEW extends checkpoint OLD

Exit status: 0 verified, 1 verification failed (the reason is printed), 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from amparo.ledger.checkpoint import parse_checkpoint, verify_checkpoint
from amparo.ledger.errors import LedgerError
from amparo.ledger.merkle import consistency_proof
from amparo.ledger.note import generate_key
from amparo.ledger.receipt import verify_receipt
from amparo.ledger.tiles import DirectoryTileStore, TileHashReader
from amparo.ledger.verify import verify_checkpoint_consistency, verify_tiles


def _vkeys(args: argparse.Namespace) -> list[str]:
    keys = list(args.vkey or [])
    for path in args.vkey_file or []:
        keys += [line.strip() for line in Path(path).read_text().splitlines() if line.strip()]
    if not keys:
        raise SystemExit("give the log's verifier key with --vkey or --vkey-file")
    return keys


def _run(args: argparse.Namespace) -> str:
    if args.command == "keygen":
        skey, vkey = generate_key(args.name)
        return f"signer key (keep secret):\n{skey}\nverifier key (publish):\n{vkey}"
    keys = _vkeys(args)
    if args.command == "checkpoint":
        cp = verify_checkpoint(Path(args.file).read_bytes(), keys)
        return f"OK: checkpoint of {cp.origin} at tree size {cp.size} is signed by a trusted key"
    if args.command == "receipt":
        if (args.entry is None) == (args.leaf_hash is None):
            raise SystemExit("give exactly one of --entry FILE or --leaf-hash HEX")
        if args.entry is not None:
            got = verify_receipt(Path(args.file).read_bytes(), Path(args.entry).read_bytes(), keys)
        else:
            got = verify_receipt(
                Path(args.file).read_bytes(), bytes.fromhex(args.leaf_hash), keys, leaf_is_hash=True
            )
        return f"OK: entry {got.index} is in {got.origin} at tree size {got.tree_size} (signed by {got.key_name})"
    if args.command == "tiles":
        report = verify_tiles(args.dir, keys)
        cp = report.checkpoint
        return (
            f"OK: {cp.origin} at tree size {cp.size}: {report.bundles} entry bundles and {report.tiles} tiles "
            "recomputed from the entries match the signed root"
        )
    old, new = Path(args.old).read_bytes(), Path(args.new).read_bytes()
    old_size, new_size = parse_checkpoint(old).size, parse_checkpoint(new).size
    if old_size == new_size:
        proof: list[bytes] = []
    else:
        reader = TileHashReader(DirectoryTileStore(args.tiles), new_size)
        proof = consistency_proof(old_size, new_size, reader.node)
    verify_checkpoint_consistency(old, new, proof, keys)
    return f"OK: the tree at size {new_size} extends the tree at size {old_size}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m amparo.ledger", description="Verify an Amparo log offline."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    keygen = sub.add_parser("keygen", help="make a new log key")
    keygen.add_argument("name")
    for name, extra in (
        ("checkpoint", ["file"]),
        ("receipt", ["file"]),
        ("tiles", ["dir"]),
        ("consistency", ["old", "new"]),
    ):
        cmd = sub.add_parser(name)
        for positional in extra:
            cmd.add_argument(positional)
        cmd.add_argument("--vkey", action="append", help="a trusted verifier key (repeatable)")
        cmd.add_argument("--vkey-file", action="append", help="a file of verifier keys, one a line")
        if name == "receipt":
            cmd.add_argument("--entry", help="file holding the entry's exact bytes")
            cmd.add_argument("--leaf-hash", help="the entry's RFC 6962 leaf hash in hex")
        if name == "consistency":
            cmd.add_argument("--tiles", required=True, help="the log folder holding the newer tree's tiles")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(_run(args) + "\n")
    except (LedgerError, OSError, ValueError) as exc:
        sys.stderr.write(f"FAILED: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Exact A-number look-up through the keyed blind index, then decrypting the name, against a plain indexed column.

What a caseworker does on the phone with a family: type an A-number, open the file. With encryption this costs an
HMAC, an indexed query on the index column, unwrapping the person's data key and an AES-GCM decryption. The baseline is
the same table with the A-number and name in clear and an index on the A-number (what Amparo refuses to store).

    .venv/bin/python bench/people_lookup.py            # 100,000 people, 5,000 look-ups
    .venv/bin/python bench/people_lookup.py --full     # 1,000,000 people

Target: the encrypted look-up + decryption <= 3.0x the plain look-up (the crypto adds at most two plain
look-ups' worth, tens of microseconds: nothing a person on the phone notices). Both run in this process on the same SQLite
file; the best of three rounds of each is compared. Exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from amparo.lib import crypto

TARGET = 3.0


def build(db: sqlite3.Connection, n: int, ring: crypto.Keyring) -> list[str]:
    db.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY, a_number TEXT, legal_name TEXT)")
    db.execute("CREATE INDEX plain_a ON plain (a_number)")
    db.execute(
        "CREATE TABLE person (id INTEGER PRIMARY KEY, a_index TEXT, name_enc BLOB, code TEXT, wrapped BLOB)"
    )
    db.execute("CREATE INDEX person_a ON person (a_index)")
    rng = random.Random(7)
    numbers = [f"{rng.randrange(10**9):09d}" for _ in range(n)]
    plain_rows, enc_rows = [], []
    for i, number in enumerate(numbers):
        name = f"Persona Número {i}"
        dek, wrapped = crypto.new_wrapped_dek(ring)
        code = f"P-{i:08d}"
        plain_rows.append((number, name))
        enc_rows.append(
            (
                crypto.blind_index(number, "a_number:bench", ring),
                crypto.encrypt_text(dek, name, f"person:{code}:legal_name"),
                code,
                wrapped,
            )
        )
    db.executemany("INSERT INTO plain (a_number, legal_name) VALUES (?, ?)", plain_rows)
    db.executemany("INSERT INTO person (a_index, name_enc, code, wrapped) VALUES (?, ?, ?, ?)", enc_rows)
    db.commit()
    return numbers


def plain_lookups(db: sqlite3.Connection, queries: list[str]) -> float:
    start = time.perf_counter()
    for number in queries:
        row = db.execute("SELECT legal_name FROM plain WHERE a_number = ?", (number,)).fetchone()
        assert row is not None
    return time.perf_counter() - start


def encrypted_lookups(db: sqlite3.Connection, queries: list[str], ring: crypto.Keyring) -> float:
    start = time.perf_counter()
    for number in queries:
        index = crypto.blind_index(number, "a_number:bench", ring)
        row = db.execute("SELECT name_enc, code, wrapped FROM person WHERE a_index = ?", (index,)).fetchone()
        assert row is not None
        dek = crypto.unwrap(row[2], ring)
        name = crypto.decrypt_text(dek, row[0], f"person:{row[1]}:legal_name")
        assert name.startswith("Persona")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="1,000,000 people instead of 100,000")
    parser.add_argument("--lookups", type=int, default=5000)
    args = parser.parse_args()
    n = 1_000_000 if args.full else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        ring = crypto.keyring(crypto.KeyConfig(keys_dir=Path(tmp) / "keys"))
        db = sqlite3.connect(Path(tmp) / "bench.sqlite3")
        t0 = time.perf_counter()
        numbers = build(db, n, ring)
        print(f"built {n:,} people (plain and encrypted) in {time.perf_counter() - t0:.1f} s")
        queries = random.Random(11).sample(numbers, min(args.lookups, n))
        plain = min(plain_lookups(db, queries) for _ in range(3))
        encrypted = min(encrypted_lookups(db, queries, ring) for _ in range(3))
        db.close()
    per = 1e6 / len(queries)
    ratio = encrypted / plain
    print(f"baseline, plain indexed A-number:         {plain * per:8.1f} µs per look-up")
    print(f"blind index + unwrap + decrypt the name:  {encrypted * per:8.1f} µs per look-up")
    print(f"ratio {ratio:.2f} (target <= {TARGET})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

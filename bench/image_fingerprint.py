"""Benchmark: PDQ of an image in all 8 rotations/flips vs. plain PDQ of one orientation.

Both start from the same 1280x720 Pillow image: baseline ``pdqhash.compute`` via ``image_hash`` (one
orientation), measured ``image_hashes`` (all 8 from one ``pdqhash.compute_dihedral`` pass). Each is timed over
``--calls`` back-to-back pairs (order alternating); the ratio is the median of the pairs' ratios, which shared
machines disturb least. Exits 1 if that ratio is above 1.3.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from amparo.media.pdq import image_hash, image_hashes
from amparo.media.tests.factory import photo

TARGET = 1.3


def timed(fn, image) -> float:  # type: ignore[no-untyped-def]  # small timing helper
    started = time.perf_counter()
    fn(image)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=150)
    parser.add_argument("--full", action="store_true", help="1,000 call pairs")
    args = parser.parse_args()
    calls = 1000 if args.full else args.calls
    image = photo(1280, 720)
    image_hash(image), image_hashes(image)  # warm up
    plain, dihedral, ratios = [], [], []
    for i in range(calls):
        # Back-to-back pairs, alternating which goes first, share whatever load the machine has at that moment.
        if i % 2:
            a = timed(image_hash, image)
            b = timed(image_hashes, image)
        else:
            b = timed(image_hashes, image)
            a = timed(image_hash, image)
        plain.append(a)
        dihedral.append(b)
        ratios.append(b / a)
    ratio = statistics.median(ratios)
    print(
        f"baseline  plain PDQ, 1 orientation, 1280x720: median {statistics.median(plain) * 1000:.2f} ms, "
        f"best {min(plain) * 1000:.2f} ms"
    )
    print(
        f"measured  PDQ, 8 rotations/flips, 1280x720:  median {statistics.median(dihedral) * 1000:.2f} ms, "
        f"best {min(dihedral) * 1000:.2f} ms"
    )
    print(
        f"ratio (median of {calls} back-to-back pairs) {ratio:.2f}x, of best times "
        f"{min(dihedral) / min(plain):.2f}x  target <= {TARGET}x  -> {'OK' if ratio <= TARGET else 'MISSED'}"
    )
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

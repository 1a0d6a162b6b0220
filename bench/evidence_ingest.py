"""Evidence ingest of a large file (receive, hash, store durably, probe, log, receipt) against hashlib alone.

Target (docs/evidence.md): ingest <= 1.3x the time of ``hashlib.sha256`` over the same file, read from the
same disk. Both run in this process, alternating, on a file already in the page cache; the best of
``--repeat`` runs of each is compared (the least disturbed by other work on a shared machine).

    .venv/bin/python bench/evidence_ingest.py            # 1 GiB, 3 runs each
    .venv/bin/python bench/evidence_ingest.py --mb 256   # quicker

Prints the baseline, the measured time, the ratio, and exits 1 when the ratio is above the target.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.3
CHUNK = 1 << 20


def make_file(path: Path, size: int) -> None:
    block = os.urandom(CHUNK)
    with open(path, "wb") as fh:
        for i in range(size // CHUNK):
            fh.write(block[: CHUNK - 8] + i.to_bytes(8, "big"))  # distinct chunks, cheap to make


def hash_only(path: Path) -> str:
    hasher = hashlib.sha256()
    buf = memoryview(bytearray(CHUNK))
    with open(path, "rb", buffering=0) as fh:
        while got := fh.readinto(buf):
            hasher.update(buf[:got])
    return hasher.hexdigest()


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the sandboxed probe)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mb", type=int, default=1024, help="file size in MiB (default 1024)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (default 5)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="amparo-bench-", dir=os.environ.get("AMPARO_BENCH_DIR")))
    os.environ["AMPARO_DATA_DIR"] = str(work / "data")
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["AMPARO_TASKS_BACKEND"] = "immediate"
    os.environ["AMPARO_EVIDENCE_MAX_MB"] = str(args.mb * 2)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from amparo.cli import setup_django

    setup_django()
    from django.core.management import call_command

    from amparo.accounts.models import Network
    from amparo.evidence import vault

    call_command("migrate", interactive=False, verbosity=0)
    network = Network.objects.create(name="Bench")
    source = work / "input.bin"
    make_file(source, args.mb * CHUNK)
    hash_only(source)  # into the page cache for both contestants

    baseline: list[float] = []
    measured: list[float] = []
    cpu_base: list[float] = []
    cpu_ingest: list[float] = []
    for run in range(args.repeat):
        start, cpu = time.perf_counter(), cpu_seconds()
        digest = hash_only(source)
        baseline.append(time.perf_counter() - start)
        cpu_base.append(cpu_seconds() - cpu)
        with open(source, "r+b") as fh:  # new content each run, so nothing is deduplicated
            fh.write(run.to_bytes(8, "big"))
        digest = hash_only(source)
        start, cpu = time.perf_counter(), cpu_seconds()
        item = vault.ingest_path(source, network=network, filename="input.bin")
        receipt = vault.receipt_for(item)
        measured.append(time.perf_counter() - start)
        cpu_ingest.append(cpu_seconds() - cpu)
        assert item.sha256 == digest and item.size == args.mb * CHUNK and receipt is not None
        os.unlink(work / "data" / "evidence" / item.sha256[:2] / item.sha256[2:4] / item.sha256)

    best_base, best_ingest = min(baseline), min(measured)
    ratio = best_ingest / best_base
    print(f"file: {args.mb} MiB, {args.repeat} runs each (best of)")
    print(f"baseline  hashlib.sha256 alone:            {best_base:.3f} s  ({args.mb / best_base:.0f} MiB/s)")
    print(
        f"measured  ingest (hash+store+probe+log):   {best_ingest:.3f} s  ({args.mb / best_ingest:.0f} MiB/s)"
    )
    print(f"ratio     {ratio:.2f}x  (target <= {TARGET}x)")
    print(
        f"cpu time  baseline {min(cpu_base):.3f} s, ingest {min(cpu_ingest):.3f} s, ratio {min(cpu_ingest) / min(cpu_base):.2f}x"
    )
    print("all runs (s): baseline " + " ".join(f"{t:.2f}" for t in baseline))
    print("              ingest   " + " ".join(f"{t:.2f}" for t in measured))
    source.unlink()
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

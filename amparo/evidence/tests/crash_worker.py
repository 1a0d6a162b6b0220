"""Subprocess for test_crash.py: ``migrate``, ``ingest SEED`` (loop forever, one JSON line per acknowledged
item) or ``state`` (integrate, then print the database's view of the vault and ``verify --all``)."""

from __future__ import annotations

import io
import json
import random
import sys

from amparo.cli import setup_django


def main() -> None:
    setup_django()
    from django.core.management import call_command

    from amparo.accounts.models import Network
    from amparo.evidence import log, vault
    from amparo.evidence.checkall import verify_all
    from amparo.evidence.models import CustodyEvent, EvidenceItem, LogEntry

    command = sys.argv[1]
    if command == "migrate":
        call_command("migrate", interactive=False, verbosity=0)
        Network.objects.create(name="Crash")
        return
    network = Network.objects.get(name="Crash")
    if command == "ingest":
        rng = random.Random(int(sys.argv[2]))
        while True:
            data = rng.randbytes(rng.choice([0, 10, 5000, 300_000, 4_000_000, 12_000_000]))
            item = vault.ingest(io.BytesIO(data), network=network, filename="f.bin", source="cli")
            sys.stdout.write(
                json.dumps({"code": str(item.code), "sha256": item.sha256, "size": item.size}) + "\n"
            )
            sys.stdout.flush()
            if rng.random() < 0.3:
                vault.record_custody(item, "viewed", None)
    if command == "state":
        from amparo.evidence import store

        size = log.integrate_pending()
        before_sweep = verify_all().failures  # what a killed ingest left is reported ...
        swept = store.sweep_temporary()  # ... and removed, as every start and the hourly maintenance do
        report = verify_all()
        state = {
            "log_size": size,
            "indices": list(LogEntry.objects.order_by("index").values_list("index", flat=True)),
            "item_indices": list(EvidenceItem.objects.values_list("log_index", flat=True)),
            "custody_indices": list(CustodyEvent.objects.values_list("log_index", flat=True)),
            "items": {
                str(c): [s, n] for c, s, n in EvidenceItem.objects.values_list("code", "sha256", "size")
            },
            "failures": report.failures,
            "failures_before_sweep": before_sweep,
            "swept": swept,
        }
        sys.stdout.write(json.dumps(state) + "\n")


if __name__ == "__main__":
    main()

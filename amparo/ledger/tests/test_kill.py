"""A writer process killed with SIGKILL at arbitrary moments never loses an acknowledged entry and never
leaves a log that fails verification."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from amparo.ledger import DirectoryTileStore, NoteSigner, TileLog, verify_tiles
from amparo.ledger.tests.conftest import ORIGIN, entries_for

WRITER = """
import sys
from amparo.ledger import DirectoryTileStore, NoteSigner, TileLog
from amparo.ledger.tests.conftest import entries_for
log = TileLog(DirectoryTileStore(sys.argv[1]), sys.argv[2], NoteSigner.from_skey(sys.argv[3]))
while True:
    size = log.size
    log.integrate(entries_for(size, 37 + size % 300))
    print(log.size, flush=True)  # acknowledged only once integrate has returned
"""


def test_sigkill_during_integrate(tmp_path: Path) -> None:
    signer = NoteSigner.generate(ORIGIN)
    folder = tmp_path / "log"
    repo = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    acknowledged = 0
    for round_ in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder), ORIGIN, signer.skey],
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()  # the writer is up and has committed a batch
        time.sleep(0.05 + 0.11 * round_)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        sizes = [int(line) for line in (first + out).split()]
        acknowledged = max([acknowledged, *sizes])
        report = verify_tiles(folder, signer.vkey, origin=ORIGIN)
        assert report.checkpoint.size >= acknowledged
        log = TileLog(DirectoryTileStore(folder), ORIGIN, signer)
        for index in (0, acknowledged - 1, log.size - 1):
            if index >= 0:
                assert log.entry(index) == entries_for(index, 1)[0]
    assert acknowledged >= 6 * 37  # every round committed at least one batch before the kill

"""Benchmark: vPDQ-style video fingerprint vs. decoding the same clip.

Generates a 30 s 1280x720 30 fps clip (H.264 if this PyAV can encode it, else MPEG-4) of moving shapes and
noise in a temporary folder, then times, alternating, ``--rounds`` times each:

- baseline: PyAV decode-only of every frame (same threading as the fingerprint: ``thread_type="AUTO"``);
- measured: ``amparo.media.video.fingerprint_video`` (decode + 2 frames/s to grey 256 px, borders cut, PDQ of the
  whole picture, its mirror, its regions and 27 zoomed crops, and of the moving part when there is one).

Prints the best time of each and the ratio (and the ratio of CPU times, steadier on a busy machine); exits 1 if
the wall-time ratio is above 1.5. ``--full`` uses 60 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import av

from amparo.media.tests.factory import video_codec, write_video
from amparo.media.video import fingerprint_video

TARGET = 1.5


def decode_only(path: Path) -> int:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        return sum(1 for _ in container.decode(stream))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--full", action="store_true", help="a 60 s clip and 5 rounds")
    parser.add_argument("--clip", type=Path, help="time this existing video instead of generating one")
    args = parser.parse_args()
    seconds, rounds = (60.0, 5) if args.full else (args.seconds, args.rounds)
    with tempfile.TemporaryDirectory(prefix="amparo-bench-") as folder:
        clip = args.clip or Path(folder) / "clip.mp4"
        if args.clip is None:
            started = time.perf_counter()
            # x264 "veryfast": CABAC and B-frames like camera H.264, at a realistic bit rate.
            write_video(clip, seconds=seconds, width=1280, height=720, fps=30, preset="veryfast")
            print(
                f"clip: {seconds:.0f} s 1280x720 30 fps {video_codec()}, {clip.stat().st_size / 1e6:.1f} MB, "
                f"generated in {time.perf_counter() - started:.1f} s"
            )
        decode_only(clip)  # warm the page cache and the codec
        base_times, fp_times, base_cpu, fp_cpu = [], [], [], []
        frames, samples = 0, 0
        for _ in range(rounds):
            t0, c0 = time.perf_counter(), time.process_time()
            frames = decode_only(clip)
            base_times.append(time.perf_counter() - t0)
            base_cpu.append(time.process_time() - c0)
            t0, c0 = time.perf_counter(), time.process_time()
            samples = len(fingerprint_video(clip).frames)
            fp_times.append(time.perf_counter() - t0)
            fp_cpu.append(time.process_time() - c0)
    base, measured = min(base_times), min(fp_times)
    ratio = measured / base
    print(f"baseline  PyAV decode-only ({frames} frames): {base:.3f} s  (runs: {_fmt(base_times)})")
    print(f"measured  fingerprint ({samples} sampled frames): {measured:.3f} s  (runs: {_fmt(fp_times)})")
    # CPU time (all threads) is the work done; on a machine shared with other jobs it varies less than wall time.
    cpu_ratio = min(fp_cpu) / min(base_cpu)
    print(
        f"cpu time  decode-only {min(base_cpu):.3f} s, fingerprint {min(fp_cpu):.3f} s: ratio {cpu_ratio:.2f}x"
    )
    print(f"ratio {ratio:.2f}x  target <= {TARGET}x  -> {'OK' if ratio <= TARGET else 'MISSED'}")
    return 0 if ratio <= TARGET else 1


def _fmt(times: list[float]) -> str:
    return ", ".join(f"{t:.3f}" for t in times)


if __name__ == "__main__":
    sys.exit(main())

"""Same footage across evidence items: an exact binary index of every stored fingerprint, kept in step with the
database, and vPDQ-style scores for the items it finds.

The index holds the evidence app's ``Fingerprint`` rows (PDQ of an image, or of one video frame a second) under
their primary keys. It is persisted under ``DATA_DIR/index/footage.npz`` (private: never served) and checked
against the database before every search with one aggregate query, the *stamp* ``(row count, largest id)``:

- the same stamp: the index is current;
- only rows with a larger id are new: they are added (incremental update) and the file is rewritten;
- anything else (rows deleted, file missing or unreadable): the index is rebuilt from the table.

So a search never misses a fingerprint that is committed, whether or not any task or signal ran. The index only
narrows the candidates: every candidate item is then compared frame by frame as vPDQ does
(:func:`amparo.media.match_videos`), which gives the query- and target-matched percentages and the matched frames.

A query's own fingerprint includes its mirrored frame hashes, so a mirrored copy is found; stored rows hold the
unmirrored hashes only (that is what the evidence app stores). A video's rows are its samples (two a second): for
each second the first row (lowest id) is the whole picture and the rows after it its regions (halves, centre, the
moving part), see :mod:`amparo.media.video`. Two videos are listed when their samples line up in time for a few
seconds, timed like a copy (``MatchResult.same_footage``, :mod:`amparo.media.matching`), and each result says which
seconds match which (``segments``).

Stored videos' zoomed crops (``ZoomedCrops``, 27 a sample, computed by a job after the evidence app's fingerprint
job) sit in a second index, ``zoomed.npz``, keyed by the item and kept in step the same way; only a query's whole
pictures and mirrors are looked up in it, so a copy cropped out of a stored video is found from the copy's side.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Max

from amparo.corroboration.models import ZoomedCrops
from amparo.evidence.models import EvidenceItem, Fingerprint
from amparo.media.pdq import MATCH_DISTANCE, to_array

logger = logging.getLogger("amparo.corroboration")

INDEX_FILE = "footage.npz"
ZOOMED_FILE = "zoomed.npz"  # the zoomed crops of stored videos (see ZoomedCrops)
# query fingerprints (with mirrors, regions and zoomed crops) of stored items, computed once from the original
CACHE_DIR = "items3"
SWEEP_BATCH = 500  # cached files asked about in one query by sweep_cached
MAX_VIDEO_SECONDS = 600.0

_lock = threading.Lock()
_state: dict[str, Any] = {}


def index_dir() -> Path:
    path = Path(settings.DATA_DIR) / "index"
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---- the index ------------------------------------------------------------------------------------------------


@dataclass
class FootageIndex:
    """The binary index with the ids and codes it was built from, and the stamp of the table rows it holds.

    For ``Fingerprint`` rows the ids are the rows' own (the stamp is their count and largest id); for zoomed crops
    the ids are the items' (many crops a row) and the stamp is that of the ``ZoomedCrops`` rows."""

    ids: np.ndarray
    codes: np.ndarray
    index: Any  # amparo.media.BinaryIndex
    stamp: tuple[int, int] = (0, 0)

    @classmethod
    def of(cls, ids: np.ndarray, codes: np.ndarray, stamp: tuple[int, int] | None = None) -> FootageIndex:
        from amparo.media.index import BinaryIndex

        index = BinaryIndex()
        if len(ids):
            index.add(ids, codes)
        if stamp is None:
            stamp = (len(ids), int(ids.max()) if len(ids) else 0)
        return cls(ids, codes, index, stamp)

    def extend(self, ids: np.ndarray, codes: np.ndarray, stamp: tuple[int, int]) -> None:
        if len(ids):
            self.index.add(ids, codes)
            self.ids = np.concatenate([self.ids, ids])
            self.codes = np.concatenate([self.codes, codes])
        self.stamp = stamp

    def save(self, path: Path) -> None:
        """Atomically: temporary file, fsync, rename."""
        fd, tmp = tempfile.mkstemp(prefix=".footage-", suffix=".npz", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, ids=self.ids, codes=self.codes, stamp=np.array(self.stamp, dtype=np.int64))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class _Table:
    """The ``Fingerprint`` rows: whole pictures and regions of every stored picture and video sample."""

    file = INDEX_FILE
    state_key = "index"

    def stamp(self) -> tuple[int, int]:
        row = Fingerprint.objects.aggregate(n=Count("id"), top=Max("id"))
        return int(row["n"] or 0), int(row["top"] or 0)

    def count_upto(self, top: int) -> int:
        return Fingerprint.objects.filter(pk__lte=top).count()

    def rows(self, after: int = 0) -> tuple[np.ndarray, np.ndarray]:
        rows = list(Fingerprint.objects.filter(pk__gt=after).order_by("pk").values_list("pk", "bits"))
        ids = np.array([pk for pk, _bits in rows], dtype=np.int64)
        codes = to_array([bytes(bits) for _pk, bits in rows]) if rows else np.zeros((0, 32), dtype=np.uint8)
        return ids, codes


class _CropTable(_Table):
    """The ``ZoomedCrops`` rows of items not deleted, indexed under the item's id (one row holds many crops)."""

    file = ZOOMED_FILE
    state_key = "zoomed"

    def _live(self) -> Any:
        return ZoomedCrops.objects.filter(item__deleted_at__isnull=True)

    def stamp(self) -> tuple[int, int]:
        row = self._live().aggregate(n=Count("id"), top=Max("id"))
        return int(row["n"] or 0), int(row["top"] or 0)

    def count_upto(self, top: int) -> int:
        return self._live().filter(pk__lte=top).count()

    def rows(self, after: int = 0) -> tuple[np.ndarray, np.ndarray]:
        ids: list[np.ndarray] = []
        codes: list[np.ndarray] = []
        for crops in self._live().filter(pk__gt=after).order_by("pk").only("item_id", "bits"):
            block = crops.codes()
            ids.append(np.full(len(block), crops.item_id, dtype=np.int64))
            codes.append(block)
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 32), dtype=np.uint8)
        return np.concatenate(ids), np.concatenate(codes)


FINGERPRINTS, CROPS = _Table(), _CropTable()


def database_stamp() -> tuple[int, int]:
    return FINGERPRINTS.stamp()


def _load(path: Path) -> FootageIndex | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            ids, codes = np.asarray(data["ids"], dtype=np.int64), np.asarray(data["codes"], dtype=np.uint8)
            stamp = tuple(int(v) for v in data["stamp"]) if "stamp" in data else None
    except (OSError, ValueError, KeyError):
        return None
    if codes.ndim != 2 or len(ids) != len(codes) or (stamp is not None and len(stamp) != 2):
        return None
    return FootageIndex.of(ids, codes, stamp)  # type: ignore[arg-type]  # two ints, checked just above


def rebuild() -> FootageIndex:
    """Build the indexes from every fingerprint row and zoomed crop and persist them; returns the first."""
    with _lock:
        _rebuild_locked(CROPS)
        return _rebuild_locked(FINGERPRINTS)


def _rebuild_locked(table: _Table) -> FootageIndex:
    stamp = table.stamp()  # before the rows: a row added in between is added again next time, never missed
    footage = FootageIndex.of(*table.rows(), stamp=stamp)
    footage.save(index_dir() / table.file)
    _state[table.state_key] = footage
    _state[f"{table.state_key}-path"] = str(index_dir())
    return footage


def _current(table: _Table) -> FootageIndex:
    path = index_dir() / table.file
    footage: FootageIndex | None = None
    if _state.get(f"{table.state_key}-path") == str(path.parent):
        footage = _state.get(table.state_key)
    if footage is None and path.exists():
        footage = _load(path)
    if footage is None:
        return _rebuild_locked(table)
    wanted = table.stamp()
    have = footage.stamp
    if wanted == have:
        _state[table.state_key] = footage
        _state[f"{table.state_key}-path"] = str(path.parent)
        return footage
    if wanted[1] > have[1] and table.count_upto(have[1]) == have[0]:  # nothing removed: only new rows to add
        footage.extend(*table.rows(after=have[1]), stamp=wanted)
        if footage.stamp != table.stamp():  # rows came or went meanwhile: start again from the table
            return _rebuild_locked(table)
        footage.save(path)
        _state[table.state_key] = footage
        _state[f"{table.state_key}-path"] = str(path.parent)
        return footage
    logger.info("footage index stale (rows removed): rebuilding")
    return _rebuild_locked(table)


def current_index() -> FootageIndex:
    """The index of fingerprint rows, brought in step with the database (loaded, updated or rebuilt as needed)."""
    with _lock:
        return _current(FINGERPRINTS)


def current_crops() -> FootageIndex:
    """The index of stored videos' zoomed crops (ids are items), brought in step the same way."""
    with _lock:
        return _current(CROPS)


def refresh() -> tuple[int, int]:
    """Bring both indexes in step now (for a task or a command); returns the fingerprint index's stamp."""
    current_crops()
    return current_index().stamp


# ---- zoomed crops of stored videos ----------------------------------------------------------------------------


def store_crops(item: EvidenceItem) -> ZoomedCrops | None:
    """Compute and store a video's zoomed crops once (from its query fingerprint, which is cached for its page
    too); None for pictures, deleted or unreadable items and when its original cannot be read just now."""
    if item.kind != "video" or item.probe_error or item.deleted_at is not None:
        return None
    existing = ZoomedCrops.objects.filter(item=item).first()
    if existing is not None:
        return existing
    from amparo.evidence import store

    try:
        query = _item_query(item)
    except store.StoreError:
        return None  # the bytes cannot be read now: the hourly sweep asks again
    rows = query.zoomed if query is not None else []  # not decodable: stored as none, not asked again
    crops, _created = ZoomedCrops.objects.get_or_create(item=item, defaults=ZoomedCrops.packed(rows))
    return crops


# ---- query fingerprints ---------------------------------------------------------------------------------------


@dataclass
class Query:
    """What to look for: ``frames`` as ``[(second, bits, quality)]`` (one row for an image), and the mirrors."""

    kind: str  # image or video
    frames: list[tuple[float, bytes, int]]
    mirrored: list[bytes]
    extra: list[bytes]  # images: the other rotations and flips
    regions: list[tuple[float, bytes, int]] = field(default_factory=list)  # videos: each sample's regions
    zoomed: list[tuple[float, bytes, int]] = field(
        default_factory=list
    )  # videos: zoomed-in crops (not stored)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "frames": [[t, b.hex(), q] for t, b, q in self.frames],
            "mirrored": [b.hex() for b in self.mirrored],
            "extra": [b.hex() for b in self.extra],
            "regions": [[t, b.hex(), q] for t, b, q in self.regions],
            "zoomed": [[t, b.hex(), q] for t, b, q in self.zoomed],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Query:
        return cls(
            kind=str(data["kind"]),
            frames=[(float(t), bytes.fromhex(h), int(q)) for t, h, q in data["frames"]],
            mirrored=[bytes.fromhex(h) for h in data["mirrored"]],
            extra=[bytes.fromhex(h) for h in data["extra"]],
            regions=[(float(t), bytes.fromhex(h), int(q)) for t, h, q in data.get("regions", [])],
            zoomed=[(float(t), bytes.fromhex(h), int(q)) for t, h, q in data.get("zoomed", [])],
        )


def fingerprint_path(path: str | os.PathLike[str]) -> Query:
    """Fingerprint a file in the media sandbox; ``ValueError`` if it is not a readable image or video."""
    from amparo.media.probe import probe
    from amparo.media.sandbox import MediaError

    result = probe(path)
    if not result.ok or result.kind not in ("image", "video"):
        raise ValueError(f"cannot fingerprint this file: {result.error or result.kind}")
    try:
        if result.kind == "image":
            from amparo.media.pdq import image_file_hashes

            hashes = image_file_hashes(path)
            bits, quality = hashes[0]
            return Query("image", [(0.0, bits, quality)], [], [b for b, _q in hashes[1:]])
        from amparo.media.video import fingerprint_video_sandboxed

        fp = fingerprint_video_sandboxed(path, max_seconds=MAX_VIDEO_SECONDS)
    except MediaError as exc:
        raise ValueError(f"cannot fingerprint this file: {exc}") from exc
    return Query("video", fp.frames, fp.mirrored, [], fp.extra, fp.zoomed)


def item_query(item: EvidenceItem) -> Query | None:
    """An item's query fingerprint (with mirrors), computed from its original once and cached privately."""
    from amparo.evidence import store

    try:
        return _item_query(item)
    except store.StoreError:
        return None


def _item_query(item: EvidenceItem) -> Query | None:
    """:func:`item_query`, raising ``StoreError`` when the original cannot be read."""
    if item.probe_error or item.kind not in ("image", "video"):
        return None
    cache = index_dir() / CACHE_DIR
    cache.mkdir(exist_ok=True)
    path = cache / f"{item.sha256}.json"
    if path.exists():
        try:
            return Query.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError):
            path.unlink(missing_ok=True)
    from amparo.evidence import store

    try:
        with store.as_local_file(item.sha256) as local:
            query = fingerprint_path(local)
    except ValueError:
        return None
    fd, tmp = tempfile.mkstemp(prefix=".fp-", dir=cache)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(query.to_dict(), fh)
    os.replace(tmp, path)
    return query


# ---- matching -------------------------------------------------------------------------------------------------


def match_query(
    query: Query, network: Any, *, radius: int = MATCH_DISTANCE, exclude: int | None = None
) -> list[dict[str, Any]]:
    """Items of ``network`` showing the same picture or footage as ``query``, best first, with the evidence."""
    from amparo.media.video import VideoFingerprint, match_videos

    codes = [bits for _t, bits, _q in query.frames] + query.mirrored + query.extra
    codes += [bits for _t, bits, _q in query.regions + query.zoomed]
    if not codes:
        return []
    footage = current_index()
    hits = footage.index.search(to_array(codes), radius)
    fingerprint_ids = {fid for row in hits for fid, _d in row}
    owners = dict(
        Fingerprint.objects.filter(
            pk__in=fingerprint_ids, item__network=network, item__deleted_at__isnull=True
        ).values_list("pk", "item_id")
    )
    found_items = {owners[fid] for fid in fingerprint_ids if fid in owners}
    if query.kind == "video":
        # Stored videos' zoomed crops, met by the query's whole pictures and their mirrors only: a copy cropped
        # out of a stored video, found from the copy's side.
        whole = [bits for _t, bits, _q in query.frames] + query.mirrored
        cropped = {iid for row in current_crops().index.search(to_array(whole), radius) for iid, _d in row}
        found_items |= set(
            EvidenceItem.objects.filter(pk__in=cropped, network=network, deleted_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
    candidates = found_items - {exclude}
    if not candidates:
        return []
    stored: dict[int, list[tuple[float, bytes, int]]] = defaultdict(list)
    rows = Fingerprint.objects.filter(item_id__in=candidates).order_by("item_id", "second", "pk")
    for item_id, second, bits, quality in rows.values_list("item_id", "second", "bits", "quality"):
        stored[item_id].append((float(second or 0.0), bytes(bits), int(quality)))
    zoomed = {c.item_id: c.rows() for c in ZoomedCrops.objects.filter(item_id__in=candidates, count__gt=0)}
    items = {
        i.pk: i for i in EvidenceItem.objects.filter(pk__in=candidates).only("code", "kind", "report_id")
    }
    q_fp = VideoFingerprint(
        frames=query.frames, duration=0.0, mirrored=query.mirrored, extra=query.regions, zoomed=query.zoomed
    )
    found = []
    for item_id in candidates:
        frames = stored[item_id]
        still = query.kind == "image" or len({t for t, _b, _q in frames}) == 1
        if still:
            result = _match_still(query, frames, radius)
        else:
            target = _stored_fingerprint(frames, zoomed.get(item_id, []))
            result = match_videos(q_fp, target, distance=radius, quality_min=0)
        if result is None or not result.pairs:
            continue
        if not still and not result.same_footage:
            continue
        item = items[item_id]
        shares = (result.query_matched_pct, result.target_matched_pct)
        found.append(
            {
                "id": str(item.code),
                "kind": item.kind,
                # lined-up footage: the share of the shorter side that is shared; pictures: the mean share
                "score": round(max(shares) if result.segments else sum(shares) / 2, 1),
                "query_matched_pct": result.query_matched_pct,
                "target_matched_pct": result.target_matched_pct,
                "distance": min(d for _q, _t, d in result.pairs),
                "mirrored": result.mirrored,
                "shared_seconds": round(result.shared_seconds, 1),
                "segments": [
                    {
                        "query_start": s.query_start,
                        "query_end": s.query_end,
                        "item_start": s.target_start,
                        "item_end": s.target_end,
                    }
                    for s in result.segments
                ],
                "pairs": [{"query_second": q, "item_second": t, "distance": d} for q, t, d in result.pairs],
            }
        )
    return sorted(found, key=lambda f: (-f["score"], f["distance"], f["id"]))


def _stored_fingerprint(
    rows: list[tuple[float, bytes, int]], zoomed: list[tuple[float, bytes, int]] | None = None
) -> Any:
    """Stored rows (ordered by second, then id) as a fingerprint: per second the first row is the whole picture;
    ``zoomed``: the item's stored zoomed crops."""
    from amparo.media.video import VideoFingerprint

    frames: list[tuple[float, bytes, int]] = []
    extra: list[tuple[float, bytes, int]] = []
    seen: set[float] = set()
    for row in rows:
        (extra if row[0] in seen else frames).append(row)
        seen.add(row[0])
    return VideoFingerprint(frames=frames, duration=0.0, extra=extra, zoomed=zoomed or [])


def _match_still(query: Query, frames: list[tuple[float, bytes, int]], radius: int) -> Any:
    """An image against an item (or a one-frame item against a query): the closest pair of any orientation."""
    from amparo.media.pdq import distance_matrix
    from amparo.media.video import MatchResult

    frames = _stored_fingerprint(frames).frames  # a picture is compared with whole pictures, not regions
    if not frames:
        return None
    q_codes = [b for _t, b, _q in query.frames] + query.mirrored + query.extra
    q_times = [t for t, _b, _q in query.frames] * (1 + (len(query.mirrored) > 0)) + [0.0] * len(query.extra)
    dist = distance_matrix(to_array(q_codes), to_array([b for _t, b, _q in frames]))
    i, j = np.unravel_index(int(dist.argmin()), dist.shape)
    d = int(dist[i, j])
    if d > radius:
        return None
    n_frames = len(query.frames)
    return MatchResult(
        query_matched_pct=round(100.0 / max(n_frames, 1), 2),
        target_matched_pct=round(100.0 / len(frames), 2),
        pairs=[(q_times[int(i)], frames[int(j)][0], d)],
        mirrored=n_frames <= int(i) < 2 * n_frames and bool(query.mirrored),
    )


def match_file(
    path: str | os.PathLike[str], network: Any, *, radius: int = MATCH_DISTANCE
) -> list[dict[str, Any]]:
    """For ``amparo evidence match FILE``: stored items of ``network`` showing the same footage as the file."""
    return match_query(fingerprint_path(path), network, radius=radius)


def match_item(item: EvidenceItem, *, radius: int = MATCH_DISTANCE) -> list[dict[str, Any]]:
    """Other items of the item's network showing the same footage (the item itself left out)."""
    query = item_query(item)
    if query is None:
        return []
    return match_query(query, item.network, radius=radius, exclude=item.pk)


def forget_cached(sha256: str) -> int:
    """Remove this server's cached query fingerprints of the original ``sha256`` (an authorised deletion: they are
    derived from its pixels). Returns how many files went."""
    removed = 0
    for name in (CACHE_DIR, "items2", "items"):  # this cache's folder and the older ones it replaced
        path = index_dir() / name / f"{sha256}.json"
        if path.exists():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def sweep_cached() -> int:
    """Remove cached query fingerprints of originals no stored item holds any more (deleted while another server
    cached them, or before :func:`forget_cached` existed). Returns how many files went."""
    removed = 0
    for name in (CACHE_DIR, "items2", "items"):
        folder = index_dir() / name
        if not folder.is_dir():
            continue
        files = {path.stem: path for path in folder.glob("*.json")}
        names = list(files)
        live: set[str] = set()
        for start in range(0, len(names), SWEEP_BATCH):  # a large cache must not outgrow a query's parameters
            live.update(
                EvidenceItem.objects.filter(
                    sha256__in=names[start : start + SWEEP_BATCH], deleted_at__isnull=True
                ).values_list("sha256", flat=True)
            )
        for sha256, path in files.items():
            if sha256 not in live:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def stored_query(item: EvidenceItem) -> Query | None:
    """An item's query from its stored fingerprint rows (no decoding; mirrors come from the cache if there)."""
    cached = index_dir() / CACHE_DIR / f"{item.sha256}.json"
    if cached.exists():
        try:
            return Query.from_dict(json.loads(cached.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError):
            pass
    rows = list(item.fingerprints.order_by("second", "pk").values_list("second", "bits", "quality"))
    if not rows:
        return None
    kind = "image" if item.kind == "image" else "video"
    fp = _stored_fingerprint([(float(s or 0.0), bytes(b), int(q)) for s, b, q in rows])
    return Query(kind, fp.frames, [], [], fp.extra)

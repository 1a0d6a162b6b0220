"""Amparo's transparency log: plain Python, no Django.

- :mod:`.merkle`      RFC 6962 / 9162 hashing, roots, inclusion and consistency proofs and their verification
- :mod:`.note`        C2SP signed notes with Ed25519 keys (Go ``sumdb/note`` key strings)
- :mod:`.checkpoint`  C2SP tlog-checkpoint
- :mod:`.tiles`       C2SP tlog-tiles paths, entry bundles, the ``TileStore`` protocol and its stores
- :mod:`.tlog`        ``TileLog``: batched, crash-safe appends; proofs read from tiles
- :mod:`.receipt`     c2sp.org/tlog-proof receipts
- :mod:`.verify`      offline verification of checkpoints, receipts, consistency and a whole tiles folder
- :mod:`.commitment`  commitments and the canonical JSON leaf encoding

See docs/ledger.md.
"""

from amparo.ledger.checkpoint import (
    Checkpoint,
    open_checkpoint,
    parse_checkpoint,
    verify_checkpoint,
)
from amparo.ledger.commitment import canonical_json, commitment, decode_leaf, encode_leaf, new_nonce
from amparo.ledger.errors import LedgerError, VerificationError
from amparo.ledger.merkle import (
    EMPTY_ROOT,
    MemoryTree,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_of,
    tree_root,
    verify_consistency,
    verify_inclusion,
)
from amparo.ledger.note import (
    NoteSigner,
    NoteVerifier,
    generate_key,
    key_id,
    open_note,
    parse_note,
    sign_note,
)
from amparo.ledger.receipt import Receipt, Verified, make_receipt, parse_receipt, verify_receipt
from amparo.ledger.tiles import (
    CHECKPOINT_PATH,
    TILE_HEIGHT,
    TILE_WIDTH,
    DirectoryTileStore,
    MemoryTileStore,
    TileHashReader,
    TileStore,
    decode_bundle,
    encode_bundle,
    entries_path,
    tile_path,
)
from amparo.ledger.tlog import TileLog, root_from_edges, root_from_tiles
from amparo.ledger.verify import TilesReport, verify_checkpoint_consistency, verify_leaf, verify_tiles

__all__ = [
    "CHECKPOINT_PATH",
    "EMPTY_ROOT",
    "TILE_HEIGHT",
    "TILE_WIDTH",
    "Checkpoint",
    "DirectoryTileStore",
    "LedgerError",
    "MemoryTileStore",
    "MemoryTree",
    "NoteSigner",
    "NoteVerifier",
    "Receipt",
    "TileHashReader",
    "TileLog",
    "TileStore",
    "TilesReport",
    "VerificationError",
    "Verified",
    "canonical_json",
    "commitment",
    "consistency_proof",
    "decode_bundle",
    "decode_leaf",
    "encode_bundle",
    "encode_leaf",
    "entries_path",
    "generate_key",
    "inclusion_proof",
    "key_id",
    "leaf_hash",
    "make_receipt",
    "new_nonce",
    "node_hash",
    "open_checkpoint",
    "open_note",
    "parse_checkpoint",
    "parse_note",
    "parse_receipt",
    "root_from_edges",
    "root_from_tiles",
    "root_of",
    "sign_note",
    "tile_path",
    "tree_root",
    "verify_checkpoint",
    "verify_checkpoint_consistency",
    "verify_consistency",
    "verify_inclusion",
    "verify_leaf",
    "verify_receipt",
    "verify_tiles",
]

"""Exceptions raised by the ledger."""


class LedgerError(Exception):
    """The log could not do what was asked (bad argument, missing or corrupt stored data)."""


class VerificationError(LedgerError):
    """A proof, signature, checkpoint, receipt, tile or entry failed to verify; the message says which."""

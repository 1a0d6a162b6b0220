"""The transactional outbox: a background job enqueued in a transaction is a row of that transaction, moved to the
queue once it has committed (docs/scaling.md, *A job enqueued in a transaction*)."""

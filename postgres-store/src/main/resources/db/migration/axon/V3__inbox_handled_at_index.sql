-- Version 3: after the apps' own version 2 (janitor-saga, inventory-context), so databases already there migrate in order.
-- The inbox is pruned by age (InboxPruner): find the old entries without reading the whole table.
CREATE INDEX IF NOT EXISTS pubsub_inbox_handled_at ON pubsub_inbox (handled_at);

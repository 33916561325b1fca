-- One saga per order (store.SagaStart): the second of two concurrent starts for one order waits, then fails on the key.
CREATE TABLE saga_start (
  association_key VARCHAR(255) NOT NULL PRIMARY KEY,
  saga_id         VARCHAR(255) NOT NULL
);
CREATE INDEX saga_start_saga_id ON saga_start (saga_id);

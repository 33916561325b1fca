-- Axon's JPA tables (event store, snapshots, tokens, sagas, dead letters) and the Pub/Sub bridge's inbox, as
-- Hibernate maps them on PostgreSQL with ByteaPostgreSQLDialect (serialized data as bytea, not oid).

-- One step at a time, not Hibernate's default 50: a gap-free global_index (see axon-pubsub's META-INF/orm.xml).
CREATE SEQUENCE domain_event_entry_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE domain_event_entry (
  global_index         BIGINT       NOT NULL PRIMARY KEY,
  aggregate_identifier VARCHAR(255) NOT NULL,
  sequence_number      BIGINT       NOT NULL,
  type                 VARCHAR(255),
  event_identifier     VARCHAR(255) NOT NULL UNIQUE,
  payload_type         VARCHAR(255) NOT NULL,
  payload_revision     VARCHAR(255),
  payload              BYTEA        NOT NULL,
  meta_data            BYTEA,
  time_stamp           VARCHAR(255) NOT NULL,
  -- Two commands on one aggregate at once, in two instances: the second append fails here, and is retried.
  CONSTRAINT domain_event_entry_aggregate_sequence UNIQUE (aggregate_identifier, sequence_number)
);

CREATE TABLE snapshot_event_entry (
  aggregate_identifier VARCHAR(255) NOT NULL,
  sequence_number      BIGINT       NOT NULL,
  type                 VARCHAR(255) NOT NULL,
  event_identifier     VARCHAR(255) NOT NULL UNIQUE,
  payload_type         VARCHAR(255) NOT NULL,
  payload_revision     VARCHAR(255),
  payload              BYTEA        NOT NULL,
  meta_data            BYTEA,
  time_stamp           VARCHAR(255) NOT NULL,
  PRIMARY KEY (sequence_number, aggregate_identifier, type)
);

-- Streaming processors' positions and segment claims: instances sharing the database split segments here.
CREATE TABLE token_entry (
  processor_name VARCHAR(255) NOT NULL,
  segment        INTEGER      NOT NULL,
  token          BYTEA,
  token_type     VARCHAR(255),
  owner          VARCHAR(255),
  timestamp      VARCHAR(255) NOT NULL,
  PRIMARY KEY (segment, processor_name)
);

CREATE SEQUENCE association_value_entry_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE saga_entry (
  saga_id         VARCHAR(255) NOT NULL PRIMARY KEY,
  saga_type       VARCHAR(255),
  revision        VARCHAR(255),
  serialized_saga BYTEA
);

CREATE TABLE association_value_entry (
  id                BIGINT       NOT NULL PRIMARY KEY,
  association_key   VARCHAR(255) NOT NULL,
  association_value VARCHAR(255),
  saga_id           VARCHAR(255) NOT NULL,
  saga_type         VARCHAR(255)
);
CREATE INDEX association_value_entry_lookup ON association_value_entry (saga_type, association_key, association_value);
CREATE INDEX association_value_entry_saga ON association_value_entry (saga_id, saga_type);

CREATE TABLE dead_letter_entry (
  dead_letter_id       VARCHAR(255)                NOT NULL PRIMARY KEY,
  processing_group     VARCHAR(255)                NOT NULL,
  sequence_identifier  VARCHAR(255)                NOT NULL,
  sequence_index       BIGINT                      NOT NULL,
  message_type         VARCHAR(255)                NOT NULL,
  event_identifier     VARCHAR(255)                NOT NULL,
  time_stamp           VARCHAR(255)                NOT NULL,
  payload_type         VARCHAR(255)                NOT NULL,
  payload_revision     VARCHAR(255),
  payload              BYTEA                       NOT NULL,
  meta_data            BYTEA,
  type                 VARCHAR(255),
  aggregate_identifier VARCHAR(255),
  sequence_number      BIGINT,
  token_type           VARCHAR(255),
  token                BYTEA,
  enqueued_at          TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  last_touched         TIMESTAMP(6) WITH TIME ZONE,
  processing_started   TIMESTAMP(6) WITH TIME ZONE,
  cause_type           VARCHAR(255),
  cause_message        VARCHAR(1023),
  diagnostics          BYTEA,
  CONSTRAINT dead_letter_entry_sequence UNIQUE (processing_group, sequence_identifier, sequence_index)
);
CREATE INDEX dead_letter_entry_group ON dead_letter_entry (processing_group);
CREATE INDEX dead_letter_entry_group_sequence ON dead_letter_entry (processing_group, sequence_identifier);

-- The bridge's inbox: the id of every message handled, so that a redelivered one has no second effect.
CREATE TABLE pubsub_inbox (
  message_id   VARCHAR(200)                NOT NULL PRIMARY KEY,
  subscription VARCHAR(255)                NOT NULL,
  handled_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

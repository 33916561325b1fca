-- Instances of this app that share the database, with their last heartbeat: the segment balancer gives each
-- live one a fair share of every streaming processor's segments.
CREATE TABLE ordersaga_instances (
  instance_id  VARCHAR(255)             NOT NULL PRIMARY KEY,
  heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Which item each order reserved (policy.ReservationItem): a later OrderCompleted or OrderCancelled names only the order.
CREATE TABLE reservation_items (
  order_id VARCHAR(200) NOT NULL PRIMARY KEY,
  item     VARCHAR(200) NOT NULL
);

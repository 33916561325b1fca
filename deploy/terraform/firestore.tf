resource "google_firestore_database" "default" {
  count       = var.create_firestore_database ? 1 : 0
  name        = "(default)"
  location_id = var.region
  type        = "FIRESTORE_NATIVE"
}

# GET /orders?user= : user ==, newest first (created_at, then the document id).
resource "google_firestore_index" "orders_of_user" {
  collection = "orders"
  fields {
    field_path = "user"
    order      = "ASCENDING"
  }
  fields {
    field_path = "created_at"
    order      = "DESCENDING"
  }
  depends_on = [google_firestore_database.default]
}

# One service account per service, with what it needs and nothing more: publisher on its own topics and on
# dead-letter (every consumer forwards what it cannot handle), subscriber on its own subscriptions, Firestore user,
# Cloud SQL client for those with an event store. No Pub/Sub admin rights: the topics and subscriptions are made
# here, so run the services with axon.pubsub.provisioning.enabled=false.
resource "google_service_account" "service" {
  for_each     = local.publishes
  account_id   = "ordersaga-${each.key}"
  display_name = "order-saga ${each.key}"
}

resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = local.publisher_grants
  topic    = each.value.topic == local.dead_letter_topic ? google_pubsub_topic.dead_letter.id : google_pubsub_topic.topic[each.value.topic].id
  role     = "roles/pubsub.publisher"
  member   = google_service_account.service[each.value.service].member
}

resource "google_pubsub_subscription_iam_member" "subscriber" {
  for_each     = local.subscriber_grants
  subscription = google_pubsub_subscription.subscription[each.value.subscription].id
  role         = "roles/pubsub.subscriber"
  member       = google_service_account.service[each.value.service].member
}

resource "google_project_iam_member" "firestore_user" {
  for_each = google_service_account.service
  project  = var.project
  role     = "roles/datastore.user"
  member   = each.value.member
}

resource "google_project_iam_member" "cloud_sql_client" {
  for_each = local.cloud_sql_clients
  project  = var.project
  role     = "roles/cloudsql.client"
  member   = google_service_account.service[each.value].member
}

resource "google_pubsub_topic" "dead_letter" {
  name = local.dead_letter_topic
}

# A topic without subscriptions drops what it gets: keep the dead letters.
resource "google_pubsub_subscription" "dead_letter" {
  name                       = "${local.dead_letter_topic}-sub"
  topic                      = google_pubsub_topic.dead_letter.id
  ack_deadline_seconds       = local.ack_deadline_seconds
  message_retention_duration = local.retention
}

resource "google_pubsub_topic" "topic" {
  for_each = local.topics
  name     = each.value
}

resource "google_pubsub_subscription" "subscription" {
  for_each                   = local.subscriptions
  name                       = each.key
  topic                      = google_pubsub_topic.topic[each.value].id
  ack_deadline_seconds       = local.ack_deadline_seconds
  message_retention_duration = local.retention
  # Off: the consumers do not depend on the order within a subscription (axon.pubsub.provisioning.message-ordering).
  enable_message_ordering = false

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter.id
    max_delivery_attempts = local.max_delivery_attempts
  }
}

# Dead-lettering: the Pub/Sub service agent publishes to dead-letter and acks what it forwarded.
data "google_project" "this" {}

locals {
  pubsub_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_topic_iam_member" "agent_dead_letter" {
  topic  = google_pubsub_topic.dead_letter.id
  role   = "roles/pubsub.publisher"
  member = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "agent" {
  for_each     = google_pubsub_subscription.subscription
  subscription = each.value.id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}

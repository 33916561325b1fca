# What each service publishes and receives: axon.pubsub.* in each service's application.yml. deploy/gcloud/provision
# holds the same; the tests compare that script's result with what the services make themselves.
locals {
  dead_letter_topic     = "dead-letter"
  ack_deadline_seconds  = 10        # axon.pubsub.provisioning.ack-deadline-seconds
  max_delivery_attempts = 10        # axon.pubsub.provisioning.dead-letter-max-delivery-attempts
  retention             = "604800s" # 7 days; the inbox remembers message ids for 8

  publishes = {
    gateway   = ["frontend"]
    order     = ["order-created", "error", "order-status"]
    inventory = ["inventory-updated", "error"]
    payment   = ["payment-created", "error", "payment-status"]
    janitor   = ["order-commands", "inventory-commands", "payment-commands"]
  }

  # subscription => topic; payment-created-sub and error-cli-sub are for people and gcloud, as in the sample.
  receives = {
    gateway = {
      "gateway-payment-created-sub" = "payment-created"
      "gateway-error-sub"           = "error"
      "gateway-order-status-sub"    = "order-status"
      "payment-created-sub"         = "payment-created"
      "error-cli-sub"               = "error"
    }
    order = {
      "frontend-sub"                = "frontend"
      "order-payment-created-sub"   = "payment-created"
      "order-inventory-updated-sub" = "inventory-updated"
      "order-commands-sub"          = "order-commands"
    }
    inventory = {
      "order-created-sub"          = "order-created"
      "inventory-commands-sub"     = "inventory-commands"
      "inventory-order-status-sub" = "order-status"
    }
    payment = {
      "inventory-updated-sub" = "inventory-updated"
      "payment-commands-sub"  = "payment-commands"
    }
    janitor = {
      "janitor-order-created-sub"     = "order-created"
      "janitor-inventory-updated-sub" = "inventory-updated"
      "janitor-payment-created-sub"   = "payment-created"
      "error-sub"                     = "error"
      "janitor-order-status-sub"      = "order-status"
      "janitor-payment-status-sub"    = "payment-status"
    }
  }

  subscriptions = merge(values(local.receives)...)
  topics        = toset(concat(flatten(values(local.publishes)), values(local.subscriptions)))

  # The contexts and the janitor keep their event stores in Cloud SQL; the gateway only reads Firestore.
  cloud_sql_clients = toset(["order", "inventory", "payment", "janitor"])

  publisher_grants = merge([for service, topics in local.publishes : {
    for topic in concat(topics, [local.dead_letter_topic]) : "${service}/${topic}" => { service = service, topic = topic }
  }]...)
  subscriber_grants = merge([for service, subscriptions in local.receives : {
    for subscription, topic in subscriptions : "${service}/${subscription}" => { service = service, subscription = subscription }
  }]...)
}

output "service_accounts" {
  description = "The service account each service runs as."
  value       = { for service, account in google_service_account.service : service => account.email }
}

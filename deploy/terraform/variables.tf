variable "project" {
  description = "The Google Cloud project to provision into."
  type        = string
}

variable "region" {
  description = "Where the Firestore database lives (and the services run)."
  type        = string
  default     = "europe-west1"
}

variable "create_firestore_database" {
  description = "Make the (default) Firestore database; false where the project has one already."
  type        = bool
  default     = true
}

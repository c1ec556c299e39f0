terraform {
  required_version = ">= 1.7"
  required_providers {
    aws    = { source = "hashicorp/aws", version = ">= 6.20" } # nodejs24.x (psoxy itself needs it for java25)
    random = { source = "hashicorp/random", version = ">= 3.5" }
  }
}

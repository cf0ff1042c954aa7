# Remote state of every stack: the S3 backend's settings, in one place.
# The cdktf app parses this file (modules/remote-state) and writes these values into each stack's backend block
# (cdktf.out/stacks/<stack>/cdk.tf.json), so `terraform init` needs no -backend-config; passing this file anyway
# overrides any *_override.tf.json backend (docs/runners.md, "-backend-config and override files").
# Each stack's `key` is set by the app: <appName>/<environment>/<stack>.tfstate.
# Create the bucket and the table first with the bootstrap stack (README, "First deploy: the state bucket").
# S3 bucket names are global: change `bucket` (and `dynamodb_table`) for your organisation.

bucket         = "document-processing-llm-gateway-tfstate"
region         = "us-east-1"
encrypt        = true
dynamodb_table = "document-processing-llm-gateway-tflock"
# Terraform >= 1.10 native S3 locking; with dynamodb_table too, both locks are taken while teams migrate.
use_lockfile   = true

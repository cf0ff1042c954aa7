/**
 * Every rule this project defines, one line each: the pack (packs/gateway-pack.ts) and `suppress()` read the list
 * through policy/catalogue.ts, so a rule is registered here and nowhere else. The order of the lines is the order of
 * the pack and of `npm run policy`'s table; grouped by area so a reader sees the coverage.
 */
// Network
export { vpcFlowLogs } from './vpc-flow-logs';
export { vpcDefaultSgClosed } from './vpc-default-sg-closed';
export { subnetNoPublicIp } from './subnet-no-public-ip';
export { sgDescription } from './sg-description';
export { sgNoWorldIngress } from './sg-no-world-ingress';
// Load balancer
export { albInternal } from './alb-internal';
export { albDropInvalidHeaders } from './alb-drop-invalid-headers';
export { albListenerTls } from './alb-listener-tls';
export { albHttpRedirect } from './alb-http-redirect';
// Edge (opt-in CloudFront entry)
export { cloudfrontHttpsOnly } from './cloudfront-https-only';
export { cloudfrontWafAttached } from './cloudfront-waf-attached';
export { cloudfrontTlsVersion } from './cloudfront-tls-version';
// Compute
export { ecsContainerInsights } from './ecs-container-insights';
export { ecsNoPlainSecrets } from './ecs-no-plain-secrets';
export { ecsNotPrivileged } from './ecs-not-privileged';
export { ecsDistinctRoles } from './ecs-distinct-roles';
export { ecsServiceNoPublicIp } from './ecs-service-no-public-ip';
export { ecrImmutableTags } from './ecr-immutable-tags';
export { ecrScanOnPush } from './ecr-scan-on-push';
export { litellmImageVersion } from './litellm-image-version';
// Data
export { rdsStorageEncrypted } from './rds-storage-encrypted';
export { rdsIamAuth } from './rds-iam-auth';
export { rdsLogExports } from './rds-log-exports';
export { rdsBackupRetention } from './rds-backup-retention';
export { rdsDeletionProtection } from './rds-deletion-protection';
export { rdsInstanceNotPublic } from './rds-instance-not-public';
export { secretsRecoveryWindow } from './secrets-recovery-window';
// State backend
export { s3Versioning } from './s3-versioning';
export { s3Encryption } from './s3-encryption';
export { s3PublicAccessBlock } from './s3-public-access-block';
export { s3TlsOnly } from './s3-tls-only';
export { dynamodbPitr } from './dynamodb-pitr';
// Identity, keys, observability
export { iamNoWildcards } from './iam-no-wildcards';
export { iamResourceTypes } from './iam-resource-types';
export { bedrockServicePrincipalScoped } from './bedrock-service-principal-scoped';
export { kmsKeyRotation } from './kms-key-rotation';
export { logsRetention } from './logs-retention';
export { snsEncrypted } from './sns-encrypted';

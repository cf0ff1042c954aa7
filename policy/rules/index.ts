/**
 * The catalogue of every rule this project defines. `suppress()` accepts only ids from here, so a typo in a
 * suppression fails loudly instead of silently suppressing nothing. Packs pick rules from this list.
 */
import type { PolicyRule } from '../types';
import { albDropInvalidHeaders } from './alb-drop-invalid-headers';
import { albHttpRedirect } from './alb-http-redirect';
import { albInternal } from './alb-internal';
import { albListenerTls } from './alb-listener-tls';
import { cloudfrontHttpsOnly } from './cloudfront-https-only';
import { cloudfrontTlsVersion } from './cloudfront-tls-version';
import { cloudfrontWafAttached } from './cloudfront-waf-attached';
import { bedrockServicePrincipalScoped } from './bedrock-service-principal-scoped';
import { dynamodbPitr } from './dynamodb-pitr';
import { ecrImmutableTags } from './ecr-immutable-tags';
import { ecrScanOnPush } from './ecr-scan-on-push';
import { ecsContainerInsights } from './ecs-container-insights';
import { ecsDistinctRoles } from './ecs-distinct-roles';
import { ecsNoPlainSecrets } from './ecs-no-plain-secrets';
import { ecsNotPrivileged } from './ecs-not-privileged';
import { ecsServiceNoPublicIp } from './ecs-service-no-public-ip';
import { iamNoWildcards } from './iam-no-wildcards';
import { iamResourceTypes } from './iam-resource-types';
import { kmsKeyRotation } from './kms-key-rotation';
import { logsRetention } from './logs-retention';
import { rdsBackupRetention } from './rds-backup-retention';
import { rdsDeletionProtection } from './rds-deletion-protection';
import { rdsIamAuth } from './rds-iam-auth';
import { rdsInstanceNotPublic } from './rds-instance-not-public';
import { rdsLogExports } from './rds-log-exports';
import { rdsStorageEncrypted } from './rds-storage-encrypted';
import { s3Encryption } from './s3-encryption';
import { s3PublicAccessBlock } from './s3-public-access-block';
import { s3TlsOnly } from './s3-tls-only';
import { s3Versioning } from './s3-versioning';
import { secretsRecoveryWindow } from './secrets-recovery-window';
import { sgDescription } from './sg-description';
import { sgNoWorldIngress } from './sg-no-world-ingress';
import { snsEncrypted } from './sns-encrypted';
import { subnetNoPublicIp } from './subnet-no-public-ip';
import { vpcDefaultSgClosed } from './vpc-default-sg-closed';
import { vpcFlowLogs } from './vpc-flow-logs';

export {
  albDropInvalidHeaders,
  bedrockServicePrincipalScoped,
  albHttpRedirect,
  albInternal,
  albListenerTls,
  cloudfrontHttpsOnly,
  cloudfrontTlsVersion,
  cloudfrontWafAttached,
  dynamodbPitr,
  ecrImmutableTags,
  ecrScanOnPush,
  ecsContainerInsights,
  ecsDistinctRoles,
  ecsNoPlainSecrets,
  ecsNotPrivileged,
  ecsServiceNoPublicIp,
  iamNoWildcards,
  iamResourceTypes,
  kmsKeyRotation,
  logsRetention,
  rdsBackupRetention,
  rdsDeletionProtection,
  rdsIamAuth,
  rdsInstanceNotPublic,
  rdsLogExports,
  rdsStorageEncrypted,
  s3Encryption,
  s3PublicAccessBlock,
  s3TlsOnly,
  s3Versioning,
  secretsRecoveryWindow,
  sgDescription,
  sgNoWorldIngress,
  snsEncrypted,
  subnetNoPublicIp,
  vpcDefaultSgClosed,
  vpcFlowLogs,
};

export const ALL_RULES: readonly PolicyRule[] = [
  albInternal,
  albDropInvalidHeaders,
  albListenerTls,
  albHttpRedirect,
  cloudfrontHttpsOnly,
  cloudfrontWafAttached,
  cloudfrontTlsVersion,
  sgDescription,
  sgNoWorldIngress,
  vpcFlowLogs,
  vpcDefaultSgClosed,
  subnetNoPublicIp,
  rdsStorageEncrypted,
  rdsIamAuth,
  rdsLogExports,
  rdsBackupRetention,
  rdsDeletionProtection,
  rdsInstanceNotPublic,
  ecsContainerInsights,
  ecsNoPlainSecrets,
  ecsNotPrivileged,
  ecsDistinctRoles,
  ecsServiceNoPublicIp,
  logsRetention,
  ecrImmutableTags,
  ecrScanOnPush,
  s3Versioning,
  s3Encryption,
  s3PublicAccessBlock,
  s3TlsOnly,
  dynamodbPitr,
  iamNoWildcards,
  iamResourceTypes,
  bedrockServicePrincipalScoped,
  kmsKeyRotation,
  secretsRecoveryWindow,
  snsEncrypted,
];

export function findRule(id: string): PolicyRule | undefined {
  return ALL_RULES.find((rule) => rule.id === id);
}

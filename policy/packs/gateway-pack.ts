/**
 * The rule pack every stack of the LLM gateway is held to: the issue #8 baseline plus three cheap extras
 * (ecs-service-no-public-ip, secrets-recovery-window, sns-encrypted). Grouped by area so a reader sees the coverage.
 */
import {
  albDropInvalidHeaders,
  albHttpRedirect,
  albInternal,
  albListenerTls,
  cloudfrontHttpsOnly,
  cloudfrontTlsVersion,
  cloudfrontWafAttached,
  bedrockServicePrincipalScoped,
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
} from '../rules';
import type { PolicyPack } from '../types';

export const gatewayPack: PolicyPack = {
  name: 'llm-gateway',
  rules: [
    // Network
    vpcFlowLogs,
    vpcDefaultSgClosed,
    subnetNoPublicIp,
    sgDescription,
    sgNoWorldIngress,
    // Load balancer
    albInternal,
    albDropInvalidHeaders,
    albListenerTls,
    albHttpRedirect,
    // Edge (opt-in CloudFront entry)
    cloudfrontHttpsOnly,
    cloudfrontWafAttached,
    cloudfrontTlsVersion,
    // Compute
    ecsContainerInsights,
    ecsNoPlainSecrets,
    ecsNotPrivileged,
    ecsDistinctRoles,
    ecsServiceNoPublicIp,
    ecrImmutableTags,
    ecrScanOnPush,
    // Data
    rdsStorageEncrypted,
    rdsIamAuth,
    rdsLogExports,
    rdsBackupRetention,
    rdsDeletionProtection,
    rdsInstanceNotPublic,
    secretsRecoveryWindow,
    // State backend
    s3Versioning,
    s3Encryption,
    s3PublicAccessBlock,
    s3TlsOnly,
    dynamodbPitr,
    // Identity, keys, observability
    iamNoWildcards,
    iamResourceTypes,
    bedrockServicePrincipalScoped,
    kmsKeyRotation,
    logsRetention,
    snsEncrypted,
  ],
};

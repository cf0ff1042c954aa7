/**
 * The IAM actions a deploy role needs per Terraform type this app can emit: create, read (the provider reads back
 * after every create and at every plan), update, delete and tag (with provider default_tags, tags are set at
 * create). Action names are those of AWS's Service Authorization Reference, one page per service (SAR below); which
 * calls the AWS provider 5.100 makes per resource follows its documentation of each resource. A type the app emits
 * without an entry here fails `npm run deployer-policy` and scripts/lib/deployer-policy.test.ts.
 */

const SAR = 'https://docs.aws.amazon.com/service-authorization/latest/reference';

/** The Service Authorization Reference page of each service prefix used below. */
export const SERVICE_REFERENCE: Readonly<Record<string, string>> = {
  acm: `${SAR}/list_awscertificatemanager.html`,
  'application-autoscaling': `${SAR}/list_applicationautoscaling.html`,
  bedrock: `${SAR}/list_amazonbedrock.html`,
  budgets: `${SAR}/list_awsbudgetservice.html`,
  cloudfront: `${SAR}/list_amazoncloudfront.html`,
  cloudwatch: `${SAR}/list_amazoncloudwatch.html`,
  dynamodb: `${SAR}/list_amazondynamodb.html`,
  ec2: `${SAR}/list_amazonec2.html`,
  ecr: `${SAR}/list_amazonelasticcontainerregistry.html`,
  ecs: `${SAR}/list_amazonelasticcontainerservice.html`,
  elasticache: `${SAR}/list_amazonelasticache.html`,
  elasticloadbalancing: `${SAR}/list_awselasticloadbalancingv2.html`,
  iam: `${SAR}/list_awsidentityandaccessmanagementiam.html`,
  kms: `${SAR}/list_awskeymanagementservice.html`,
  logs: `${SAR}/list_amazoncloudwatchlogs.html`,
  rds: `${SAR}/list_amazonrds.html`,
  route53: `${SAR}/list_amazonroute53.html`,
  s3: `${SAR}/list_amazons3.html`,
  secretsmanager: `${SAR}/list_awssecretsmanager.html`,
  sns: `${SAR}/list_amazonsns.html`,
  wafv2: `${SAR}/list_awswafv2.html`,
};

export interface TypeActions {
  /** `service:Action`, every one granted on `*` (resource names are not known before the first apply). */
  readonly actions: readonly string[];
  /** Services a role is passed to (iam:PassRole, conditioned on iam:PassedToService). */
  readonly passRoleTo?: readonly string[];
  /** Service-linked roles the first create in an account makes (iam:CreateServiceLinkedRole, conditioned on iam:AWSServiceName). */
  readonly serviceLinkedRoles?: readonly string[];
}

const tagsEc2 = ['ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeTags'];
const tagsElb = ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags', 'elasticloadbalancing:DescribeTags'];
const tagsRds = ['rds:AddTagsToResource', 'rds:RemoveTagsFromResource', 'rds:ListTagsForResource'];
const tagsStd = (svc: string) => [`${svc}:TagResource`, `${svc}:UntagResource`, `${svc}:ListTagsForResource`];
const sgRules = [
  'ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress',
  'ec2:DescribeSecurityGroupRules', 'ec2:ModifySecurityGroupRules', 'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
  'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
];
const ecrPush = [
  'ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage',
  'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:DescribeImages', 'ecr:GetAuthorizationToken',
];
/** The provider reads every bucket sub-configuration back after create and at plan (aws_s3_bucket's read). */
const s3BucketRead = [
  's3:ListBucket', 's3:GetBucketAcl', 's3:GetBucketCORS', 's3:GetBucketWebsite', 's3:GetBucketVersioning', 's3:GetAccelerateConfiguration',
  's3:GetBucketRequestPayment', 's3:GetBucketLogging', 's3:GetLifecycleConfiguration', 's3:GetReplicationConfiguration',
  's3:GetEncryptionConfiguration', 's3:GetBucketObjectLockConfiguration', 's3:GetBucketTagging', 's3:GetBucketPolicy',
  's3:GetBucketOwnershipControls', 's3:GetBucketPublicAccessBlock', 's3:GetBucketLocation',
];

/** Keyed `<block>.<type>`: `resource.aws_vpc`, `data.aws_partition`, `ephemeral.aws_secretsmanager_random_password`. */
export const DEPLOYER_ACTIONS: Readonly<Record<string, TypeActions>> = {
  // Data sources and ephemeral resources: reads at plan.
  'data.aws_caller_identity': { actions: [] }, // sts:GetCallerIdentity needs no permission (STS API reference)
  'data.aws_partition': { actions: [] }, // computed by the provider, no API call
  'data.aws_iam_policy_document': { actions: [] }, // rendered by the provider, no API call
  'data.terraform_remote_state': { actions: [] }, // the state bucket's read: the state statement
  'data.aws_ec2_managed_prefix_list': { actions: ['ec2:DescribeManagedPrefixLists', 'ec2:GetManagedPrefixListEntries'] },
  'data.aws_ecr_authorization_token': { actions: ['ecr:GetAuthorizationToken'] },
  'data.aws_vpc': { actions: ['ec2:DescribeVpcs'] }, // an existing VPC's CIDR blocks (networking.existingVpc)
  'ephemeral.aws_secretsmanager_random_password': { actions: ['secretsmanager:GetRandomPassword'] },
  'resource.random_password': { actions: [] }, // hashicorp/random: local
  'resource.terraform_data': { actions: [] }, // Terraform's built-in: state only (the edge's VPC origin target)

  // Networking
  'resource.aws_vpc': {
    actions: ['ec2:CreateVpc', 'ec2:DescribeVpcs', 'ec2:DescribeVpcAttribute', 'ec2:ModifyVpcAttribute', 'ec2:DeleteVpc', 'ec2:DescribeNetworkAcls', 'ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups', ...tagsEc2],
  },
  'resource.aws_subnet': { actions: ['ec2:CreateSubnet', 'ec2:DescribeSubnets', 'ec2:ModifySubnetAttribute', 'ec2:DeleteSubnet', 'ec2:DescribeNetworkInterfaces', ...tagsEc2] },
  'resource.aws_internet_gateway': {
    actions: ['ec2:CreateInternetGateway', 'ec2:AttachInternetGateway', 'ec2:DescribeInternetGateways', 'ec2:DetachInternetGateway', 'ec2:DeleteInternetGateway', ...tagsEc2],
  },
  'resource.aws_eip': { actions: ['ec2:AllocateAddress', 'ec2:DescribeAddresses', 'ec2:DescribeAddressesAttribute', 'ec2:DisassociateAddress', 'ec2:ReleaseAddress', 'ec2:DescribeAccountAttributes', ...tagsEc2] },
  'resource.aws_nat_gateway': { actions: ['ec2:CreateNatGateway', 'ec2:DescribeNatGateways', 'ec2:DeleteNatGateway', ...tagsEc2] },
  'resource.aws_route_table': { actions: ['ec2:CreateRouteTable', 'ec2:DescribeRouteTables', 'ec2:DeleteRouteTable', 'ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute', ...tagsEc2] },
  'resource.aws_route': { actions: ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute', 'ec2:DescribeRouteTables'] },
  'resource.aws_route_table_association': { actions: ['ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation', 'ec2:DescribeRouteTables'] },
  'resource.aws_security_group': {
    actions: ['ec2:CreateSecurityGroup', 'ec2:DescribeSecurityGroups', 'ec2:DeleteSecurityGroup', 'ec2:DescribeNetworkInterfaces', ...sgRules, ...tagsEc2],
  },
  'resource.aws_default_security_group': { actions: ['ec2:DescribeSecurityGroups', ...sgRules, ...tagsEc2] },
  'resource.aws_vpc_security_group_ingress_rule': { actions: [...sgRules, 'ec2:DescribeSecurityGroups', ...tagsEc2] },
  'resource.aws_vpc_security_group_egress_rule': { actions: [...sgRules, 'ec2:DescribeSecurityGroups', ...tagsEc2] },
  // Gateway (S3, networking.s3GatewayEndpoint) and interface (networking.egress "endpoints") endpoints. The provider
  // reads the service by name (DescribeVpcEndpointServices) and a gateway endpoint's prefix list (DescribePrefixLists);
  // a gateway endpoint's routes are added by CreateVpcEndpoint/ModifyVpcEndpoint themselves. With private DNS, EC2
  // associates an AWS-managed private hosted zone with the VPC on the caller's behalf: the Route 53 association
  // actions are granted for it (not verified against a primary source here; drop them only after a real deploy).
  'resource.aws_vpc_endpoint': {
    actions: [
      'ec2:CreateVpcEndpoint', 'ec2:DescribeVpcEndpoints', 'ec2:ModifyVpcEndpoint', 'ec2:DeleteVpcEndpoints', 'ec2:DescribeVpcEndpointServices',
      'ec2:DescribePrefixLists', 'ec2:DescribeRouteTables', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces',
      'route53:AssociateVPCWithHostedZone', 'route53:DisassociateVPCFromHostedZone', ...tagsEc2,
    ],
  },
  'resource.aws_flow_log': {
    actions: ['ec2:CreateFlowLogs', 'ec2:DescribeFlowLogs', 'ec2:DeleteFlowLogs', ...tagsEc2, 'logs:CreateLogDelivery', 'logs:DeleteLogDelivery'],
    passRoleTo: ['vpc-flow-logs.amazonaws.com'],
  },

  // Load balancing
  'resource.aws_lb': {
    actions: [
      'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes',
      'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:SetSubnets',
      'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:DeleteLoadBalancer', 'ec2:DescribeNetworkInterfaces', ...tagsElb,
    ],
    serviceLinkedRoles: ['elasticloadbalancing.amazonaws.com'],
  },
  'resource.aws_lb_target_group': {
    actions: [
      'elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes',
      'elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup', ...tagsElb,
    ],
  },
  'resource.aws_lb_listener': {
    actions: [
      'elasticloadbalancing:CreateListener', 'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeListenerAttributes',
      'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:ModifyListenerAttributes', 'elasticloadbalancing:DeleteListener', ...tagsElb,
    ],
  },

  // Containers
  'resource.aws_ecs_cluster': {
    actions: ['ecs:CreateCluster', 'ecs:DescribeClusters', 'ecs:UpdateCluster', 'ecs:UpdateClusterSettings', 'ecs:DeleteCluster', ...tagsStd('ecs')],
    serviceLinkedRoles: ['ecs.amazonaws.com'],
  },
  'resource.aws_ecs_cluster_capacity_providers': { actions: ['ecs:PutClusterCapacityProviders', 'ecs:DescribeClusters'] },
  'resource.aws_ecs_task_definition': {
    actions: ['ecs:RegisterTaskDefinition', 'ecs:DescribeTaskDefinition', 'ecs:DeregisterTaskDefinition', ...tagsStd('ecs')],
    passRoleTo: ['ecs-tasks.amazonaws.com'],
  },
  'resource.aws_ecs_service': { actions: ['ecs:CreateService', 'ecs:DescribeServices', 'ecs:UpdateService', 'ecs:DeleteService', ...tagsStd('ecs')] },
  'resource.aws_appautoscaling_target': {
    // RegisterScalableTarget for an ECS service: the caller also needs ecs:DescribeServices and ecs:UpdateService.
    actions: [
      'application-autoscaling:RegisterScalableTarget', 'application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DeregisterScalableTarget',
      ...tagsStd('application-autoscaling'), 'ecs:DescribeServices', 'ecs:UpdateService',
    ],
    serviceLinkedRoles: ['ecs.application-autoscaling.amazonaws.com'],
  },
  // gateway.schedule: the off-hours stop and start actions on the same scalable target.
  'resource.aws_appautoscaling_scheduled_action': {
    actions: ['application-autoscaling:PutScheduledAction', 'application-autoscaling:DescribeScheduledActions', 'application-autoscaling:DeleteScheduledAction'],
  },
  'resource.aws_appautoscaling_policy': {
    // A target-tracking policy creates and deletes its own CloudWatch alarms with the caller's permissions.
    actions: [
      'application-autoscaling:PutScalingPolicy', 'application-autoscaling:DescribeScalingPolicies', 'application-autoscaling:DeleteScalingPolicy',
      'cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms',
    ],
  },
  'resource.aws_ecr_repository': {
    actions: ['ecr:CreateRepository', 'ecr:DescribeRepositories', 'ecr:DeleteRepository', 'ecr:PutImageTagMutability', 'ecr:PutImageScanningConfiguration', 'ecr:BatchDeleteImage', 'ecr:ListImages', ...tagsStd('ecr')],
  },
  'resource.aws_ecr_lifecycle_policy': { actions: ['ecr:PutLifecyclePolicy', 'ecr:GetLifecyclePolicy', 'ecr:DeleteLifecyclePolicy'] },
  'resource.docker_image': { actions: ['ecr:GetAuthorizationToken'] }, // built locally by the Docker daemon
  'resource.docker_registry_image': { actions: ecrPush },

  // IAM
  'resource.aws_iam_role': {
    actions: [
      'iam:CreateRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy', 'iam:DeleteRole', 'iam:TagRole', 'iam:UntagRole',
      'iam:ListRoleTags', 'iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:AttachRolePolicy',
      'iam:DetachRolePolicy', 'iam:ListInstanceProfilesForRole',
    ],
  },
  'resource.aws_iam_role_policy': { actions: ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'] },
  'resource.aws_iam_policy': {
    actions: [
      'iam:CreatePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions', 'iam:CreatePolicyVersion', 'iam:DeletePolicyVersion',
      'iam:DeletePolicy', 'iam:TagPolicy', 'iam:UntagPolicy', 'iam:ListPolicyTags',
    ],
  },

  // Database
  'resource.aws_db_subnet_group': { actions: ['rds:CreateDBSubnetGroup', 'rds:DescribeDBSubnetGroups', 'rds:ModifyDBSubnetGroup', 'rds:DeleteDBSubnetGroup', ...tagsRds] },
  'resource.aws_rds_cluster_parameter_group': {
    actions: [
      'rds:CreateDBClusterParameterGroup', 'rds:DescribeDBClusterParameterGroups', 'rds:DescribeDBClusterParameters', 'rds:ModifyDBClusterParameterGroup',
      'rds:ResetDBClusterParameterGroup', 'rds:DeleteDBClusterParameterGroup', ...tagsRds,
    ],
  },
  'resource.aws_rds_cluster': {
    // A final snapshot at delete is rds:CreateDBClusterSnapshot; an RDS-managed master password (existing-secrets
    // mode) makes RDS create the secret with the caller's secretsmanager:CreateSecret and kms permissions.
    actions: [
      'rds:CreateDBCluster', 'rds:DescribeDBClusters', 'rds:ModifyDBCluster', 'rds:DeleteDBCluster', 'rds:CreateDBClusterSnapshot', 'rds:DescribeDBClusterSnapshots',
      'rds:DescribeGlobalClusters', ...tagsRds, 'kms:DescribeKey', 'kms:CreateGrant', 'secretsmanager:CreateSecret', 'secretsmanager:TagResource',
      'secretsmanager:RotateSecret', 'secretsmanager:DeleteSecret',
    ],
    serviceLinkedRoles: ['rds.amazonaws.com'],
  },
  'resource.aws_rds_cluster_instance': {
    // No enhanced-monitoring role (monitoring_role_arn) in the app: no role passed to monitoring.rds.amazonaws.com.
    actions: ['rds:CreateDBInstance', 'rds:DescribeDBInstances', 'rds:ModifyDBInstance', 'rds:DeleteDBInstance', 'rds:RebootDBInstance', ...tagsRds],
  },
  'resource.aws_elasticache_subnet_group': {
    actions: ['elasticache:CreateCacheSubnetGroup', 'elasticache:DescribeCacheSubnetGroups', 'elasticache:ModifyCacheSubnetGroup', 'elasticache:DeleteCacheSubnetGroup', 'elasticache:AddTagsToResource', 'elasticache:RemoveTagsFromResource', 'elasticache:ListTagsForResource'],
  },
  'resource.aws_elasticache_replication_group': {
    actions: [
      'elasticache:CreateReplicationGroup', 'elasticache:DescribeReplicationGroups', 'elasticache:ModifyReplicationGroup', 'elasticache:DeleteReplicationGroup',
      'elasticache:DescribeCacheClusters', 'elasticache:AddTagsToResource', 'elasticache:RemoveTagsFromResource', 'elasticache:ListTagsForResource',
    ],
    serviceLinkedRoles: ['elasticache.amazonaws.com'],
  },
  // gateway.redis.iamAuth: the IAM-mode user LiteLLM signs in as, the disabled `default` user, their user group.
  'resource.aws_elasticache_user': {
    actions: ['elasticache:CreateUser', 'elasticache:DescribeUsers', 'elasticache:ModifyUser', 'elasticache:DeleteUser', 'elasticache:AddTagsToResource', 'elasticache:RemoveTagsFromResource', 'elasticache:ListTagsForResource'],
  },
  'resource.aws_elasticache_user_group': {
    actions: [
      'elasticache:CreateUserGroup', 'elasticache:DescribeUserGroups', 'elasticache:ModifyUserGroup', 'elasticache:DeleteUserGroup',
      'elasticache:AddTagsToResource', 'elasticache:RemoveTagsFromResource', 'elasticache:ListTagsForResource',
    ],
  },

  // Secrets and keys
  'resource.aws_secretsmanager_secret': {
    actions: [
      'secretsmanager:CreateSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy', 'secretsmanager:UpdateSecret', 'secretsmanager:DeleteSecret',
      ...tagsStd('secretsmanager').filter((a) => a !== 'secretsmanager:ListTagsForResource'), 'kms:GenerateDataKey', 'kms:Decrypt',
    ],
  },
  // The database password read back from its source secret (docs/secrets.md); kms:Decrypt is on the secret's entry.
  'ephemeral.aws_secretsmanager_secret_version': { actions: ['secretsmanager:GetSecretValue'] },
  'resource.aws_secretsmanager_secret_version': {
    actions: ['secretsmanager:PutSecretValue', 'secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds', 'secretsmanager:UpdateSecretVersionStage'],
  },
  'resource.aws_kms_key': {
    actions: [
      'kms:CreateKey', 'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:EnableKeyRotation', 'kms:DisableKeyRotation',
      'kms:UpdateKeyDescription', 'kms:ScheduleKeyDeletion', 'kms:ListResourceTags', 'kms:TagResource', 'kms:UntagResource',
    ],
  },
  'resource.aws_kms_alias': { actions: ['kms:CreateAlias', 'kms:ListAliases', 'kms:UpdateAlias', 'kms:DeleteAlias'] },

  // Logs, metrics, alarms, notifications, budgets
  'resource.aws_cloudwatch_log_group': {
    actions: ['logs:CreateLogGroup', 'logs:DescribeLogGroups', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:DeleteLogGroup', 'logs:AssociateKmsKey', 'logs:DisassociateKmsKey', ...tagsStd('logs')],
  },
  'resource.aws_cloudwatch_log_metric_filter': { actions: ['logs:PutMetricFilter', 'logs:DescribeMetricFilters', 'logs:DeleteMetricFilter'] },
  // CloudWatch Logs vended-log delivery V2 (CloudFront standard logging v2): the delivery source also needs the
  // service's own authorization, cloudfront:AllowVendedLogDeliveryForResource; a log-group destination, the
  // log group resource policy calls (CloudWatch Logs User Guide, "Logging that requires additional permissions [V2]").
  'resource.aws_cloudwatch_log_delivery_source': {
    actions: ['logs:PutDeliverySource', 'logs:GetDeliverySource', 'logs:DescribeDeliverySources', 'logs:DeleteDeliverySource', 'cloudfront:AllowVendedLogDeliveryForResource', ...tagsStd('logs')],
  },
  'resource.aws_cloudwatch_log_delivery_destination': {
    actions: [
      'logs:PutDeliveryDestination', 'logs:GetDeliveryDestination', 'logs:DescribeDeliveryDestinations', 'logs:DeleteDeliveryDestination',
      'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups', ...tagsStd('logs'),
    ],
  },
  'resource.aws_cloudwatch_log_delivery': {
    actions: ['logs:CreateDelivery', 'logs:GetDelivery', 'logs:DescribeDeliveries', 'logs:UpdateDeliveryConfiguration', 'logs:DeleteDelivery', ...tagsStd('logs')],
  },
  'resource.aws_cloudwatch_dashboard': { actions: ['cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards'] },
  'resource.aws_cloudwatch_metric_alarm': { actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms', ...tagsStd('cloudwatch')] },
  'resource.aws_sns_topic': {
    actions: ['sns:CreateTopic', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:DeleteTopic', ...tagsStd('sns'), 'kms:DescribeKey'],
  },
  'resource.aws_sns_topic_policy': { actions: ['sns:SetTopicAttributes', 'sns:GetTopicAttributes'] },
  'resource.aws_sns_topic_subscription': { actions: ['sns:Subscribe', 'sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes', 'sns:Unsubscribe', 'sns:ListSubscriptionsByTopic'] },
  // CreateBudget, UpdateBudget and the notification calls are authorized as budgets:ModifyBudget.
  'resource.aws_budgets_budget': { actions: ['budgets:ModifyBudget', 'budgets:ViewBudget', 'budgets:ListTagsForResource', 'budgets:TagResource', 'budgets:UntagResource'] },
  // The Bedrock hard stop (observability.budgets.hardStop): its execution role is passed to Budgets.
  'resource.aws_budgets_budget_action': {
    actions: ['budgets:CreateBudgetAction', 'budgets:DescribeBudgetAction', 'budgets:UpdateBudgetAction', 'budgets:DeleteBudgetAction', 'budgets:ListTagsForResource', 'budgets:TagResource', 'budgets:UntagResource'],
    passRoleTo: ['budgets.amazonaws.com'],
  },

  // DNS
  'resource.aws_route53_zone': {
    // A private zone's VPC association is authorized with ec2:DescribeVpcs as well.
    actions: [
      'route53:CreateHostedZone', 'route53:GetHostedZone', 'route53:ListResourceRecordSets', 'route53:UpdateHostedZoneComment', 'route53:DeleteHostedZone',
      'route53:GetChange', 'route53:AssociateVPCWithHostedZone', 'route53:DisassociateVPCFromHostedZone', 'route53:ChangeTagsForResource',
      'route53:ListTagsForResource', 'route53:ListHostedZonesByVPC', 'ec2:DescribeVpcs',
    ],
  },
  'resource.aws_route53_record': { actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:GetChange', 'route53:GetHostedZone'] },

  // State and log buckets, lock table
  'resource.aws_s3_bucket': { actions: ['s3:CreateBucket', 's3:DeleteBucket', 's3:PutBucketTagging', ...s3BucketRead] },
  'resource.aws_s3_bucket_versioning': { actions: ['s3:PutBucketVersioning', 's3:GetBucketVersioning'] },
  'resource.aws_s3_bucket_server_side_encryption_configuration': { actions: ['s3:PutEncryptionConfiguration', 's3:GetEncryptionConfiguration'] },
  'resource.aws_s3_bucket_public_access_block': { actions: ['s3:PutBucketPublicAccessBlock', 's3:GetBucketPublicAccessBlock'] },
  'resource.aws_s3_bucket_ownership_controls': { actions: ['s3:PutBucketOwnershipControls', 's3:GetBucketOwnershipControls'] },
  'resource.aws_s3_bucket_policy': { actions: ['s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'] },
  // DeleteBucketLifecycle is authorized as s3:PutLifecycleConfiguration.
  'resource.aws_s3_bucket_lifecycle_configuration': { actions: ['s3:PutLifecycleConfiguration', 's3:GetLifecycleConfiguration'] },
  'resource.aws_dynamodb_table': {
    actions: [
      'dynamodb:CreateTable', 'dynamodb:DescribeTable', 'dynamodb:UpdateTable', 'dynamodb:DeleteTable', 'dynamodb:DescribeContinuousBackups',
      'dynamodb:UpdateContinuousBackups', 'dynamodb:DescribeTimeToLive', 'dynamodb:UpdateTimeToLive', 'dynamodb:ListTagsOfResource',
      'dynamodb:TagResource', 'dynamodb:UntagResource',
    ],
  },

  // Bedrock
  'resource.aws_bedrock_guardrail': {
    // Tags at create are authorized separately: bedrock:TagResource.
    actions: ['bedrock:CreateGuardrail', 'bedrock:GetGuardrail', 'bedrock:UpdateGuardrail', 'bedrock:DeleteGuardrail', 'bedrock:ListGuardrails', ...tagsStd('bedrock'), 'kms:DescribeKey'],
  },
  // gateway.costAttribution. Create is authorized on the new application profile and on the profile or model it copies
  // (Amazon Bedrock User Guide, "Prerequisites for inference profiles"); tags at create are bedrock:TagResource.
  'resource.aws_bedrock_inference_profile': {
    actions: ['bedrock:CreateInferenceProfile', 'bedrock:GetInferenceProfile', 'bedrock:DeleteInferenceProfile', 'bedrock:ListInferenceProfiles', ...tagsStd('bedrock')],
  },
  'resource.aws_bedrock_guardrail_version': { actions: ['bedrock:CreateGuardrailVersion', 'bedrock:GetGuardrail', 'bedrock:DeleteGuardrail'] },
  'resource.aws_bedrock_model_invocation_logging_configuration': {
    actions: ['bedrock:PutModelInvocationLoggingConfiguration', 'bedrock:GetModelInvocationLoggingConfiguration', 'bedrock:DeleteModelInvocationLoggingConfiguration'],
    passRoleTo: ['bedrock.amazonaws.com'],
  },

  // Edge (us-east-1)
  'resource.aws_cloudfront_distribution': {
    // A web ACL on the distribution is checked with wafv2:GetWebACL (WAF Developer Guide, "Associating a web ACL").
    actions: [
      'cloudfront:CreateDistribution', 'cloudfront:CreateDistributionWithTags', 'cloudfront:GetDistribution', 'cloudfront:GetDistributionConfig',
      'cloudfront:UpdateDistribution', 'cloudfront:DeleteDistribution', ...tagsStd('cloudfront'), 'wafv2:GetWebACL', 'acm:DescribeCertificate',
    ],
  },
  'resource.aws_cloudfront_vpc_origin': {
    actions: ['cloudfront:CreateVpcOrigin', 'cloudfront:GetVpcOrigin', 'cloudfront:UpdateVpcOrigin', 'cloudfront:DeleteVpcOrigin', 'cloudfront:ListVpcOrigins', ...tagsStd('cloudfront'), 'elasticloadbalancing:DescribeLoadBalancers'],
    serviceLinkedRoles: ['vpcorigin.cloudfront.amazonaws.com'],
  },
  'resource.aws_wafv2_ip_set': { actions: ['wafv2:CreateIPSet', 'wafv2:GetIPSet', 'wafv2:UpdateIPSet', 'wafv2:DeleteIPSet', ...tagsStd('wafv2')] },
  'resource.aws_wafv2_web_acl': { actions: ['wafv2:CreateWebACL', 'wafv2:GetWebACL', 'wafv2:UpdateWebACL', 'wafv2:DeleteWebACL', ...tagsStd('wafv2')] },
};

#!/usr/bin/env python3
"""Starts moto's server for the emulator test tier (scripts/emulator/run.ts) with the emulator's gaps patched.

The gaps are places where moto 5.2.1 answers differently from AWS for calls the AWS provider makes: an
unimplemented operation, or a response that drops or invents a field, so that Terraform either hangs or sees a
perpetual diff. Each patch below replaces one moto method or property in this process only, before the server
starts; the product's Terraform is never changed to suit the emulator. docs/emulator.md lists them with the reason.

Protocol with the parent process:
  * binds 127.0.0.1 on the given port (0 = a free one, chosen by the kernel, so parallel runs never collide);
  * prints ONE JSON line on stdout once the socket accepts connections:
    {"event": "listening", "port": N, "pid": P, "moto": "5.2.1", "patches": [...]};
  * stops on SIGTERM/SIGINT, when its stdin reaches EOF (the parent died without cleaning up), or after
    --max-seconds, whichever comes first; nothing outlives the test run.

One route of its own, outside every AWS API: GET /_emulator/rds-cluster-password-digests answers
{"<DBClusterIdentifier>": "<SHA-256 of its master password>"} for every cluster. AWS never returns a master password,
so this is how the emulator tier checks that the cluster and the secrets carrying its password agree (digests only).
"""
import argparse
import hashlib
import json
import os
import signal
import sys
import threading
import time
from typing import Any, Callable, Dict, List, Optional

# Must be set before moto reads it: attaching an AWS-managed policy (e.g. AmazonECSTaskExecutionRolePolicy) is a
# 404 unless moto loads them. The stacks use inline policies today; a stack that attaches one must not fail here.
os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
# The account every request belongs to (moto's default); the provider reads it through STS (docs/emulator.md) and the
# emulator profile's image URI and fixtures use it.
os.environ.setdefault("MOTO_ACCOUNT_ID", "123456789012")

TESTED_MOTO_VERSION = "5.2.1"

Patch = Callable[[], None]
PATCHES: List[Dict[str, Any]] = []


def patch(name: str, why: str) -> Callable[[Patch], Patch]:
    """Registers a patch. Its body must raise if moto's classes changed shape: never a silent no-op."""

    def register(fn: Patch) -> Patch:
        PATCHES.append({"name": name, "why": why, "apply": fn})
        return fn

    return register


def _require(owner: Any, attribute: str) -> Any:
    if not hasattr(owner, attribute):
        raise RuntimeError(f"moto changed: {owner.__module__}.{getattr(owner, '__name__', owner)} has no {attribute}")
    return getattr(owner, attribute)


# --- Application Auto Scaling ------------------------------------------------------------------------------------


@patch(
    "applicationautoscaling-tagging",
    "ListTagsForResource/TagResource/UntagResource are not implemented (moto answers 500, the SDK retries and "
    "aws_appautoscaling_target hangs for 10 minutes); RegisterScalableTarget drops its Tags.",
)
def _appautoscaling_tags() -> None:
    from moto.applicationautoscaling import models, responses

    backend_cls = models.ApplicationAutoscalingBackend
    response_cls = responses.ApplicationAutoScalingResponse
    original_register = _require(response_cls, "register_scalable_target")
    original_deregister = _require(response_cls, "deregister_scalable_target")

    def tag_store(backend: Any) -> Dict[str, Dict[str, str]]:
        if not hasattr(backend, "_emulator_tags"):
            backend._emulator_tags = {}
        return backend._emulator_tags

    def target_arn(self: Any) -> Optional[str]:
        dimension = self._get_param("ScalableDimension")
        resource_id = self._get_param("ResourceId")
        target = self.applicationautoscaling_backend.targets.get(dimension, {}).get(resource_id)
        return target.arn if target is not None else None

    def register_scalable_target(self: Any) -> str:
        body = original_register(self)
        tags = self._get_param("Tags") or {}
        arn = json.loads(body)["ScalableTargetARN"]
        tag_store(self.applicationautoscaling_backend).setdefault(arn, {}).update(tags)
        return body

    def deregister_scalable_target(self: Any) -> str:
        arn = target_arn(self)
        body = original_deregister(self)
        if arn:
            tag_store(self.applicationautoscaling_backend).pop(arn, None)
        return body

    def list_tags_for_resource(self: Any) -> str:
        arn = self._get_param("ResourceARN")
        return json.dumps({"Tags": tag_store(self.applicationautoscaling_backend).get(arn, {})})

    def tag_resource(self: Any) -> str:
        arn = self._get_param("ResourceARN")
        tag_store(self.applicationautoscaling_backend).setdefault(arn, {}).update(self._get_param("Tags") or {})
        return json.dumps({})

    def untag_resource(self: Any) -> str:
        arn = self._get_param("ResourceARN")
        tags = tag_store(self.applicationautoscaling_backend).get(arn, {})
        for key in self._get_param("TagKeys") or []:
            tags.pop(key, None)
        return json.dumps({})

    _require(backend_cls, "register_scalable_target")
    response_cls.register_scalable_target = register_scalable_target
    response_cls.deregister_scalable_target = deregister_scalable_target
    response_cls.list_tags_for_resource = list_tags_for_resource
    response_cls.tag_resource = tag_resource
    response_cls.untag_resource = untag_resource


# --- Route 53 -----------------------------------------------------------------------------------------------------


@patch(
    "route53-private-zone-from-vpc",
    "CreateHostedZone with a VPC makes a PRIVATE zone in AWS (the provider never sends HostedZoneConfig.PrivateZone); "
    "moto made it public, so the zone lost its VPC association and every plan wanted to add it back.",
)
def _route53_private_zone() -> None:
    from moto.route53 import responses

    response_cls = responses.Route53
    original = _require(response_cls, "create_hosted_zone")
    original_get_bool = _require(response_cls, "_get_bool_param")

    def create_hosted_zone(self: Any) -> Any:
        has_vpc = bool(self._get_param("VPC.VPCId"))

        def get_bool(name: str, if_none: Any = None) -> Any:
            if name == "HostedZoneConfig.PrivateZone" and has_vpc:
                return True
            return original_get_bool(self, name, if_none)

        self._get_bool_param = get_bool
        try:
            return original(self)
        finally:
            del self._get_bool_param

    response_cls.create_hosted_zone = create_hosted_zone


# --- EC2 ----------------------------------------------------------------------------------------------------------


@patch(
    "ec2-sg-rule-description-for-group-references",
    "DescribeSecurityGroupRules returns no Description for a rule that references another security group (moto "
    "keeps it in the group pair, not the rule), so every aws_vpc_security_group_*_rule with "
    "referenced_security_group_id drifts on each plan.",
)
def _sg_rule_description() -> None:
    from moto.ec2.models import security_groups

    rule_cls = security_groups.SecurityGroupRule
    _require(rule_cls, "description")

    def description(self: Any) -> Optional[str]:
        return self.ip_range.get("Description") or (self.source_group or {}).get("Description")

    rule_cls.description = property(description)


@patch(
    "ec2-sg-rule-description-for-prefix-lists",
    "DescribeSecurityGroupRules returns no Description for a rule whose source is a prefix list (moto drops the "
    "description kept with the PrefixListId), so an aws_vpc_security_group_ingress_rule with prefix_list_id (alb-sg's "
    "CloudFront rule) plans to add its description on each run.",
)
def _sg_rule_prefix_list_description() -> None:
    import inspect

    from moto.ec2.models import security_groups

    rule_cls = security_groups.SecurityGroupRule
    original_init = _require(rule_cls, "__init__")
    original_description = _require(rule_cls, "description")
    signature = inspect.signature(original_init)
    if "prefix_list_id" not in signature.parameters:
        raise RuntimeError("moto changed: SecurityGroupRule.__init__ has no prefix_list_id")

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        prefix_list = signature.bind(self, *args, **kwargs).arguments.get("prefix_list_id") or {}
        self._emulator_prefix_list_description = prefix_list.get("Description")

    def description(self: Any) -> Optional[str]:
        found = original_description.fget(self) if isinstance(original_description, property) else original_description
        return found or getattr(self, "_emulator_prefix_list_description", None)

    rule_cls.__init__ = __init__
    rule_cls.description = property(description)


# --- S3 -----------------------------------------------------------------------------------------------------------


@patch(
    "s3-bucket-policy-secure-transport",
    "moto evaluates bucket policies on object requests but ignores conditions other than StringEquals, so the state "
    "bucket's standard 'Deny s3:* if aws:SecureTransport is false' denies every request and the S3 backend gets 403. "
    "Here aws:SecureTransport is evaluated as AWS would see an SDK call (always TLS): true.",
)
def _s3_secure_transport() -> None:
    from moto.iam.access_control import IAMPolicy
    from moto.s3 import models

    bucket_cls = models.FakeBucket
    original = _require(bucket_cls, "get_permission")

    def applies(condition: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        """The condition with aws:SecureTransport resolved, or None when it rules the statement out."""
        rest: Dict[str, Any] = {}
        for operator, values in condition.items():
            if operator in ("Bool", "BoolIfExists") and isinstance(values, dict):
                values = dict(values)
                for key in [k for k in values if k.lower() == "aws:securetransport"]:
                    wanted = values.pop(key)
                    wanted = wanted if isinstance(wanted, list) else [wanted]
                    if "true" not in [str(w).lower() for w in wanted]:
                        return None
                if not values:
                    continue
            rest[operator] = values
        return rest

    def get_permission(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return original(self, action, resource)
        policy = json.loads(self.policy.decode() if isinstance(self.policy, bytes) else self.policy)
        statements = policy.get("Statement", [])
        statements = statements if isinstance(statements, list) else [statements]
        kept = []
        for statement in statements:
            if "Condition" in statement:
                condition = applies(statement["Condition"])
                if condition is None:
                    continue
                statement = {k: v for k, v in statement.items() if k != "Condition"}
                if condition:
                    statement["Condition"] = condition
            kept.append(statement)
        # Evaluated on a copy: the stored policy (GetBucketPolicy) stays what the provider wrote.
        return IAMPolicy(json.dumps({**policy, "Statement": kept})).is_action_permitted(action, resource)

    bucket_cls.get_permission = get_permission


# --- RDS ----------------------------------------------------------------------------------------------------------


@patch(
    "rds-no-phantom-scaling-configuration",
    "DescribeDBClusters returns an empty ScalingConfigurationInfo for every cluster; for Serverless v2 the provider "
    "then reads a phantom scaling_configuration block and plans to remove it on each run. AWS returns it only for "
    "engine_mode serverless (v1).",
)
def _rds_scaling_configuration() -> None:
    from moto.rds import models

    cluster_cls = models.DBCluster
    original = _require(cluster_cls, "scaling_configuration_info")

    def scaling_configuration_info(self: Any) -> Optional[Dict[str, Any]]:
        if not self.scaling_configuration:
            return None
        return original.fget(self)

    cluster_cls.scaling_configuration_info = property(scaling_configuration_info)


@patch(
    "rds-instance-performance-insights",
    "CreateDBInstance drops EnablePerformanceInsights, PerformanceInsightsRetentionPeriod and "
    "PerformanceInsightsKMSKeyId, and DescribeDBInstances never returns them, so an instance with Performance "
    "Insights on plans 'performance_insights_enabled = false -> true' on each run. AWS keeps 7 days by default.",
)
def _rds_performance_insights() -> None:
    from moto.rds import models

    instance_cls = models.DBInstance
    original_init = _require(instance_cls, "__init__")
    for name in ("performance_insights_enabled", "performance_insights_retention_period", "performance_insights_kms_key_id"):
        if hasattr(instance_cls, name):
            raise RuntimeError(f"moto changed: DBInstance already has {name}; this patch may be obsolete")

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.enable_performance_insights = kwargs.get("enable_performance_insights")
        self.performance_insights_retention_period_requested = kwargs.get("performance_insights_retention_period")
        self.performance_insights_kms_key_id_requested = kwargs.get("performance_insights_kms_key_id")

    def enabled(self: Any) -> bool:
        return bool(getattr(self, "enable_performance_insights", False))

    def retention(self: Any) -> Optional[int]:
        if not enabled(self):
            return None
        requested = getattr(self, "performance_insights_retention_period_requested", None)
        return int(requested) if requested else 7

    def kms_key(self: Any) -> Optional[str]:
        if not enabled(self):
            return None
        return getattr(self, "performance_insights_kms_key_id_requested", None) or (
            f"arn:aws:kms:{self.region}:{self.account_id}:key/00000000-0000-0000-0000-00000000a1a5"
        )

    def setter(attribute: str) -> Callable[[Any, Any], None]:
        # ModifyDBInstance assigns the request's snake_case names; keep them as the requested values.
        return lambda self, value: setattr(self, attribute, value)

    instance_cls.__init__ = __init__
    instance_cls.performance_insights_enabled = property(enabled)
    instance_cls.performance_insights_retention_period = property(retention, setter("performance_insights_retention_period_requested"))
    instance_cls.performance_insights_kms_key_id = property(kms_key, setter("performance_insights_kms_key_id_requested"))


# --- ElastiCache ---------------------------------------------------------------------------------------------------


@patch(
    "elasticache-replication-group-members",
    "CreateReplicationGroup lists member clusters (<id>-001, ...) that DescribeCacheClusters does not know, and the "
    "provider reads them after every create and refresh (CacheClusterNotFound: apply and destroy fail); "
    "DeleteReplicationGroup leaves the group 'deleting' forever, so the provider's wait for its deletion never ends; "
    "with cluster mode disabled, NumCacheClusters is ignored (one member only: _set_node_members_clusters_disabled "
    "reads replicas_per_node_group), so a two-node group plans num_cache_clusters 1 -> 2 forever.",
)
def _elasticache_members() -> None:
    import inspect

    from moto.elasticache import models

    backend_cls = models.ElastiCacheBackend
    original_create = _require(backend_cls, "create_replication_group")
    original_delete = _require(backend_cls, "delete_replication_group")
    create_cluster_params = list(inspect.signature(_require(backend_cls, "create_cache_cluster")).parameters)[1:]

    def create_replication_group(self: Any, *args: Any, **kwargs: Any) -> Any:
        # AWS: NumCacheClusters is the primary plus its replicas when cluster mode is disabled (API reference,
        # CreateReplicationGroup); moto builds the replicas from replicas_per_node_group only.
        wanted = kwargs.get("num_cache_clusters") or 0
        if wanted > 1 and not kwargs.get("replicas_per_node_group") and kwargs.get("cluster_mode") != "enabled":
            kwargs["replicas_per_node_group"] = wanted - 1
        group = original_create(self, *args, **kwargs)
        azs = kwargs.get("preferred_cache_cluster_azs") or []
        for i, member in enumerate(group.member_clusters):
            if member in self.cache_clusters:
                continue
            params: Dict[str, Any] = {name: None for name in create_cluster_params}
            params.update(
                cache_cluster_id=member,
                replication_group_id=group.replication_group_id,
                cache_node_type=group.cache_node_type,
                engine=group.engine,
                engine_version=kwargs.get("engine_version"),
                cache_parameter_group_name=kwargs.get("cache_parameter_group_name"),
                cache_subnet_group_name=kwargs.get("cache_subnet_group_name"),
                security_group_ids=kwargs.get("security_group_ids"),
                preferred_availability_zone=azs[i] if i < len(azs) else None,
                port=group.port,
                transit_encryption_enabled=kwargs.get("transit_encryption_enabled"),
                snapshot_retention_limit=kwargs.get("snapshot_retention_limit"),
                snapshot_window=kwargs.get("snapshot_window"),
                preferred_maintenance_window=kwargs.get("preferred_maintenance_window"),
                auto_minor_version_upgrade=kwargs.get("auto_minor_version_upgrade"),
                network_type=kwargs.get("network_type"),
                ip_discovery=kwargs.get("ip_discovery"),
            )
            cluster = self.create_cache_cluster(**params)
            # CacheCluster only sets these for engine "redis"; a Valkey member is the same kind of node.
            cluster.num_cache_nodes = 1
            cluster.replication_group_id = group.replication_group_id
            # The provider reads these replication-group settings from the first member (setFromCacheCluster):
            # without them at_rest_encryption_enabled reads false and forces a replacement on every plan.
            cluster.at_rest_encryption_enabled = bool(group.at_rest_encryption_enabled)
            cluster.transit_encryption_enabled = bool(group.transit_encryption_enabled)
            cluster.transit_encryption_mode = kwargs.get("transit_encryption_mode") or (
                "required" if group.transit_encryption_enabled else None
            )
            cluster.security_groups = [
                {"SecurityGroupId": sg, "Status": "active"} for sg in kwargs.get("security_group_ids") or []
            ]
            major = str(kwargs.get("engine_version") or "").split(".")[0]
            cluster.cache_parameter_group = {
                "CacheParameterGroupName": kwargs.get("cache_parameter_group_name") or f"default.{group.engine}{major}",
                "ParameterApplyStatus": "in-sync",
                "CacheNodeIdsToReboot": [],
            }
        return group

    def delete_replication_group(self: Any, replication_group_id: str, retain_primary_cluster: Optional[bool]) -> Any:
        group = original_delete(self, replication_group_id, retain_primary_cluster)
        # AWS answers 'deleting' and the group disappears once its nodes are gone; here at once.
        self.replication_groups.pop(replication_group_id, None)
        for cluster_id, cluster in list(self.cache_clusters.items()):
            if getattr(cluster, "replication_group_id", None) == replication_group_id:
                del self.cache_clusters[cluster_id]
        return group

    backend_cls.create_replication_group = create_replication_group
    backend_cls.delete_replication_group = delete_replication_group


@patch(
    "elasticache-delete-cache-subnet-group",
    "DeleteCacheSubnetGroup is not implemented (500, retried until the provider's timeout), so destroying an "
    "aws_elasticache_subnet_group hangs.",
)
def _elasticache_delete_subnet_group() -> None:
    from moto.core.responses import EmptyResult
    from moto.elasticache import exceptions, responses

    response_cls = responses.ElastiCacheResponse
    if hasattr(response_cls, "delete_cache_subnet_group"):
        raise RuntimeError("moto changed: ElastiCacheResponse.delete_cache_subnet_group exists; this patch is obsolete")

    def delete_cache_subnet_group(self: Any) -> Any:
        name = self._get_param("CacheSubnetGroupName")
        groups = self.elasticache_backend.cache_subnet_groups
        if name not in groups:
            raise exceptions.CacheSubnetGroupNotFound(name)
        del groups[name]
        return EmptyResult()

    response_cls.delete_cache_subnet_group = delete_cache_subnet_group


@patch(
    "elasticache-user-groups",
    "CreateUserGroup, DescribeUserGroups, ModifyUserGroup and DeleteUserGroup are not implemented (an "
    "aws_elasticache_user_group cannot be created: gateway.redis.iamAuth), and ListTagsForResource refuses a "
    "usergroup ARN (InvalidARN), which the provider reads after every create and refresh.",
)
def _elasticache_user_groups() -> None:
    import re

    from moto.core.responses import ActionResult
    from moto.elasticache import exceptions, models, responses

    response_cls = responses.ElastiCacheResponse
    backend_cls = models.ElastiCacheBackend
    for name in ("create_user_group", "describe_user_groups", "modify_user_group", "delete_user_group"):
        if hasattr(response_cls, name):
            raise RuntimeError(f"moto changed: ElastiCacheResponse.{name} exists; this patch is obsolete")
    original_init = _require(backend_cls, "__init__")

    class UserGroupNotFound(exceptions.ElastiCacheException):  # type: ignore[misc]
        __module__ = exceptions.__name__  # moto finds the error's service model through it
        code = "UserGroupNotFound"

        def __init__(self, user_group_id: str) -> None:
            super().__init__(f"User group {user_group_id} not found.")

    class UserGroupAlreadyExists(exceptions.ElastiCacheException):  # type: ignore[misc]
        __module__ = exceptions.__name__  # moto finds the error's service model through it
        code = "UserGroupAlreadyExists"

        def __init__(self, user_group_id: str) -> None:
            super().__init__(f"User group {user_group_id} already exists.")

    class DefaultUserRequired(exceptions.ElastiCacheException):  # type: ignore[misc]
        __module__ = exceptions.__name__  # moto finds the error's service model through it
        code = "DefaultUserRequired"

        def __init__(self) -> None:
            super().__init__("A user named default must be in the user group.")

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.user_groups = {}
        # AWS tags user groups like the other ElastiCache resources (arn:...:usergroup:<id>).
        pattern = _require(self, "arn_regex").pattern
        if "|user)" not in pattern:
            raise RuntimeError(f"moto changed: ElastiCacheBackend.arn_regex is {pattern!r}")
        self.arn_regex = re.compile(pattern.replace("|user)", "|user|usergroup)"))

    def users_of(backend: Any, user_ids: List[str]) -> List[Any]:
        missing = [u for u in user_ids if u not in backend.users]
        if missing:
            raise exceptions.UserNotFound(missing[0])
        return [backend.users[u] for u in user_ids]

    def find(backend: Any, user_group_id: str) -> Dict[str, Any]:
        if user_group_id not in backend.user_groups:
            raise UserGroupNotFound(user_group_id)
        return backend.user_groups[user_group_id]

    def set_members(backend: Any, group: Dict[str, Any], user_ids: List[str]) -> None:
        users = users_of(backend, user_ids)
        # AWS: "A user named default must be included" (CreateUserGroup / ModifyUserGroup, DefaultUserRequired).
        if not any(u.name == "default" for u in users):
            raise DefaultUserRequired()
        for user in backend.users.values():
            if group["UserGroupId"] in user.user_group_ids and user.id not in user_ids:
                user.user_group_ids.remove(group["UserGroupId"])
        for user in users:
            if group["UserGroupId"] not in user.user_group_ids:
                user.user_group_ids.append(group["UserGroupId"])
        group["UserIds"] = list(user_ids)

    def create_user_group(self: Any) -> ActionResult:
        backend = self.elasticache_backend
        params = self._get_params()
        user_group_id = params.get("UserGroupId")
        if user_group_id in backend.user_groups:
            raise UserGroupAlreadyExists(user_group_id)
        group: Dict[str, Any] = {
            "UserGroupId": user_group_id,
            "Status": "active",  # AWS: "creating", then "active"; at once here
            "Engine": str(params.get("Engine", "")).lower(),
            "UserIds": [],
            "MinimumEngineVersion": "6.0",
            "PendingChanges": {},
            "ReplicationGroups": [],
            "ServerlessCaches": [],
            "ARN": f"arn:aws:elasticache:{backend.region_name}:{backend.account_id}:usergroup:{user_group_id}",
        }
        set_members(backend, group, list(params.get("UserIds") or []))
        backend.user_groups[user_group_id] = group
        if params.get("Tags"):
            backend.tagging_service.tag_resource(group["ARN"], params["Tags"])
        return ActionResult(group)

    def describe_user_groups(self: Any) -> ActionResult:
        backend = self.elasticache_backend
        user_group_id = self._get_param("UserGroupId")
        groups = [find(backend, user_group_id)] if user_group_id else list(backend.user_groups.values())
        for group in groups:
            group["ReplicationGroups"] = [
                rg_id for rg_id, rg in backend.replication_groups.items() if group["UserGroupId"] in (rg.user_group_ids or [])
            ]
        return ActionResult({"UserGroups": groups})

    def modify_user_group(self: Any) -> ActionResult:
        backend = self.elasticache_backend
        params = self._get_params()
        group = find(backend, params.get("UserGroupId"))
        wanted = [u for u in group["UserIds"] if u not in (params.get("UserIdsToRemove") or [])]
        wanted += [u for u in params.get("UserIdsToAdd") or [] if u not in wanted]
        set_members(backend, group, wanted)
        return ActionResult(group)

    def delete_user_group(self: Any) -> ActionResult:
        backend = self.elasticache_backend
        group = find(backend, self._get_param("UserGroupId"))
        # AWS answers "deleting" and the group disappears shortly after; here at once (the provider waits for it).
        del backend.user_groups[group["UserGroupId"]]
        for user in backend.users.values():
            if group["UserGroupId"] in user.user_group_ids:
                user.user_group_ids.remove(group["UserGroupId"])
        return ActionResult(dict(group, Status="deleting"))

    backend_cls.__init__ = __init__
    response_cls.create_user_group = create_user_group
    response_cls.describe_user_groups = describe_user_groups
    response_cls.modify_user_group = modify_user_group
    response_cls.delete_user_group = delete_user_group


# --- ECS ----------------------------------------------------------------------------------------------------------


@patch(
    "ecs-create-service-keeps-settings",
    "CreateService drops enableExecuteCommand, availabilityZoneRebalancing, deploymentConfiguration, "
    "healthCheckGracePeriodSeconds and other settings (UpdateService keeps them), so DescribeServices returns "
    "defaults and the provider plans an in-place update on each run.",
)
def _ecs_create_service() -> None:
    from moto.core.utils import camelcase_to_underscores
    from moto.ecs import responses

    response_cls = responses.EC2ContainerServiceResponse
    original = _require(response_cls, "create_service")
    # Parameters moto's CreateService already maps (some under other names); everything else is kept verbatim,
    # the way its UpdateService keeps every parameter.
    handled = {
        "cluster", "serviceName", "taskDefinition", "desiredCount", "loadBalancers", "schedulingStrategy",
        "serviceRegistries", "tags", "deploymentController", "launchType", "platformVersion", "propagateTags",
        "networkConfiguration", "role", "clientToken",
    }

    def create_service(self: Any) -> Any:
        result = original(self)
        cluster = self._get_param("cluster", "default")
        service = self.ecs_backend._get_service(cluster, self._get_param("serviceName"))
        for key, value in self._get_params().items():
            if key not in handled and value is not None:
                setattr(service, camelcase_to_underscores(key), value)
        return result

    response_cls.create_service = create_service


# --- CloudFront ---------------------------------------------------------------------------------------------------


def _cloudfront_urls(*paths: str) -> None:
    """Routes more CloudFront REST paths to moto's CloudFront responder (it picks the action from botocore's model)."""
    from moto.cloudfront import responses, urls

    for path in paths:
        urls.url_paths.setdefault("{0}/2020-05-31/" + path, responses.CloudFrontResponse.dispatch)


def _cloudfront_store(backend: Any, name: str) -> Dict[str, Any]:
    if not hasattr(backend, name):
        setattr(backend, name, {})
    return getattr(backend, name)


def _cloudfront_if_match(current: str, if_match: Optional[str]) -> None:
    from moto.cloudfront.exceptions import InvalidIfMatchVersion

    if if_match != current:
        raise InvalidIfMatchVersion


@patch(
    "cloudfront-vpc-origins",
    "The VPC origin API (CreateVpcOrigin, GetVpcOrigin, UpdateVpcOrigin, DeleteVpcOrigin, ListVpcOrigins) is not "
    "implemented (404), so aws_cloudfront_vpc_origin cannot be created. Stored as sent and reported Deployed at once "
    "(AWS takes minutes); deleting answers 404 afterwards, which ends the provider's wait. Like CloudFront, updating or "
    "deleting an origin that a distribution's origin names answers 409 (CannotUpdateEntityWhileInUse, "
    "CannotDeleteEntityWhileInUse; aws/aws-cdk#35765), so an in-place change of an origin in use fails here too.",
)
def _cloudfront_vpc_origins() -> None:
    from moto.cloudfront import responses
    from moto.cloudfront.models import random_id
    from moto.cloudfront.exceptions import CloudFrontException
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow

    response_cls = responses.CloudFrontResponse
    for name in ("create_vpc_origin", "get_vpc_origin", "update_vpc_origin", "delete_vpc_origin", "list_vpc_origins"):
        if hasattr(response_cls, name):
            raise RuntimeError(f"moto changed: CloudFrontResponse.{name} exists; this patch may be obsolete")

    class EntityNotFound(CloudFrontException):
        # moto finds an error's HTTP status in the service model named by the exception's module.
        __module__ = "moto.cloudfront.exceptions"

        def __init__(self, vpc_origin_id: str) -> None:
            super().__init__("EntityNotFound", f"The VPC origin {vpc_origin_id} does not exist.")

    class InUse(CloudFrontException):
        __module__ = "moto.cloudfront.exceptions"
        code = 409

        def __init__(self, error: str, vpc_origin_id: str, distribution_id: str) -> None:
            super().__init__(error, f"The VPC origin {vpc_origin_id} is in use by distribution {distribution_id}.")

    def refuse_in_use(self: Any, error: str, vpc_origin_id: str) -> None:
        for distribution in self.backend.distributions.values():
            for origin in distribution.distribution_config.Origins["Items"]:
                if (getattr(origin, "vpc_origin_config", None) or {}).get("VpcOriginId") == vpc_origin_id:
                    raise InUse(error, vpc_origin_id, distribution.distribution_id)

    def find(self: Any, vpc_origin_id: str) -> Dict[str, Any]:
        origin = _cloudfront_store(self.backend, "_emulator_vpc_origins").get(vpc_origin_id)
        if origin is None:
            raise EntityNotFound(vpc_origin_id)
        return origin

    def result(origin: Dict[str, Any]) -> ActionResult:
        return ActionResult({"VpcOrigin": origin["VpcOrigin"], "ETag": origin["ETag"], "Location": origin["Location"]})

    def create_vpc_origin(self: Any) -> ActionResult:
        vpc_origin_id = "vo_" + random_id(length=21)
        now = utcnow()
        arn = f"arn:aws:cloudfront::{self.current_account}:vpcorigin/{vpc_origin_id}"
        origin = {
            "VpcOrigin": {
                "Id": vpc_origin_id,
                "Arn": arn,
                "AccountId": self.current_account,
                "Status": "Deployed",
                "CreatedTime": now,
                "LastModifiedTime": now,
                "VpcOriginEndpointConfig": self._get_param("VpcOriginEndpointConfig", {}),
            },
            "ETag": random_id(),
            "Location": f"https://cloudfront.amazonaws.com/2020-05-31/vpc-origin/{vpc_origin_id}",
        }
        _cloudfront_store(self.backend, "_emulator_vpc_origins")[vpc_origin_id] = origin
        self.backend.tagger.tag_resource(arn, self._get_param("Tags.Items", []) or [])
        return result(origin)

    def get_vpc_origin(self: Any) -> ActionResult:
        return result(find(self, self._get_param("Id")))

    def update_vpc_origin(self: Any) -> ActionResult:
        origin = find(self, self._get_param("Id"))
        _cloudfront_if_match(origin["ETag"], self._get_param("IfMatch"))
        refuse_in_use(self, "CannotUpdateEntityWhileInUse", self._get_param("Id"))
        origin["VpcOrigin"]["VpcOriginEndpointConfig"] = self._get_param("VpcOriginEndpointConfig", {})
        origin["VpcOrigin"]["LastModifiedTime"] = utcnow()
        origin["ETag"] = random_id()
        return result(origin)

    def delete_vpc_origin(self: Any) -> ActionResult:
        vpc_origin_id = self._get_param("Id")
        origin = find(self, vpc_origin_id)
        _cloudfront_if_match(origin["ETag"], self._get_param("IfMatch"))
        refuse_in_use(self, "CannotDeleteEntityWhileInUse", vpc_origin_id)
        del _cloudfront_store(self.backend, "_emulator_vpc_origins")[vpc_origin_id]
        self.backend.tagger.delete_all_tags_for_resource(origin["VpcOrigin"]["Arn"])
        return result(origin)

    def list_vpc_origins(self: Any) -> ActionResult:
        items = [
            {k: o["VpcOrigin"][k] for k in ("Id", "Arn", "Status", "CreatedTime", "LastModifiedTime")}
            | {"Name": o["VpcOrigin"]["VpcOriginEndpointConfig"].get("Name"), "OriginEndpointArn": o["VpcOrigin"]["VpcOriginEndpointConfig"].get("Arn")}
            for o in _cloudfront_store(self.backend, "_emulator_vpc_origins").values()
        ]
        return ActionResult({"VpcOriginList": {"Marker": "", "MaxItems": 100, "IsTruncated": False, "Quantity": len(items), "Items": items or None}})

    _cloudfront_urls("vpc-origin$", "vpc-origin/(?P<vpc_origin_id>[^/]+)$")
    response_cls.create_vpc_origin = create_vpc_origin
    response_cls.get_vpc_origin = get_vpc_origin
    response_cls.update_vpc_origin = update_vpc_origin
    response_cls.delete_vpc_origin = delete_vpc_origin
    response_cls.list_vpc_origins = list_vpc_origins


@patch(
    "cloudfront-cache-policies",
    "The cache policy API (CreateCachePolicy, GetCachePolicy, UpdateCachePolicy, DeleteCachePolicy) is not "
    "implemented (404), so aws_cloudfront_cache_policy cannot be created. Stored as sent.",
)
def _cloudfront_cache_policies() -> None:
    from moto.cloudfront import responses
    from moto.cloudfront.models import random_id
    from moto.cloudfront.exceptions import CloudFrontException
    from moto.core.responses import ActionResult, EmptyResult
    from moto.core.utils import utcnow

    response_cls = responses.CloudFrontResponse
    for name in ("create_cache_policy", "get_cache_policy", "update_cache_policy", "delete_cache_policy"):
        if hasattr(response_cls, name):
            raise RuntimeError(f"moto changed: CloudFrontResponse.{name} exists; this patch may be obsolete")

    class NoSuchCachePolicy(CloudFrontException):
        __module__ = "moto.cloudfront.exceptions"

        def __init__(self, policy_id: str) -> None:
            super().__init__("NoSuchCachePolicy", f"The cache policy {policy_id} does not exist.")

    def find(self: Any, policy_id: str) -> Dict[str, Any]:
        policy = _cloudfront_store(self.backend, "_emulator_cache_policies").get(policy_id)
        if policy is None:
            raise NoSuchCachePolicy(policy_id)
        return policy

    def result(policy: Dict[str, Any]) -> ActionResult:
        return ActionResult({"CachePolicy": policy["CachePolicy"], "ETag": policy["ETag"], "Location": policy["Location"]})

    def create_cache_policy(self: Any) -> ActionResult:
        policy_id = f"{random_id(False, 8)}-{random_id(False, 4)}-{random_id(False, 4)}-{random_id(False, 4)}-{random_id(False, 12)}"
        policy = {
            "CachePolicy": {"Id": policy_id, "LastModifiedTime": utcnow(), "CachePolicyConfig": self._get_param("CachePolicyConfig", {})},
            "ETag": random_id(),
            "Location": f"https://cloudfront.amazonaws.com/2020-05-31/cache-policy/{policy_id}",
        }
        _cloudfront_store(self.backend, "_emulator_cache_policies")[policy_id] = policy
        return result(policy)

    def get_cache_policy(self: Any) -> ActionResult:
        return result(find(self, self._get_param("Id")))

    def update_cache_policy(self: Any) -> ActionResult:
        policy = find(self, self._get_param("Id"))
        _cloudfront_if_match(policy["ETag"], self._get_param("IfMatch"))
        policy["CachePolicy"]["CachePolicyConfig"] = self._get_param("CachePolicyConfig", {})
        policy["CachePolicy"]["LastModifiedTime"] = utcnow()
        policy["ETag"] = random_id()
        return result(policy)

    def delete_cache_policy(self: Any) -> ActionResult:
        policy_id = self._get_param("Id")
        policy = find(self, policy_id)
        _cloudfront_if_match(policy["ETag"], self._get_param("IfMatch"))
        del _cloudfront_store(self.backend, "_emulator_cache_policies")[policy_id]
        return EmptyResult()

    _cloudfront_urls("cache-policy$", "cache-policy/(?P<cache_policy_id>[^/]+)$")
    response_cls.create_cache_policy = create_cache_policy
    response_cls.get_cache_policy = get_cache_policy
    response_cls.update_cache_policy = update_cache_policy
    response_cls.delete_cache_policy = delete_cache_policy


@patch(
    "cloudfront-origin-vpc-origin-config",
    "CreateDistribution drops an origin's VpcOriginConfig (moto's Origin keeps only S3 and custom origin settings), "
    "so GetDistribution returns an origin without it and the provider plans to add vpc_origin_config on each run.",
)
def _cloudfront_origin_vpc_config() -> None:
    from moto.cloudfront import models

    origin_cls = models.Origin
    original_init = _require(origin_cls, "__init__")
    if hasattr(origin_cls, "vpc_origin_config"):
        raise RuntimeError("moto changed: Origin has vpc_origin_config; this patch may be obsolete")

    def __init__(self: Any, origin: Dict[str, Any]) -> None:
        original_init(self, origin)
        self.vpc_origin_config = origin.get("VpcOriginConfig")

    origin_cls.__init__ = __init__


@patch(
    "cloudfront-distribution-arn",
    "Distribution ARNs lack the empty region field (arn:aws:cloudfront:<account>:distribution/<id>; AWS: "
    "arn:aws:cloudfront::<account>:distribution/<id>), so the provider refuses them where an ARN is validated, "
    "e.g. aws_cloudwatch_log_delivery_source.resource_arn. Also marks distributions Deployed at once (AWS takes "
    "minutes, moto half a minute of polling per create, disable and delete).",
)
def _cloudfront_distribution_arn() -> None:
    from moto.cloudfront import models
    from moto.moto_api import state_manager
    from moto.utilities.utils import get_partition

    distribution_cls = models.Distribution
    original_init = _require(distribution_cls, "__init__")

    def __init__(self: Any, account_id: str, region_name: str, config: Dict[str, Any]) -> None:
        original_init(self, account_id, region_name, config)
        if self.arn != f"arn:{get_partition(region_name)}:cloudfront:{account_id}:distribution/{self.distribution_id}":
            raise RuntimeError("moto changed: Distribution.arn has another shape; this patch may be obsolete")
        self.arn = f"arn:{get_partition(region_name)}:cloudfront::{account_id}:distribution/{self.distribution_id}"

    distribution_cls.__init__ = __init__
    state_manager.set_transition(model_name="cloudfront::distribution", transition={"progression": "immediate"})


@patch(
    "cloudfront-cache-behavior-without-forwarded-values",
    "A cache behavior always gets ForwardedValues (QueryString false, Cookies none), also one that uses a cache "
    "policy, where AWS returns none (the two are exclusive), so the provider plans to remove forwarded_values on each "
    "run. Kept only when the request had it.",
)
def _cloudfront_forwarded_values() -> None:
    from moto.cloudfront import models

    behavior_cls = models.DefaultCacheBehaviour
    original_init = _require(behavior_cls, "__init__")

    def __init__(self: Any, config: Dict[str, Any]) -> None:
        had_forwarded_values = "ForwardedValues" in config
        original_init(self, config)
        if not had_forwarded_values and config.get("CachePolicyId"):
            self.forwarded_values = None

    behavior_cls.__init__ = __init__


@patch(
    "cloudfront-default-certificate-ssl-support-method",
    "ViewerCertificate gets SSLSupportMethod sni-only when none was sent, also with the cloudfront.net certificate, "
    "for which AWS returns none; the provider then plans ssl_support_method sni-only -> null on each run.",
)
def _cloudfront_ssl_support_method() -> None:
    from moto.cloudfront import models

    certificate_cls = models.ViewerCertificate
    original_init = _require(certificate_cls, "__init__")

    def __init__(self: Any, config: Dict[str, Any]) -> None:
        original_init(self, config)
        if not config.get("SSLSupportMethod") and not (config.get("ACMCertificateArn") or config.get("IAMCertificateId")):
            self.ssl_support_method = None

    certificate_cls.__init__ = __init__


# --- AWS Budgets ---------------------------------------------------------------------------------------------------


@patch(
    "budgets-subscribers-and-tags",
    "DescribeSubscribersForNotification, ListTagsForResource, TagResource and UntagResource are not implemented (500, "
    "the SDK retries): aws_budgets_budget reads each notification's subscribers and, with default_tags, the budget's "
    "tags; CreateBudget drops its ResourceTags.",
)
def _budgets_subscribers_and_tags() -> None:
    from moto.budgets import models, responses

    response_cls = responses.BudgetsResponse
    original_create = _require(response_cls, "create_budget")
    original_delete = _require(response_cls, "delete_budget")
    _require(models.Notification, "__init__")
    _require(models.BudgetsBackend, "describe_notifications_for_budget")

    def tag_store(backend: Any) -> Dict[str, Dict[str, str]]:
        if not hasattr(backend, "_emulator_tags"):
            backend._emulator_tags = {}
        return backend._emulator_tags

    def budget_arn(self: Any, account_id: str, name: str) -> str:
        return f"arn:{self.partition}:budgets::{account_id}:budget/{name}"

    def create_budget(self: Any) -> str:
        result = original_create(self)
        tags = {t["Key"]: t["Value"] for t in self._get_param("ResourceTags", []) or []}
        arn = budget_arn(self, self._get_param("AccountId"), self._get_param("Budget")["BudgetName"])
        tag_store(self.backend)[arn] = tags
        return result

    def delete_budget(self: Any) -> str:
        result = original_delete(self)
        tag_store(self.backend).pop(budget_arn(self, self._get_param("AccountId"), self._get_param("BudgetName")), None)
        return result

    def describe_subscribers_for_notification(self: Any) -> str:
        budget = self.backend.budgets[self._get_param("AccountId")][self._get_param("BudgetName")]
        wanted = self._get_param("Notification")
        keys = ("NotificationType", "ComparisonOperator", "Threshold", "ThresholdType")
        for notification in budget.notifications:
            if all(notification.details.get(k) == wanted.get(k) for k in keys):
                return json.dumps({"Subscribers": notification.subscribers, "NextToken": None})
        return json.dumps({"Subscribers": [], "NextToken": None})

    def list_tags_for_resource(self: Any) -> str:
        tags = tag_store(self.backend).get(self._get_param("ResourceARN"), {})
        return json.dumps({"ResourceTags": [{"Key": k, "Value": v} for k, v in tags.items()]})

    def tag_resource(self: Any) -> str:
        tags = tag_store(self.backend).setdefault(self._get_param("ResourceARN"), {})
        tags.update({t["Key"]: t["Value"] for t in self._get_param("ResourceTags", []) or []})
        return json.dumps({})

    def untag_resource(self: Any) -> str:
        tags = tag_store(self.backend).get(self._get_param("ResourceARN"), {})
        for key in self._get_param("ResourceTagKeys", []) or []:
            tags.pop(key, None)
        return json.dumps({})

    response_cls.create_budget = create_budget
    response_cls.delete_budget = delete_budget
    response_cls.describe_subscribers_for_notification = describe_subscribers_for_notification
    response_cls.list_tags_for_resource = list_tags_for_resource
    response_cls.tag_resource = tag_resource
    response_cls.untag_resource = untag_resource


@patch(
    "budgets-actions",
    "CreateBudgetAction, DescribeBudgetAction, UpdateBudgetAction and DeleteBudgetAction are not implemented (500, "
    "the SDK retries), so aws_budgets_budget_action cannot be created. A minimal store per budget: the action as "
    "created (status STANDBY, the state of an action whose threshold is not crossed), updates merged, tags kept on "
    "the action ARN (arn:...:budget/<name>/action/<id>, read back through the tag store of budgets-subscribers-and-tags), "
    "NotFoundException for an unknown action, and the budget's actions dropped with the budget.",
)
def _budgets_actions() -> None:
    import uuid

    from moto.budgets import exceptions, responses

    response_cls = responses.BudgetsResponse
    original_delete = _require(response_cls, "delete_budget")
    _require(exceptions, "NotFoundException")
    fields = ("NotificationType", "ActionType", "ActionThreshold", "Definition", "ExecutionRoleArn", "ApprovalModel", "Subscribers")

    def store(backend: Any) -> Dict[Any, Dict[str, Dict[str, Any]]]:
        if not hasattr(backend, "_emulator_budget_actions"):
            backend._emulator_budget_actions = {}
        return backend._emulator_budget_actions

    def tags(backend: Any) -> Dict[str, Dict[str, str]]:
        if not hasattr(backend, "_emulator_tags"):
            backend._emulator_tags = {}
        return backend._emulator_tags

    def action_arn(self: Any, account_id: str, budget: str, action_id: str) -> str:
        return f"arn:{self.partition}:budgets::{account_id}:budget/{budget}/action/{action_id}"

    def find(self: Any) -> Dict[str, Any]:
        account, budget, action_id = self._get_param("AccountId"), self._get_param("BudgetName"), self._get_param("ActionId")
        action = store(self.backend).get((account, budget), {}).get(action_id)
        if action is None:
            raise exceptions.NotFoundException(f"Unable to get action: {action_id} - the action does not exist.")
        return action

    def create_budget_action(self: Any) -> str:
        account, budget = self._get_param("AccountId"), self._get_param("BudgetName")
        if budget not in self.backend.budgets.get(account, {}):
            raise exceptions.NotFoundException(f"Unable to create action: budget {budget} does not exist.")
        action_id = str(uuid.uuid4())
        action = {"ActionId": action_id, "BudgetName": budget, "Status": "STANDBY"}
        action.update({k: self._get_param(k) for k in fields if self._get_param(k) is not None})
        store(self.backend).setdefault((account, budget), {})[action_id] = action
        tags(self.backend)[action_arn(self, account, budget, action_id)] = {
            t["Key"]: t["Value"] for t in self._get_param("ResourceTags", []) or []
        }
        return json.dumps({"AccountId": account, "BudgetName": budget, "ActionId": action_id})

    def describe_budget_action(self: Any) -> str:
        action = find(self)
        return json.dumps({"AccountId": self._get_param("AccountId"), "BudgetName": action["BudgetName"], "Action": action})

    def update_budget_action(self: Any) -> str:
        action = find(self)
        old = json.loads(json.dumps(action))
        action.update({k: self._get_param(k) for k in fields if self._get_param(k) is not None})
        return json.dumps({"AccountId": self._get_param("AccountId"), "BudgetName": action["BudgetName"], "OldAction": old, "NewAction": action})

    def delete_budget_action(self: Any) -> str:
        action = find(self)
        account, budget = self._get_param("AccountId"), action["BudgetName"]
        del store(self.backend)[(account, budget)][action["ActionId"]]
        tags(self.backend).pop(action_arn(self, account, budget, action["ActionId"]), None)
        return json.dumps({"AccountId": account, "BudgetName": budget, "Action": action})

    def delete_budget(self: Any) -> str:
        result = original_delete(self)
        account, budget = self._get_param("AccountId"), self._get_param("BudgetName")
        for action_id in store(self.backend).pop((account, budget), {}):
            tags(self.backend).pop(action_arn(self, account, budget, action_id), None)
        return result

    response_cls.create_budget_action = create_budget_action
    response_cls.describe_budget_action = describe_budget_action
    response_cls.update_budget_action = update_budget_action
    response_cls.delete_budget_action = delete_budget_action
    response_cls.delete_budget = delete_budget


# --- Bedrock ------------------------------------------------------------------------------------------------------


@patch(
    "bedrock-guardrails",
    "CreateGuardrail, GetGuardrail, UpdateGuardrail, DeleteGuardrail, CreateGuardrailVersion and ListGuardrails are "
    "not implemented (moto answers an error for every call), so aws_bedrock_guardrail and "
    "aws_bedrock_guardrail_version cannot be created. A minimal stateful store: the DRAFT and numbered versions "
    "(immutable copies of the DRAFT), READY at once, the Get output shapes the provider reads, tags on the "
    "guardrail ARN, and ResourceNotFoundException for a deleted guardrail or version.",
)
def _bedrock_guardrails() -> None:
    import copy
    import datetime
    import random
    import string
    from urllib.parse import unquote

    from moto.bedrock import exceptions, models, responses

    backend_cls = models.BedrockBackend
    response_cls = responses.BedrockResponse
    original_list_arns = _require(backend_cls, "_list_arns")
    for name in ("create_guardrail", "get_guardrail", "create_guardrail_version"):
        if hasattr(response_cls, name):
            raise RuntimeError(f"moto changed: BedrockResponse.{name} exists; this patch may be obsolete")

    # CreateGuardrail input member -> GetGuardrail output member, and the renamed list inside each policy.
    policies = {
        "topicPolicyConfig": ("topicPolicy", {"topicsConfig": "topics"}),
        "contentPolicyConfig": ("contentPolicy", {"filtersConfig": "filters"}),
        "wordPolicyConfig": ("wordPolicy", {"wordsConfig": "words", "managedWordListsConfig": "managedWordLists"}),
        "sensitiveInformationPolicyConfig": ("sensitiveInformationPolicy", {"piiEntitiesConfig": "piiEntities", "regexesConfig": "regexes"}),
        "contextualGroundingPolicyConfig": ("contextualGroundingPolicy", {"filtersConfig": "filters"}),
    }

    def store(backend: Any) -> Dict[str, Dict[str, Any]]:
        if not hasattr(backend, "_emulator_guardrails"):
            backend._emulator_guardrails = {}
        return backend._emulator_guardrails

    def now() -> str:
        return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def definition(params: Dict[str, Any]) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        for key in ("name", "description", "blockedInputMessaging", "blockedOutputsMessaging"):
            if params.get(key) is not None:
                out[key] = params[key]
        if params.get("kmsKeyId"):
            out["kmsKeyArn"] = params["kmsKeyId"]
        for config_key, (output_key, lists) in policies.items():
            if params.get(config_key):
                out[output_key] = {lists.get(k, k): copy.deepcopy(v) for k, v in params[config_key].items()}
        return out

    def find(self: Any, identifier: str) -> Dict[str, Any]:
        identifier = unquote(identifier)
        guardrail_id = identifier.rsplit("/", 1)[-1]
        guardrail = store(self.bedrock_backend).get(guardrail_id)
        if guardrail is None:
            raise exceptions.ResourceNotFoundException(f"Guardrail {identifier} not found")
        return guardrail

    def identifier_from_path(self: Any) -> str:
        # /guardrails/{guardrailIdentifier}: the identifier may be an ARN, percent-encoded by the SDK.
        return unquote(self.path.split("?")[0].split("/guardrails/", 1)[1])

    def version_param(self: Any) -> Optional[str]:
        values = self.querystring.get("guardrailVersion")
        return values[0] if values else None

    def create_guardrail(self: Any) -> Any:
        params = json.loads(self.body or "{}")
        backend = self.bedrock_backend
        guardrail_id = "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(12))
        arn = f"arn:aws:bedrock:{backend.region_name}:{backend.account_id}:guardrail/{guardrail_id}"
        created = now()
        draft = {**definition(params), "guardrailId": guardrail_id, "guardrailArn": arn, "version": "DRAFT", "status": "READY", "createdAt": created, "updatedAt": created}
        store(backend)[guardrail_id] = {"arn": arn, "draft": draft, "versions": {}, "next": 1}
        tags = params.get("tags") or []
        if tags:
            backend.tagger.tag_resource(arn, [{"Key": t["key"], "Value": t["value"]} for t in tags])
        return 202, {}, json.dumps({"guardrailId": guardrail_id, "guardrailArn": arn, "version": "DRAFT", "createdAt": created})

    def get_guardrail(self: Any) -> Any:
        guardrail = find(self, identifier_from_path(self))
        version = version_param(self) or "DRAFT"
        body = guardrail["draft"] if version == "DRAFT" else guardrail["versions"].get(version)
        if body is None:
            raise exceptions.ResourceNotFoundException(f"Guardrail {guardrail['arn']} version {version} not found")
        return 200, {}, json.dumps(body)

    def update_guardrail(self: Any) -> Any:
        guardrail = find(self, identifier_from_path(self))
        params = json.loads(self.body or "{}")
        draft = guardrail["draft"]
        keep = {k: draft[k] for k in ("guardrailId", "guardrailArn", "version", "status", "createdAt")}
        guardrail["draft"] = {**definition(params), **keep, "updatedAt": now()}
        return 202, {}, json.dumps({"guardrailId": keep["guardrailId"], "guardrailArn": keep["guardrailArn"], "version": "DRAFT", "updatedAt": guardrail["draft"]["updatedAt"]})

    def create_guardrail_version(self: Any) -> Any:
        guardrail = find(self, identifier_from_path(self))
        params = json.loads(self.body or "{}")
        version = str(guardrail["next"])
        guardrail["next"] += 1
        snapshot = copy.deepcopy(guardrail["draft"])
        snapshot.update(version=version, createdAt=now(), updatedAt=now())
        if params.get("description") is not None:
            snapshot["description"] = params["description"]
        else:
            snapshot.pop("description", None)
        guardrail["versions"][version] = snapshot
        return 202, {}, json.dumps({"guardrailId": snapshot["guardrailId"], "version": version})

    def delete_guardrail(self: Any) -> Any:
        guardrail = find(self, identifier_from_path(self))
        version = version_param(self)
        if version is None:
            # Without a version AWS deletes the guardrail and every version.
            del store(self.bedrock_backend)[guardrail["draft"]["guardrailId"]]
            self.bedrock_backend.tagger.delete_all_tags_for_resource(guardrail["arn"])
        elif guardrail["versions"].pop(version, None) is None:
            raise exceptions.ResourceNotFoundException(f"Guardrail {guardrail['arn']} version {version} not found")
        return 202, {}, json.dumps({})

    def list_guardrails(self: Any) -> Any:
        summaries = [
            {k: g["draft"].get(k) for k in ("guardrailId", "guardrailArn", "name", "description", "version", "status", "createdAt", "updatedAt") if g["draft"].get(k) is not None}
            for g in store(self.bedrock_backend).values()
        ]
        return 200, {}, json.dumps({"guardrails": [{**s, "id": s["guardrailId"], "arn": s["guardrailArn"]} for s in summaries]})

    def list_arns(self: Any) -> List[str]:
        return original_list_arns(self) + [g["arn"] for g in store(self).values()]

    backend_cls._list_arns = list_arns
    response_cls.create_guardrail = create_guardrail
    response_cls.get_guardrail = get_guardrail
    response_cls.update_guardrail = update_guardrail
    response_cls.create_guardrail_version = create_guardrail_version
    response_cls.delete_guardrail = delete_guardrail
    response_cls.list_guardrails = list_guardrails


@patch(
    "bedrock-inference-profiles",
    "CreateInferenceProfile, GetInferenceProfile, DeleteInferenceProfile and ListInferenceProfiles are not "
    "implemented (moto answers an error for every call), so aws_bedrock_inference_profile (gateway.costAttribution) "
    "cannot be created. A minimal stateful store of application profiles: ACTIVE at once, an ARN "
    "application-inference-profile/<12 characters>, `models` the copied model (a foundation model as it is; a system "
    "profile's model in the source region only: moto knows no destinations), tags on the profile ARN, and "
    "ResourceNotFoundException once deleted, which ends the provider's wait.",
)
def _bedrock_inference_profiles() -> None:
    import datetime
    import random
    import string
    from urllib.parse import unquote

    from moto.bedrock import exceptions, models, responses

    backend_cls = models.BedrockBackend
    response_cls = responses.BedrockResponse
    previous_list_arns = _require(backend_cls, "_list_arns")
    for name in ("create_inference_profile", "get_inference_profile", "delete_inference_profile", "list_inference_profiles"):
        if hasattr(response_cls, name):
            raise RuntimeError(f"moto changed: BedrockResponse.{name} exists; this patch may be obsolete")

    def store(backend: Any) -> Dict[str, Dict[str, Any]]:
        if not hasattr(backend, "_emulator_inference_profiles"):
            backend._emulator_inference_profiles = {}
        return backend._emulator_inference_profiles

    def now() -> str:
        return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def copied_models(copy_from: str) -> List[Dict[str, str]]:
        # arn:<p>:bedrock:<region>:<account>:inference-profile/<prefix>.<model> -> that model in the source region.
        parts = copy_from.split(":", 5)
        if len(parts) == 6 and parts[5].startswith("inference-profile/"):
            model = parts[5].split("/", 1)[1].split(".", 1)[-1]
            return [{"modelArn": f"arn:{parts[1]}:bedrock:{parts[3]}::foundation-model/{model}"}]
        return [{"modelArn": copy_from}]

    def find(self: Any) -> Dict[str, Any]:
        # /inference-profiles/{inferenceProfileIdentifier}: an id or an ARN, percent-encoded by the SDK.
        identifier = unquote(self.path.split("?")[0].split("/inference-profiles/", 1)[1])
        profile = store(self.bedrock_backend).get(identifier.rsplit("/", 1)[-1])
        if profile is None:
            raise exceptions.ResourceNotFoundException(f"Inference profile {identifier} not found")
        return profile

    def create_inference_profile(self: Any) -> Any:
        params = json.loads(self.body or "{}")
        backend = self.bedrock_backend
        name = params.get("inferenceProfileName")
        if any(p["inferenceProfileName"] == name for p in store(backend).values()):
            raise exceptions.ValidationException(f"Inference profile {name} already exists")
        profile_id = "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(12))
        arn = f"arn:aws:bedrock:{backend.region_name}:{backend.account_id}:application-inference-profile/{profile_id}"
        created = now()
        profile = {
            "inferenceProfileName": name,
            "createdAt": created,
            "updatedAt": created,
            "inferenceProfileArn": arn,
            "models": copied_models((params.get("modelSource") or {}).get("copyFrom", "")),
            "inferenceProfileId": profile_id,
            "status": "ACTIVE",
            "type": "APPLICATION",
        }
        if params.get("description") is not None:
            profile["description"] = params["description"]
        store(backend)[profile_id] = profile
        tags = params.get("tags") or []
        if tags:
            backend.tagger.tag_resource(arn, [{"Key": t["key"], "Value": t["value"]} for t in tags])
        return 201, {}, json.dumps({"inferenceProfileArn": arn, "status": "ACTIVE"})

    def get_inference_profile(self: Any) -> Any:
        return 200, {}, json.dumps(find(self))

    def delete_inference_profile(self: Any) -> Any:
        profile = find(self)
        del store(self.bedrock_backend)[profile["inferenceProfileId"]]
        self.bedrock_backend.tagger.delete_all_tags_for_resource(profile["inferenceProfileArn"])
        return 200, {}, json.dumps({})

    def list_inference_profiles(self: Any) -> Any:
        # System profiles are AWS's: the emulator has none, so only the application ones are listed (any typeEquals).
        wanted = (self.querystring.get("type") or [None])[0]
        profiles = [p for p in store(self.bedrock_backend).values() if wanted in (None, p["type"])]
        return 200, {}, json.dumps({"inferenceProfileSummaries": profiles})

    def list_arns(self: Any) -> List[str]:
        return previous_list_arns(self) + [p["inferenceProfileArn"] for p in store(self).values()]

    backend_cls._list_arns = list_arns
    response_cls.create_inference_profile = create_inference_profile
    response_cls.get_inference_profile = get_inference_profile
    response_cls.delete_inference_profile = delete_inference_profile
    response_cls.list_inference_profiles = list_inference_profiles


PASSWORD_DIGESTS_PATH = "/_emulator/rds-cluster-password-digests"


def rds_cluster_password_digests() -> Dict[str, str]:
    """SHA-256 of each RDS cluster's master password as moto holds it (CreateDBCluster, ModifyDBCluster)."""
    from moto.rds.models import rds_backends

    digests: Dict[str, str] = {}
    for account in rds_backends.values():
        for backend in account.values():
            for cluster_id, cluster in backend.clusters.items():
                password = getattr(cluster, "_master_user_password", None)
                if password:
                    digests[cluster_id] = hashlib.sha256(password.encode()).hexdigest()
    return digests


def with_emulator_routes(app: Callable[..., Any]) -> Callable[..., Any]:
    """The WSGI app, with the emulator's own route (module docstring) answered before moto sees the request."""

    def routed(environ: Dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") == PASSWORD_DIGESTS_PATH and environ.get("REQUEST_METHOD") == "GET":
            body = json.dumps(rds_cluster_password_digests()).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return app(environ, start_response)

    return routed


def apply_patches(skip: Optional[List[str]] = None) -> List[str]:
    import moto

    unknown = set(skip or []) - {p["name"] for p in PATCHES}
    if unknown:
        raise SystemExit(f"moto_launcher: unknown patch name(s) to skip: {', '.join(sorted(unknown))}")

    if moto.__version__ != TESTED_MOTO_VERSION:
        print(
            f"moto_launcher: warning: patches were written for moto {TESTED_MOTO_VERSION}, this is {moto.__version__}",
            file=sys.stderr,
        )
    applied = []
    for p in PATCHES:
        if p["name"] in (skip or []):
            continue
        p["apply"]()
        applied.append(p["name"])
    return applied


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="loopback only by default; the emulator has no auth")
    parser.add_argument("--port", type=int, default=0, help="0 = a free port chosen by the kernel")
    parser.add_argument("--max-seconds", type=float, default=3600, help="hard stop, in case the parent never says so")
    parser.add_argument("--list-patches", action="store_true", help="print the patches as JSON and exit")
    parser.add_argument(
        "--skip", action="append", default=[], metavar="NAME",
        help="leave this patch out (to check whether a newer moto still needs it)",
    )
    args = parser.parse_args(argv)

    if args.list_patches:
        print(json.dumps([{"name": p["name"], "why": p["why"]} for p in PATCHES], indent=2))
        return 0

    import moto
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    applied = apply_patches(args.skip)
    app = with_emulator_routes(DomainDispatcherApplication(create_backend_app))
    server = make_server(args.host, args.port, app, threaded=True)
    port = server.server_port
    # moto builds some URLs (SQS queue URLs, pre-signed S3 URLs) from MOTO_PORT.
    os.environ["MOTO_PORT"] = str(port)

    stopping = threading.Event()

    def stop(reason: str) -> None:
        if not stopping.is_set():
            stopping.set()
            print(f"moto_launcher: stopping ({reason})", file=sys.stderr, flush=True)
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, lambda *_: stop("SIGTERM"))
    signal.signal(signal.SIGINT, lambda *_: stop("SIGINT"))

    def watch_stdin() -> None:
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except Exception:
            pass
        stop("stdin closed: the parent process is gone")

    def watch_clock() -> None:
        if not stopping.wait(args.max_seconds):
            stop(f"--max-seconds {args.max_seconds:g} reached")

    threading.Thread(target=watch_stdin, daemon=True).start()
    threading.Thread(target=watch_clock, daemon=True).start()

    print(
        json.dumps({"event": "listening", "host": args.host, "port": port, "pid": os.getpid(), "moto": moto.__version__, "patches": applied}),
        flush=True,
    )
    started = time.monotonic()
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    print(f"moto_launcher: stopped after {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Each emulator-gap patch of moto_launcher.py, checked through the AWS API in a few seconds (the emulator tier
itself takes minutes). Run: python3 -m unittest discover -s scripts/emulator -p 'test_*.py' -v

Skipped, loudly, where moto is not installed; under CI=true that is a failure instead.
"""
import json
import logging
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import boto3
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    import moto_launcher

    MISSING = None
except ImportError as e:  # pragma: no cover - depends on the machine
    MISSING = str(e)
    if os.environ.get("CI") == "true":
        raise

ACCOUNT = "123456789012"


@unittest.skipIf(MISSING, f"moto[server] is not installed: {MISSING}")
class PatchedMotoTest(unittest.TestCase):
    server: "ThreadedMotoServer"
    endpoint: str

    @classmethod
    def setUpClass(cls) -> None:
        moto_launcher.apply_patches()
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log in the test output
        cls.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        cls.server.start()
        host, port = cls.server.get_host_and_port()
        cls.endpoint = f"http://{host}:{port}"

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.stop()

    def client(self, service: str):  # type: ignore[no-untyped-def]
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="emulator",
            aws_secret_access_key="emulator",
        )

    def vpc(self, cidr: str) -> tuple:
        ec2 = self.client("ec2")
        vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
        base = cidr.split("/")[0].rsplit(".", 2)[0]
        subnets = [
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"{base}.{i}.0/24", AvailabilityZone=f"us-east-1{az}")["Subnet"]["SubnetId"]
            for i, az in ((1, "a"), (2, "b"))
        ]
        return vpc, subnets

    def valkey_group(self, group_id: str, cidr: str, **extra) -> str:  # type: ignore[no-untyped-def]
        """A one-VPC Valkey 8.0 replication group on its own subnet group and security group; returns the security group id."""
        ec2, ec = self.client("ec2"), self.client("elasticache")
        vpc, subnets = self.vpc(cidr)
        sg = ec2.create_security_group(GroupName=group_id, Description="redis", VpcId=vpc)["GroupId"]
        ec.create_cache_subnet_group(CacheSubnetGroupName=group_id, CacheSubnetGroupDescription="d", SubnetIds=subnets)
        ec.create_replication_group(
            ReplicationGroupId=group_id,
            ReplicationGroupDescription="d",
            Engine="valkey",
            EngineVersion="8.0",
            CacheNodeType="cache.t4g.micro",
            CacheSubnetGroupName=group_id,
            SecurityGroupIds=[sg],
            **{"NumCacheClusters": 1, **extra},
        )
        return sg

    def test_applicationautoscaling_tags_are_stored(self) -> None:
        aas = self.client("application-autoscaling")
        arn = aas.register_scalable_target(
            ServiceNamespace="dynamodb",
            ResourceId="table/t",
            ScalableDimension="dynamodb:table:ReadCapacityUnits",
            MinCapacity=1,
            MaxCapacity=2,
            Tags={"env": "dev"},
        )["ScalableTargetARN"]
        aas.tag_resource(ResourceARN=arn, Tags={"team": "x"})
        aas.untag_resource(ResourceARN=arn, TagKeys=["env"])
        self.assertEqual(aas.list_tags_for_resource(ResourceARN=arn)["Tags"], {"team": "x"})

    def test_route53_zone_with_vpc_is_private(self) -> None:
        vpc, _ = self.vpc("10.1.0.0/16")
        zone = self.client("route53").create_hosted_zone(
            Name="example.internal", CallerReference="r1", VPC={"VPCRegion": "us-east-1", "VPCId": vpc}
        )
        self.assertTrue(zone["HostedZone"]["Config"]["PrivateZone"])
        self.assertEqual(zone["VPC"]["VPCId"], vpc)

    def test_group_referencing_rule_keeps_description(self) -> None:
        ec2 = self.client("ec2")
        vpc, _ = self.vpc("10.2.0.0/16")
        a = ec2.create_security_group(GroupName="a", Description="a", VpcId=vpc)["GroupId"]
        b = ec2.create_security_group(GroupName="b", Description="b", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=a,
            IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": b, "Description": "from b"}]}],
        )
        rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [a]}])["SecurityGroupRules"]
        self.assertEqual([r.get("Description") for r in rules if not r["IsEgress"]], ["from b"])

    def test_bucket_policy_secure_transport_deny_does_not_block_sdk_calls(self) -> None:
        s3 = self.client("s3")
        s3.create_bucket(Bucket="state")
        deny_insecure = {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::state", "arn:aws:s3:::state/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
        s3.put_bucket_policy(Bucket="state", Policy=json.dumps({"Version": "2012-10-17", "Statement": [deny_insecure]}))
        s3.put_object(Bucket="state", Key="k", Body=b"state")
        self.assertEqual(s3.get_object(Bucket="state", Key="k")["Body"].read(), b"state")
        # The stored policy is what was written, and an unconditional deny still denies.
        self.assertIn("SecureTransport", s3.get_bucket_policy(Bucket="state")["Policy"])
        deny_all = {**deny_insecure, "Action": "s3:GetObject"}
        del deny_all["Condition"]
        s3.put_bucket_policy(Bucket="state", Policy=json.dumps({"Version": "2012-10-17", "Statement": [deny_all]}))
        with self.assertRaises(Exception):
            s3.get_object(Bucket="state", Key="k")

    def test_serverless_v2_cluster_has_no_scaling_configuration_and_instance_keeps_performance_insights(self) -> None:
        rds = self.client("rds")
        cluster = rds.create_db_cluster(
            DBClusterIdentifier="db",
            Engine="aurora-postgresql",
            EngineVersion="16.6",
            MasterUsername="litellm",
            MasterUserPassword="password123",
            ServerlessV2ScalingConfiguration={"MinCapacity": 0.5, "MaxCapacity": 1},
        )["DBCluster"]
        self.assertNotIn("ScalingConfigurationInfo", cluster)
        described = rds.describe_db_clusters(DBClusterIdentifier="db")["DBClusters"][0]
        self.assertNotIn("ScalingConfigurationInfo", described)
        rds.create_db_instance(
            DBInstanceIdentifier="db-writer",
            DBClusterIdentifier="db",
            Engine="aurora-postgresql",
            DBInstanceClass="db.serverless",
            EnablePerformanceInsights=True,
        )
        instance = rds.describe_db_instances(DBInstanceIdentifier="db-writer")["DBInstances"][0]
        self.assertTrue(instance["PerformanceInsightsEnabled"])
        self.assertEqual(instance["PerformanceInsightsRetentionPeriod"], 7)
        rds.modify_db_instance(DBInstanceIdentifier="db-writer", PerformanceInsightsRetentionPeriod=31, ApplyImmediately=True)
        instance = rds.describe_db_instances(DBInstanceIdentifier="db-writer")["DBInstances"][0]
        self.assertEqual(instance["PerformanceInsightsRetentionPeriod"], 31)

    def test_replication_group_members_exist_and_deletes_complete(self) -> None:
        ec = self.client("elasticache")
        sg = self.valkey_group("rg", "10.3.0.0/16", AtRestEncryptionEnabled=True, TransitEncryptionEnabled=True)
        member = ec.describe_cache_clusters(CacheClusterId="rg-001", ShowCacheNodeInfo=True)["CacheClusters"][0]
        self.assertTrue(member["AtRestEncryptionEnabled"])
        self.assertEqual(member["TransitEncryptionMode"], "required")
        self.assertEqual(member["SecurityGroups"], [{"SecurityGroupId": sg, "Status": "active"}])
        self.assertEqual(member["CacheParameterGroup"]["CacheParameterGroupName"], "default.valkey8")
        ec.delete_replication_group(ReplicationGroupId="rg")
        with self.assertRaises(ec.exceptions.ReplicationGroupNotFoundFault):
            ec.describe_replication_groups(ReplicationGroupId="rg")
        with self.assertRaises(ec.exceptions.CacheClusterNotFoundFault):
            ec.describe_cache_clusters(CacheClusterId="rg-001")
        ec.delete_cache_subnet_group(CacheSubnetGroupName="rg")
        with self.assertRaises(ec.exceptions.CacheSubnetGroupNotFoundFault):
            ec.delete_cache_subnet_group(CacheSubnetGroupName="rg")

    def test_user_groups_with_an_iam_user_and_a_disabled_default(self) -> None:
        ec = self.client("elasticache")
        tags = [{"Key": "env", "Value": "prod"}]
        ec.create_user(UserId="app-litellm", UserName="app-litellm", Engine="redis", AccessString="on ~* &* +@all", AuthenticationMode={"Type": "iam"}, Tags=tags)
        ec.create_user(UserId="app-default", UserName="default", Engine="redis", AccessString="off -@all", NoPasswordRequired=True, Tags=tags)
        with self.assertRaises(ec.exceptions.DefaultUserRequired):
            ec.create_user_group(UserGroupId="no-default", Engine="redis", UserIds=["app-litellm"])
        group = ec.create_user_group(UserGroupId="app-users", Engine="redis", UserIds=["app-default", "app-litellm"], Tags=tags)
        self.assertEqual(group["Status"], "active")
        self.assertEqual(group["ARN"], f"arn:aws:elasticache:us-east-1:{ACCOUNT}:usergroup:app-users")
        # The provider reads the tags of every resource it manages through ListTagsForResource.
        self.assertEqual(ec.list_tags_for_resource(ResourceName=group["ARN"])["TagList"], tags)
        self.valkey_group("rg3", "10.5.0.0/16", TransitEncryptionEnabled=True, UserGroupIds=["app-users"])
        self.assertEqual(ec.describe_replication_groups(ReplicationGroupId="rg3")["ReplicationGroups"][0]["UserGroupIds"], ["app-users"])
        described = ec.describe_user_groups(UserGroupId="app-users")["UserGroups"][0]
        self.assertEqual((described["UserIds"], described["ReplicationGroups"]), (["app-default", "app-litellm"], ["rg3"]))
        users = {u["UserId"]: u for u in ec.describe_users()["Users"]}
        self.assertEqual(users["app-litellm"]["Authentication"]["Type"], "iam")
        self.assertEqual(users["app-default"]["Authentication"]["Type"], "no-password")
        self.assertEqual(users["app-litellm"]["UserGroupIds"], ["app-users"])
        ec.modify_user_group(UserGroupId="app-users", UserIdsToRemove=["app-litellm"])
        self.assertEqual(ec.describe_user_groups(UserGroupId="app-users")["UserGroups"][0]["UserIds"], ["app-default"])
        with self.assertRaises(ec.exceptions.DefaultUserRequired):
            ec.modify_user_group(UserGroupId="app-users", UserIdsToRemove=["app-default"])
        ec.delete_replication_group(ReplicationGroupId="rg3")
        ec.delete_user_group(UserGroupId="app-users")
        with self.assertRaises(ec.exceptions.UserGroupNotFoundFault):
            ec.describe_user_groups(UserGroupId="app-users")
        self.assertEqual(ec.describe_users(UserId="app-default")["Users"][0]["UserGroupIds"], [])

    def test_replication_group_has_num_cache_clusters_members(self) -> None:
        ec = self.client("elasticache")
        self.valkey_group("rg2", "10.4.0.0/16", NumCacheClusters=2, AutomaticFailoverEnabled=True, MultiAZEnabled=True)
        group = ec.describe_replication_groups(ReplicationGroupId="rg2")["ReplicationGroups"][0]
        self.assertEqual(group["MemberClusters"], ["rg2-001", "rg2-002"])
        for member in group["MemberClusters"]:
            self.assertEqual(ec.describe_cache_clusters(CacheClusterId=member)["CacheClusters"][0]["ReplicationGroupId"], "rg2")
        ec.delete_replication_group(ReplicationGroupId="rg2")

    def test_create_service_keeps_settings(self) -> None:
        ecs = self.client("ecs")
        ecs.create_cluster(clusterName="c")
        ecs.register_task_definition(family="f", containerDefinitions=[{"name": "app", "image": "x", "memory": 512}])
        ecs.create_service(
            cluster="c",
            serviceName="s",
            taskDefinition="f",
            desiredCount=1,
            enableExecuteCommand=True,
            availabilityZoneRebalancing="ENABLED",
            healthCheckGracePeriodSeconds=300,
            deploymentConfiguration={
                "maximumPercent": 200,
                "minimumHealthyPercent": 100,
                "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            },
        )
        service = ecs.describe_services(cluster="c", services=["s"])["services"][0]
        self.assertTrue(service["enableExecuteCommand"])
        self.assertEqual(service["availabilityZoneRebalancing"], "ENABLED")
        self.assertEqual(service["healthCheckGracePeriodSeconds"], 300)
        self.assertEqual(service["deploymentConfiguration"]["deploymentCircuitBreaker"], {"enable": True, "rollback": True})

    def test_budget_subscribers_and_tags_are_kept(self) -> None:
        budgets = self.client("budgets")
        notification = {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 80.0, "ThresholdType": "PERCENTAGE"}
        subscribers = [{"SubscriptionType": "SNS", "Address": f"arn:aws:sns:us-east-1:{ACCOUNT}:alarms"}]
        budgets.create_budget(
            AccountId=ACCOUNT,
            Budget={"BudgetName": "b", "BudgetLimit": {"Amount": "100.0", "Unit": "USD"}, "TimeUnit": "MONTHLY", "BudgetType": "COST"},
            NotificationsWithSubscribers=[{"Notification": notification, "Subscribers": subscribers}],
            ResourceTags=[{"Key": "env", "Value": "dev"}],
        )
        found = budgets.describe_subscribers_for_notification(AccountId=ACCOUNT, BudgetName="b", Notification=notification)
        self.assertEqual(found["Subscribers"], subscribers)
        arn = f"arn:aws:budgets::{ACCOUNT}:budget/b"
        budgets.tag_resource(ResourceARN=arn, ResourceTags=[{"Key": "team", "Value": "x"}])
        budgets.untag_resource(ResourceARN=arn, ResourceTagKeys=["env"])
        self.assertEqual(budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"], [{"Key": "team", "Value": "x"}])
        budgets.delete_budget(AccountId=ACCOUNT, BudgetName="b")
        self.assertEqual(budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"], [])

    def test_budget_actions_are_kept_updated_and_deleted(self) -> None:
        budgets = self.client("budgets")
        budgets.create_budget(
            AccountId=ACCOUNT,
            Budget={"BudgetName": "ba", "BudgetLimit": {"Amount": "100.0", "Unit": "USD"}, "TimeUnit": "MONTHLY", "BudgetType": "COST"},
        )
        definition = {"IamActionDefinition": {"PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/deny", "Roles": ["task"]}}
        created = budgets.create_budget_action(
            AccountId=ACCOUNT,
            BudgetName="ba",
            NotificationType="ACTUAL",
            ActionType="APPLY_IAM_POLICY",
            ActionThreshold={"ActionThresholdValue": 150.0, "ActionThresholdType": "ABSOLUTE_VALUE"},
            Definition=definition,
            ExecutionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/exec",
            ApprovalModel="AUTOMATIC",
            Subscribers=[{"SubscriptionType": "SNS", "Address": f"arn:aws:sns:us-east-1:{ACCOUNT}:alarms"}],
            ResourceTags=[{"Key": "env", "Value": "prod"}],
        )
        action_id = created["ActionId"]
        action = budgets.describe_budget_action(AccountId=ACCOUNT, BudgetName="ba", ActionId=action_id)["Action"]
        self.assertEqual(action["Status"], "STANDBY")
        self.assertEqual(action["Definition"], definition)
        self.assertEqual(action["ActionThreshold"], {"ActionThresholdValue": 150.0, "ActionThresholdType": "ABSOLUTE_VALUE"})
        arn = f"arn:aws:budgets::{ACCOUNT}:budget/ba/action/{action_id}"
        self.assertEqual(budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"], [{"Key": "env", "Value": "prod"}])
        budgets.update_budget_action(
            AccountId=ACCOUNT, BudgetName="ba", ActionId=action_id, ActionThreshold={"ActionThresholdValue": 200.0, "ActionThresholdType": "ABSOLUTE_VALUE"}
        )
        action = budgets.describe_budget_action(AccountId=ACCOUNT, BudgetName="ba", ActionId=action_id)["Action"]
        self.assertEqual(action["ActionThreshold"]["ActionThresholdValue"], 200.0)
        self.assertEqual(action["ApprovalModel"], "AUTOMATIC")
        budgets.delete_budget_action(AccountId=ACCOUNT, BudgetName="ba", ActionId=action_id)
        with self.assertRaises(budgets.exceptions.NotFoundException):
            budgets.describe_budget_action(AccountId=ACCOUNT, BudgetName="ba", ActionId=action_id)
        self.assertEqual(budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"], [])
        budgets.delete_budget(AccountId=ACCOUNT, BudgetName="ba")


    VPC_ORIGIN_CONFIG = {
        "Name": "gateway-alb",
        "Arn": f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/alb/0123456789abcdef",
        "HTTPPort": 80,
        "HTTPSPort": 443,
        "OriginProtocolPolicy": "http-only",
        "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
    }

    def test_cloudfront_vpc_origin_lifecycle(self) -> None:
        cf = self.client("cloudfront")
        created = cf.create_vpc_origin(VpcOriginEndpointConfig=self.VPC_ORIGIN_CONFIG, Tags={"Items": [{"Key": "env", "Value": "dev"}]})
        origin = created["VpcOrigin"]
        self.assertEqual(origin["Status"], "Deployed")
        self.assertTrue(origin["Arn"].startswith(f"arn:aws:cloudfront::{ACCOUNT}:vpcorigin/"))
        got = cf.get_vpc_origin(Id=origin["Id"])
        self.assertEqual(got["VpcOrigin"]["VpcOriginEndpointConfig"], self.VPC_ORIGIN_CONFIG)
        self.assertEqual(cf.list_tags_for_resource(Resource=origin["Arn"])["Tags"]["Items"], [{"Key": "env", "Value": "dev"}])
        self.assertEqual([o["Id"] for o in cf.list_vpc_origins()["VpcOriginList"]["Items"]], [origin["Id"]])
        updated = cf.update_vpc_origin(Id=origin["Id"], IfMatch=got["ETag"], VpcOriginEndpointConfig={**self.VPC_ORIGIN_CONFIG, "HTTPPort": 8080})
        self.assertEqual(updated["VpcOrigin"]["VpcOriginEndpointConfig"]["HTTPPort"], 8080)
        with self.assertRaises(cf.exceptions.InvalidIfMatchVersion):
            cf.delete_vpc_origin(Id=origin["Id"], IfMatch=got["ETag"])  # stale ETag
        cf.delete_vpc_origin(Id=origin["Id"], IfMatch=updated["ETag"])
        with self.assertRaises(cf.exceptions.EntityNotFound):
            cf.get_vpc_origin(Id=origin["Id"])

    def test_cloudfront_vpc_origin_in_use_cannot_be_updated_or_deleted(self) -> None:
        cf = self.client("cloudfront")
        origin = cf.create_vpc_origin(VpcOriginEndpointConfig=self.VPC_ORIGIN_CONFIG)["VpcOrigin"]
        etag = cf.get_vpc_origin(Id=origin["Id"])["ETag"]
        distribution = cf.create_distribution(
            DistributionConfig={
                "CallerReference": "in-use",
                "Comment": "",
                "Enabled": True,
                "Origins": {"Quantity": 1, "Items": [{"Id": "alb", "DomainName": "internal-alb.us-east-1.elb.amazonaws.com", "VpcOriginConfig": {"VpcOriginId": origin["Id"]}}]},
                "DefaultCacheBehavior": {"TargetOriginId": "alb", "ViewerProtocolPolicy": "https-only", "CachePolicyId": "x"},
            }
        )["Distribution"]
        for call in (
            lambda: cf.update_vpc_origin(Id=origin["Id"], IfMatch=etag, VpcOriginEndpointConfig={**self.VPC_ORIGIN_CONFIG, "HTTPPort": 8080}),
            lambda: cf.delete_vpc_origin(Id=origin["Id"], IfMatch=etag),
        ):
            with self.assertRaises(cf.exceptions.ClientError) as raised:
                call()
            self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 409)
            self.assertIn(raised.exception.response["Error"]["Code"], ("CannotUpdateEntityWhileInUse", "CannotDeleteEntityWhileInUse"))
        # Once no distribution names it (here: the distribution is gone), it can be deleted.
        config = cf.get_distribution_config(Id=distribution["Id"])
        disabled = cf.update_distribution(Id=distribution["Id"], IfMatch=config["ETag"], DistributionConfig={**config["DistributionConfig"], "Enabled": False})
        cf.delete_distribution(Id=distribution["Id"], IfMatch=disabled["ETag"])
        cf.delete_vpc_origin(Id=origin["Id"], IfMatch=etag)

    def test_rds_cluster_password_digests_route(self) -> None:
        import hashlib

        rds = self.client("rds")
        rds.create_db_cluster(DBClusterIdentifier="digest-check", Engine="aurora-postgresql", MasterUsername="u", MasterUserPassword="first-password-1")
        digest = lambda p: hashlib.sha256(p.encode()).hexdigest()  # noqa: E731
        calls = []
        app = moto_launcher.with_emulator_routes(lambda environ, start: calls.append(environ["PATH_INFO"]) or [b"moto"])
        answer = lambda: json.loads(b"".join(app({"PATH_INFO": moto_launcher.PASSWORD_DIGESTS_PATH, "REQUEST_METHOD": "GET"}, lambda *a: None)))  # noqa: E731
        self.assertEqual(answer()["digest-check"], digest("first-password-1"))
        rds.modify_db_cluster(DBClusterIdentifier="digest-check", MasterUserPassword="second-password-2", ApplyImmediately=True)
        self.assertEqual(answer()["digest-check"], digest("second-password-2"))
        # Any other path is moto's.
        self.assertEqual(app({"PATH_INFO": "/", "REQUEST_METHOD": "GET"}, lambda *a: None), [b"moto"])
        self.assertEqual(calls, ["/"])
        rds.delete_db_cluster(DBClusterIdentifier="digest-check", SkipFinalSnapshot=True)

    def test_cloudfront_cache_policy_lifecycle(self) -> None:
        cf = self.client("cloudfront")
        config = {
            "Name": "authorization",
            "MinTTL": 0,
            "DefaultTTL": 0,
            "MaxTTL": 1,
            "ParametersInCacheKeyAndForwardedToOrigin": {
                "EnableAcceptEncodingGzip": False,
                "HeadersConfig": {"HeaderBehavior": "whitelist", "Headers": {"Quantity": 1, "Items": ["Authorization"]}},
                "CookiesConfig": {"CookieBehavior": "none"},
                "QueryStringsConfig": {"QueryStringBehavior": "all"},
            },
        }
        created = cf.create_cache_policy(CachePolicyConfig=config)
        policy_id = created["CachePolicy"]["Id"]
        got = cf.get_cache_policy(Id=policy_id)
        self.assertEqual(got["CachePolicy"]["CachePolicyConfig"], config)
        updated = cf.update_cache_policy(Id=policy_id, IfMatch=got["ETag"], CachePolicyConfig={**config, "MaxTTL": 2})
        self.assertEqual(updated["CachePolicy"]["CachePolicyConfig"]["MaxTTL"], 2)
        cf.delete_cache_policy(Id=policy_id, IfMatch=updated["ETag"])
        with self.assertRaises(cf.exceptions.NoSuchCachePolicy):
            cf.get_cache_policy(Id=policy_id)

    def test_cloudfront_distribution_keeps_vpc_origin_config(self) -> None:
        cf = self.client("cloudfront")
        vpc_origin = {"VpcOriginId": "vo_0123456789", "OriginReadTimeout": 60, "OriginKeepaliveTimeout": 60}
        created = cf.create_distribution(
            DistributionConfig={
                "CallerReference": "vpc-origin-config",
                "Comment": "",
                "Enabled": True,
                "Origins": {"Quantity": 1, "Items": [{"Id": "alb", "DomainName": "internal-alb.us-east-1.elb.amazonaws.com", "VpcOriginConfig": vpc_origin}]},
                "DefaultCacheBehavior": {"TargetOriginId": "alb", "ViewerProtocolPolicy": "https-only", "CachePolicyId": "x"},
            }
        )
        got = cf.get_distribution(Id=created["Distribution"]["Id"])["Distribution"]
        self.assertEqual(got["DistributionConfig"]["Origins"]["Items"][0]["VpcOriginConfig"], vpc_origin)

    def test_cloudfront_policy_behavior_default_certificate_read_back_as_sent(self) -> None:
        cf = self.client("cloudfront")
        created = cf.create_distribution(
            DistributionConfig={
                "CallerReference": "read-back",
                "Comment": "",
                "Enabled": True,
                "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "example.com", "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"}}]},
                "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "https-only", "CachePolicyId": "x"},
                "ViewerCertificate": {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1"},
            }
        )["Distribution"]
        config = cf.get_distribution_config(Id=created["Id"])["DistributionConfig"]
        self.assertNotIn("ForwardedValues", config["DefaultCacheBehavior"])
        self.assertNotIn("SSLSupportMethod", config["ViewerCertificate"])
        self.assertEqual(config["ViewerCertificate"]["MinimumProtocolVersion"], "TLSv1")

    def test_sg_rule_with_prefix_list_keeps_its_description(self) -> None:
        ec2 = self.client("ec2")
        vpc, _ = self.vpc("10.4.0.0/16")
        sg = ec2.create_security_group(GroupName="alb", Description="alb", VpcId=vpc)["GroupId"]
        prefix_list = ec2.describe_managed_prefix_lists(Filters=[{"Name": "prefix-list-name", "Values": ["com.amazonaws.global.cloudfront.origin-facing"]}])["PrefixLists"][0]["PrefixListId"]
        ec2.authorize_security_group_ingress(
            GroupId=sg,
            IpPermissions=[{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "PrefixListIds": [{"PrefixListId": prefix_list, "Description": "from CloudFront"}]}],
        )
        rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [sg]}])["SecurityGroupRules"]
        ingress = [r for r in rules if not r["IsEgress"]]
        self.assertEqual([(r.get("PrefixListId"), r.get("Description")) for r in ingress], [(prefix_list, "from CloudFront")])

    def test_cloudfront_distribution_arn_has_an_empty_region(self) -> None:
        cf = self.client("cloudfront")
        created = cf.create_distribution(
            DistributionConfig={
                "CallerReference": "arn-shape",
                "Comment": "",
                "Enabled": True,
                "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "example.com", "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"}}]},
                "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "https-only", "CachePolicyId": "x"},
            }
        )["Distribution"]
        self.assertEqual(created["ARN"], f"arn:aws:cloudfront::{ACCOUNT}:distribution/{created['Id']}")
        self.assertEqual(cf.get_distribution(Id=created["Id"])["Distribution"]["Status"], "Deployed")
    def test_bedrock_guardrail_draft_versions_tags_and_delete(self) -> None:
        bedrock = self.client("bedrock")
        created = bedrock.create_guardrail(
            name="gw",
            blockedInputMessaging="in",
            blockedOutputsMessaging="out",
            contentPolicyConfig={"filtersConfig": [{"type": "HATE", "inputStrength": "HIGH", "outputStrength": "HIGH"}]},
            sensitiveInformationPolicyConfig={"piiEntitiesConfig": [{"type": "EMAIL", "action": "ANONYMIZE"}]},
            topicPolicyConfig={"topicsConfig": [{"name": "t", "definition": "d", "examples": ["e"], "type": "DENY"}]},
            wordPolicyConfig={"wordsConfig": [{"text": "w"}], "managedWordListsConfig": [{"type": "PROFANITY"}]},
            tags=[{"key": "env", "value": "dev"}],
        )
        arn, gid = created["guardrailArn"], created["guardrailId"]
        self.assertEqual(created["version"], "DRAFT")
        self.assertEqual(arn, f"arn:aws:bedrock:us-east-1:{ACCOUNT}:guardrail/{gid}")
        draft = bedrock.get_guardrail(guardrailIdentifier=gid, guardrailVersion="DRAFT")
        self.assertEqual(draft["status"], "READY")
        self.assertEqual(draft["contentPolicy"]["filters"], [{"type": "HATE", "inputStrength": "HIGH", "outputStrength": "HIGH"}])
        self.assertEqual(draft["sensitiveInformationPolicy"]["piiEntities"], [{"type": "EMAIL", "action": "ANONYMIZE"}])
        self.assertEqual(draft["topicPolicy"]["topics"][0]["examples"], ["e"])
        self.assertEqual(draft["wordPolicy"], {"words": [{"text": "w"}], "managedWordLists": [{"type": "PROFANITY"}]})
        self.assertEqual(bedrock.list_tags_for_resource(resourceARN=arn)["tags"], [{"key": "env", "value": "dev"}])

        # A version is an immutable snapshot, addressed by the ARN as the provider does.
        version = bedrock.create_guardrail_version(guardrailIdentifier=arn, description="pinned")["version"]
        self.assertEqual(version, "1")
        bedrock.update_guardrail(guardrailIdentifier=gid, name="gw", blockedInputMessaging="changed", blockedOutputsMessaging="out")
        pinned = bedrock.get_guardrail(guardrailIdentifier=arn, guardrailVersion="1")
        self.assertEqual((pinned["version"], pinned["description"], pinned["blockedInputMessaging"]), ("1", "pinned", "in"))
        self.assertEqual(bedrock.get_guardrail(guardrailIdentifier=gid)["blockedInputMessaging"], "changed")

        bedrock.delete_guardrail(guardrailIdentifier=arn, guardrailVersion="1")
        with self.assertRaises(bedrock.exceptions.ResourceNotFoundException):
            bedrock.get_guardrail(guardrailIdentifier=arn, guardrailVersion="1")
        bedrock.delete_guardrail(guardrailIdentifier=gid)
        with self.assertRaises(bedrock.exceptions.ResourceNotFoundException):
            bedrock.get_guardrail(guardrailIdentifier=gid, guardrailVersion="DRAFT")

    def test_bedrock_inference_profile_create_get_tags_list_and_delete(self) -> None:
        # As aws_bedrock_inference_profile calls them (gateway.costAttribution), copying a system profile.
        bedrock = self.client("bedrock")
        source = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0"
        created = bedrock.create_inference_profile(
            inferenceProfileName="gw-dev-chunking-claude-fast",
            description="agent chunking",
            modelSource={"copyFrom": source},
            tags=[{"key": "agent", "value": "chunking"}],
        )
        arn = created["inferenceProfileArn"]
        self.assertEqual(created["status"], "ACTIVE")
        self.assertRegex(arn, rf"^arn:aws:bedrock:us-east-1:{ACCOUNT}:application-inference-profile/[a-z0-9]{{12}}$")
        profile_id = arn.rsplit("/", 1)[1]
        for identifier in (arn, profile_id):
            got = bedrock.get_inference_profile(inferenceProfileIdentifier=identifier)
            self.assertEqual(
                (got["inferenceProfileName"], got["description"], got["inferenceProfileId"], got["status"], got["type"]),
                ("gw-dev-chunking-claude-fast", "agent chunking", profile_id, "ACTIVE", "APPLICATION"),
            )
            self.assertEqual(got["models"], [{"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"}])
        self.assertEqual(bedrock.list_tags_for_resource(resourceARN=arn)["tags"], [{"key": "agent", "value": "chunking"}])
        bedrock.tag_resource(resourceARN=arn, tags=[{"key": "env", "value": "dev"}])
        self.assertEqual(len(bedrock.list_tags_for_resource(resourceARN=arn)["tags"]), 2)
        listed = bedrock.list_inference_profiles(typeEquals="APPLICATION")["inferenceProfileSummaries"]
        self.assertEqual([p["inferenceProfileArn"] for p in listed], [arn])
        with self.assertRaises(bedrock.exceptions.ValidationException):
            bedrock.create_inference_profile(inferenceProfileName="gw-dev-chunking-claude-fast", modelSource={"copyFrom": source})

        bedrock.delete_inference_profile(inferenceProfileIdentifier=arn)
        with self.assertRaises(bedrock.exceptions.ResourceNotFoundException):
            bedrock.get_inference_profile(inferenceProfileIdentifier=arn)
        self.assertEqual(bedrock.list_inference_profiles()["inferenceProfileSummaries"], [])

    def test_bedrock_invocation_logging_round_trip(self) -> None:
        # Implemented by moto itself (no patch); checked here because the stacks depend on it.
        bedrock = self.client("bedrock")
        config = {"cloudWatchConfig": {"logGroupName": "/g", "roleArn": f"arn:aws:iam::{ACCOUNT}:role/r"}, "textDataDeliveryEnabled": True}
        bedrock.put_model_invocation_logging_configuration(loggingConfig=config)
        self.assertEqual(bedrock.get_model_invocation_logging_configuration()["loggingConfig"]["cloudWatchConfig"]["logGroupName"], "/g")
        bedrock.delete_model_invocation_logging_configuration()

    def test_off_hours_scheduled_action_and_auto_pause_round_trip(self) -> None:
        # Implemented by moto itself (no patch); checked here because gateway.schedule depends on it
        # (docs/off-hours.md): the scheduled action's Timezone and ScalableTargetAction, and Aurora's minimum of 0 ACU
        # with SecondsUntilAutoPause, read back as sent, on create and on modify.
        aas = self.client("application-autoscaling")
        target = {"ServiceNamespace": "dynamodb", "ResourceId": "table/off-hours", "ScalableDimension": "dynamodb:table:ReadCapacityUnits"}
        aas.register_scalable_target(**target, MinCapacity=1, MaxCapacity=4)
        aas.put_scheduled_action(
            **target, ScheduledActionName="stop", Schedule="cron(0 19 ? * MON,TUE,WED,THU,FRI *)", Timezone="Europe/Paris",
            ScalableTargetAction={"MinCapacity": 0, "MaxCapacity": 0},
        )
        (action,) = aas.describe_scheduled_actions(ServiceNamespace="dynamodb", ResourceId="table/off-hours")["ScheduledActions"]
        self.assertEqual((action["Schedule"], action["Timezone"], action["ScalableTargetAction"]), ("cron(0 19 ? * MON,TUE,WED,THU,FRI *)", "Europe/Paris", {"MinCapacity": 0, "MaxCapacity": 0}))
        aas.delete_scheduled_action(**target, ScheduledActionName="stop")
        self.assertEqual(aas.describe_scheduled_actions(ServiceNamespace="dynamodb", ResourceId="table/off-hours")["ScheduledActions"], [])

        rds = self.client("rds")
        rds.create_db_cluster(
            DBClusterIdentifier="off-hours", Engine="aurora-postgresql", EngineVersion="16.11", MasterUsername="litellm", MasterUserPassword="a-password-1",
            ServerlessV2ScalingConfiguration={"MinCapacity": 0, "MaxCapacity": 1, "SecondsUntilAutoPause": 900},
        )
        scaling = lambda: rds.describe_db_clusters(DBClusterIdentifier="off-hours")["DBClusters"][0]["ServerlessV2ScalingConfiguration"]  # noqa: E731
        self.assertEqual(scaling(), {"MinCapacity": 0.0, "MaxCapacity": 1.0, "SecondsUntilAutoPause": 900})
        rds.modify_db_cluster(DBClusterIdentifier="off-hours", ApplyImmediately=True, ServerlessV2ScalingConfiguration={"MinCapacity": 0, "MaxCapacity": 1, "SecondsUntilAutoPause": 300})
        self.assertEqual(scaling()["SecondsUntilAutoPause"], 300)
        rds.delete_db_cluster(DBClusterIdentifier="off-hours", SkipFinalSnapshot=True)


@unittest.skipIf(MISSING, f"moto[server] is not installed: {MISSING}")
class LauncherTest(unittest.TestCase):
    def test_every_patch_has_a_reason_and_unknown_skips_are_refused(self) -> None:
        for p in moto_launcher.PATCHES:
            self.assertGreater(len(p["why"]), 40, p["name"])
        with self.assertRaises(SystemExit):
            moto_launcher.apply_patches(skip=["no-such-patch"])


if __name__ == "__main__":
    unittest.main()

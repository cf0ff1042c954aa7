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
        ec2, ec = self.client("ec2"), self.client("elasticache")
        vpc, subnets = self.vpc("10.3.0.0/16")
        sg = ec2.create_security_group(GroupName="redis", Description="redis", VpcId=vpc)["GroupId"]
        ec.create_cache_subnet_group(CacheSubnetGroupName="redis", CacheSubnetGroupDescription="d", SubnetIds=subnets)
        ec.create_replication_group(
            ReplicationGroupId="rg",
            ReplicationGroupDescription="d",
            Engine="valkey",
            EngineVersion="8.0",
            CacheNodeType="cache.t4g.micro",
            NumCacheClusters=1,
            CacheSubnetGroupName="redis",
            SecurityGroupIds=[sg],
            AtRestEncryptionEnabled=True,
            TransitEncryptionEnabled=True,
        )
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
        ec.delete_cache_subnet_group(CacheSubnetGroupName="redis")
        with self.assertRaises(ec.exceptions.CacheSubnetGroupNotFoundFault):
            ec.delete_cache_subnet_group(CacheSubnetGroupName="redis")

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


@unittest.skipIf(MISSING, f"moto[server] is not installed: {MISSING}")
class LauncherTest(unittest.TestCase):
    def test_every_patch_has_a_reason_and_unknown_skips_are_refused(self) -> None:
        for p in moto_launcher.PATCHES:
            self.assertGreater(len(p["why"]), 40, p["name"])
        with self.assertRaises(SystemExit):
            moto_launcher.apply_patches(skip=["no-such-patch"])


if __name__ == "__main__":
    unittest.main()

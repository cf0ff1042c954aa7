/**
 * Reading Terraform's output and the synthesized JSON: what the emulator tier needs to decide and to report.
 */
import { SynthesizedStack } from './overrides';

/** The actions part of a plan's output: from "will perform the following actions" to the "Plan:" summary. */
export function planDiff(stdout: string): string {
  const start = stdout.indexOf('Terraform will perform the following actions:');
  const end = stdout.search(/^Plan: .*$/m);
  if (start < 0) return stdout.trim();
  const summary = end >= 0 ? (/^Plan: .*$/m.exec(stdout.slice(end))?.[0] ?? '') : '';
  return `${stdout.slice(start, end >= 0 ? end : undefined).trim()}\n${summary}`.trim();
}

interface StateResource {
  readonly type: string;
  readonly values: Record<string, unknown>;
}

/** Resources in a `terraform show -json` document whose deletion protection is on, as fixtures.py flags. */
export function protectedResources(showJson: string): { flag: string; id: string }[] {
  const doc = JSON.parse(showJson) as { values?: { root_module?: { resources?: StateResource[] } } };
  const out: { flag: string; id: string }[] = [];
  for (const r of doc.values?.root_module?.resources ?? []) {
    const v = r.values;
    if (r.type === 'aws_rds_cluster' && v.deletion_protection === true) out.push({ flag: '--rds-cluster', id: String(v.cluster_identifier) });
    if (r.type === 'aws_db_instance' && v.deletion_protection === true) out.push({ flag: '--rds-instance', id: String(v.identifier) });
    if (r.type === 'aws_lb' && v.enable_deletion_protection === true) out.push({ flag: '--load-balancer', id: String(v.arn) });
  }
  return out;
}

/** The state bucket's name if this stack creates it (the bootstrap stack), else undefined. */
export function holdsStateBucket(stack: SynthesizedStack | undefined, bucket: string): string | undefined {
  const buckets = Object.values((stack as { resource?: { aws_s3_bucket?: Record<string, { bucket?: string }> } } | undefined)?.resource?.aws_s3_bucket ?? {});
  return buckets.some((b) => b.bucket === bucket) ? bucket : undefined;
}


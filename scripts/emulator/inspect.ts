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


/** fixtures.py leak-check's answer. */
export interface LeakReport {
  /** Secrets read from the emulator (fixtures excluded). */
  readonly secrets: number;
  /** Distinct generated values taken out of their versions. */
  readonly values: number;
  /** State bucket object versions and local state files searched. */
  readonly stateFiles: number;
  /** Plan files and renderings searched. */
  readonly plans: number;
  /** Per value found (described, never shown), where it was found. */
  readonly found: Readonly<Record<string, readonly string[]>>;
  /** Non-secret values that must be in the state (the database host): in how many documents each was found. */
  readonly controls: Readonly<Record<string, number>>;
}

/**
 * Whether the search proves what it should: some values were searched, the controls were found (so the search does
 * read the state), and no generated value appears anywhere.
 */
export function leakVerdict(report: LeakReport, counts: { plans: number; rendered: number }): { ok: boolean; message: string } {
  const searched = `searched ${report.values} secret values (from ${report.secrets} secrets) in ${report.stateFiles} state files and ${counts.plans} plans (+ ${counts.rendered} show -json renderings)`;
  const found = Object.entries(report.found);
  if (found.length > 0) return { ok: false, message: `${searched}: FOUND ${found.map(([v, where]) => `${v} in ${where.join(', ')}`).join('; ')}` };
  if (report.values === 0) return { ok: false, message: `${searched}: no generated value was read from the emulator, so the search proves nothing` };
  const controls = Object.entries(report.controls);
  const blind = controls.filter(([, n]) => n === 0).map(([c]) => c);
  if (controls.length === 0 || blind.length > 0) {
    return { ok: false, message: `${searched}: the control value (database host) was ${controls.length === 0 ? 'not read' : `not found in any state file (${blind.join(', ')})`}, so the search cannot be trusted` };
  }
  return { ok: true, message: `${searched}: none found (control: the database host found in ${Math.min(...controls.map(([, n]) => n))} state files)` };
}

/** fixtures.py secret-digests' answer: per secret name, its version count and digests (never values). */
export type SecretDigests = Readonly<Record<string, { readonly versions: number; readonly current: string; readonly password: string }>>;

/** Physical names of the database stack's secrets, by construct id. */
export interface RotationSecrets {
  readonly databaseUrl: string;
  readonly masterCredentials: string;
  /** The password's source secret (write-only generator): rewritten too, with the same new password. */
  readonly passwordSource?: string;
  readonly unchanged: readonly string[];
}

/**
 * After a `databasePassword` bump and one apply: DATABASE_URL, the master credentials and (write-only generator) the
 * password's source secret each got exactly one new version, with a new password, and the same one (both carriers
 * read it back from the source); every other secret (the salt key above all) is untouched.
 */
export function rotationVerdict(before: SecretDigests, after: SecretDigests, names: RotationSecrets): { ok: boolean; message: string } {
  const problems: string[] = [];
  const rewritten = [names.databaseUrl, names.masterCredentials, ...(names.passwordSource ? [names.passwordSource] : [])];
  for (const name of [...rewritten, ...names.unchanged]) {
    if (!before[name] || !after[name]) problems.push(`${name} is missing`);
  }
  if (problems.length > 0) return { ok: false, message: problems.join('; ') };
  for (const name of rewritten) {
    if (after[name].versions !== before[name].versions + 1) problems.push(`${name}: ${before[name].versions} → ${after[name].versions} versions, expected one more`);
    if (after[name].password === before[name].password) problems.push(`${name}: the password did not change`);
  }
  for (const name of rewritten.slice(1)) {
    if (after[names.databaseUrl].password !== after[name].password) problems.push(`${names.databaseUrl} and ${name} carry different passwords`);
  }
  for (const name of names.unchanged) {
    if (after[name].versions !== before[name].versions || after[name].current !== before[name].current) problems.push(`${name} changed`);
  }
  return problems.length > 0
    ? { ok: false, message: problems.join('; ') }
    : { ok: true, message: `databasePassword 1 → 2: ${rewritten.join(', ')} rewritten with one new password; ${names.unchanged.join(', ')} untouched` };
}

/** fixtures.py cluster-password-digests' answer: per DBClusterIdentifier, the SHA-256 of its master password. */
export type ClusterPasswordDigests = Readonly<Record<string, string>>;

/**
 * The cluster's master password (as the emulator holds it) is the one every secret carrying it holds: the source
 * secret, DATABASE_URL and the master credentials. Digests only, never a value.
 */
export function passwordAgreementVerdict(
  clusters: ClusterPasswordDigests,
  secrets: SecretDigests,
  names: { readonly cluster: string; readonly carriers: readonly string[] },
): { ok: boolean; message: string } {
  const cluster = clusters[names.cluster];
  if (cluster === undefined) return { ok: false, message: `cluster ${names.cluster}: no master password recorded by the emulator` };
  const missing = names.carriers.filter((n) => !secrets[n]);
  if (missing.length > 0) return { ok: false, message: `missing secrets: ${missing.join(', ')}` };
  const apart = names.carriers.filter((n) => secrets[n].password !== cluster);
  return apart.length > 0
    ? { ok: false, message: `cluster ${names.cluster} and ${apart.join(', ')} hold different passwords` }
    : { ok: true, message: `cluster ${names.cluster} and ${names.carriers.join(', ')} hold one password` };
}

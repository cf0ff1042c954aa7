/**
 * The README's deploy and destroy path, as a newcomer copies it: every command that synthesizes carries the
 * configuration file, the destroy runs in the order the stacks depend on each other, and the state-bucket emptying
 * loop really empties a versioned bucket (run against moto, the emulator tier's S3).
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkMoto, startMoto } from '../scripts/emulator/moto';
import { markdownSection } from './helpers';

const README = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

/** Commands that run the app, as written in the README's ```bash blocks and inline code spans. */
function commandLines(text: string): string[] {
  const runsApp = /npx cdktf (deploy|diff|destroy|synth)\b|npm run (synth|image)\b/;
  const blocks = [...text.matchAll(/```bash\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n'));
  const inline = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1])// A bare `npm run image` names the script; a span with arguments or variables is a command to copy.
    .filter((c) => /^(\S+=\S+ )*(npx|npm) /.test(c) && !/^npm run \S+$/.test(c));
  return [...blocks, ...inline].map((l) => l.trim()).filter((l) => runsApp.test(l));
}

describe('README: commands that synthesize carry the configuration file', () => {
  test.each(['First deploy: the state bucket', 'Deploy with your own image (pre-built mode)', 'Deploy the environment', 'Destroy'])('%s', (heading) => {
    const lines = commandLines(markdownSection(README, heading));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect([line, /GATEWAY_CONFIG_FILE=\S+/.test(line) && /GATEWAY_ENV=\S+/.test(line)]).toEqual([line, true]);
  });

  test('deploy, diff and destroy are each shown', () => {
    const all = commandLines(README).join('\n');
    for (const verb of ['deploy', 'diff', 'destroy']) expect(all).toMatch(new RegExp(`GATEWAY_CONFIG_FILE=\\S+ npx cdktf ${verb} `));
  });
});

describe('README: Destroy, complete and in order', () => {
  const section = markdownSection(README, 'Destroy');

  test('stacks edge, observability, gateway, database, networking; then the bucket emptied; then bootstrap; then the image repository', () => {
    const at = (needle: string) => {
      const i = section.indexOf(needle);
      expect([needle, i >= 0]).toEqual([needle, true]);
      return i;
    };
    const order = [
      at('npx cdktf destroy dev-edge'),
      at('npx cdktf destroy dev-observability dev-gateway dev-database dev-networking'),
      at('aws s3api delete-objects'),
      at('npx cdktf destroy bootstrap'),
      at('aws ecr delete-repository'),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(section).toMatch(/every object version and every delete marker/);
  });

  test('the emptying loop deletes every version and delete marker of a versioned bucket (moto)', async () => {
    const python = process.env.EMULATOR_PYTHON ?? 'python3';
    const aws = spawnSync('aws', ['--version'], { encoding: 'utf8' });
    const moto = checkMoto(python);
    if (aws.error || !moto.ok) {
      if (process.env.CI === 'true') throw new Error(`needs the aws CLI and moto[server]: ${aws.error?.message ?? moto.detail}`);
      console.warn(`SKIPPED (not a pass): the aws CLI or moto is missing (${aws.error?.message ?? moto.detail})`);
      return;
    }
    const snippet = /```bash\n\s*(BUCKET=[\s\S]*?)```/.exec(section)?.[1];
    expect(snippet).toBeDefined();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'readme-destroy-'));
    const server = await startMoto({ python, logFile: path.join(dir, 'moto.log') });
    try {
      const env = { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1', AWS_ENDPOINT_URL: server.endpoint, AWS_PAGER: '' };
      const bucket = 'document-processing-llm-gateway-tfstate';
      const setup = [
        `aws s3api create-bucket --bucket ${bucket} >/dev/null`,
        `aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled`,
        // Several versions of each state file, and a delete marker: what a deploy, re-deploy and destroy leave.
        ...['dev/networking', 'dev/gateway', 'dev/networking', 'prod/gateway'].map((k) => `echo '{}' | aws s3 cp - s3://${bucket}/document-processing/${k}.tfstate >/dev/null`),
        `aws s3 rm s3://${bucket}/document-processing/prod/gateway.tfstate >/dev/null`,
      ].join(' && ');
      const count = `aws s3api list-object-versions --bucket ${bucket} --output json --query 'length([Versions, DeleteMarkers][][])'`;
      expect(spawnSync('bash', ['-ec', setup], { env, encoding: 'utf8' }).status).toBe(0);
      expect(spawnSync('bash', ['-ec', count], { env, encoding: 'utf8' }).stdout.trim()).toBe('5');
      const run = spawnSync('bash', ['-ec', snippet!], { env, encoding: 'utf8', timeout: 120_000 });
      expect(run.stderr).toBe('');
      expect(spawnSync('bash', ['-ec', count], { env, encoding: 'utf8' }).stdout.trim()).toBe('0');
      // The bucket's own destroy (DeleteBucket) now succeeds.
      expect(spawnSync('aws', ['s3api', 'delete-bucket', '--bucket', bucket], { env, encoding: 'utf8' }).status).toBe(0);
    } finally {
      await server.stop();
    }
  }, 120_000);
});

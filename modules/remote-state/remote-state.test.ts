import { Testing, TerraformLocal, TerraformOutput, TerraformStack } from 'cdktf';
import { readFileSync } from 'fs';
import * as path from 'path';
import { defaultBackendFile, loadBackendConfig, parseBackendConfig } from './backend-config';
import { stateKey, useS3Backend } from './remote-state';

describe('terraform-backend.hcl parsing', () => {
  test('the project file is found and parsed (the single source of the backend values)', () => {
    const file = defaultBackendFile();
    expect(path.basename(file)).toBe('terraform-backend.hcl');
    const settings = loadBackendConfig(file);
    const text = readFileSync(file, 'utf8');
    // Every value in the code comes from the file: check against the file's own text.
    expect(text).toContain(`bucket         = "${settings.bucket}"`);
    expect(text).toContain(`dynamodb_table = "${settings.dynamodbTable}"`);
    expect(settings.encrypt).toBe(true);
    expect(settings.useLockfile).toBe(true);
  });

  test('reads strings, booleans and trailing comments', () => {
    expect(
      parseBackendConfig('# c\nbucket = "b-1" # trailing\nregion="eu-west-1"\n// other\nencrypt = false\nkms_key_id = "arn:k"\n'),
    ).toEqual({ bucket: 'b-1', region: 'eu-west-1', encrypt: false, dynamodbTable: undefined, useLockfile: false, kmsKeyId: 'arn:k' });
  });

  test.each([
    ['key = "x"\nbucket = "b12"\nregion = "r"', /unknown setting "key" \(each stack sets its own key\)/],
    ['bucket = "b12"\nbucket = "b13"\nregion = "r"', /:2: bucket is set twice/],
    ['bucket = b12\nregion = "r"', /:1: cannot parse "bucket = b12"/],
    ['bucket = "b12"\nregion = "r"\nencrypt = "yes"', /:3: encrypt = "yes"; allowed: true or false/],
    ['region = "r"', /missing required setting bucket/],
    ['bucket = "Not_Valid"\nregion = "r"', /bucket = "Not_Valid"; allowed: an S3 bucket name/],
    ['assume_role {\n}', /cannot parse "assume_role \{"/],
  ])('rejects %j', (text, message) => {
    expect(() => parseBackendConfig(text, 'f.hcl')).toThrow(message);
  });
});

describe('S3 backend', () => {
  test('has the per-stack key, encryption, DynamoDB locking and use_lockfile', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'stack');
    useS3Backend(stack, {
      settings: { bucket: 'state', region: 'us-east-1', encrypt: true, dynamodbTable: 'lock', useLockfile: true },
      key: stateKey('document-processing', 'dev', 'networking'),
    });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.terraform.backend.s3).toEqual({
      bucket: 'state',
      key: 'document-processing/dev/networking.tfstate',
      region: 'us-east-1',
      encrypt: true,
      dynamodb_table: 'lock',
      use_lockfile: true,
    });
  });

  test('omits use_lockfile when the file turns it off', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'stack');
    useS3Backend(stack, { settings: { bucket: 'state', region: 'us-east-1', encrypt: true, useLockfile: false }, key: 'k' });
    expect(JSON.parse(Testing.synth(stack)).terraform.backend.s3.use_lockfile).toBeUndefined();
  });
});

describe('cross-stack reads of S3 state', () => {
  test('GIVEN a producer whose backend locks with DynamoDB WHEN a consumer reads its output THEN the terraform_remote_state config has no lock setting (deprecated there; a read takes no lock)', () => {
    const app = Testing.app();
    const settings = { bucket: 'state', region: 'us-east-1', encrypt: true, dynamodbTable: 'lock', useLockfile: true };
    const producer = new TerraformStack(app, 'producer');
    useS3Backend(producer, { settings, key: 'app/dev/producer.tfstate' });
    const value = new TerraformLocal(producer, 'x', 'v');
    const consumer = new TerraformStack(app, 'consumer');
    useS3Backend(consumer, { settings, key: 'app/dev/consumer.tfstate' });
    new TerraformOutput(consumer, 'y', { value: value.asString });
    app.synth();
    const read = (stack: string) => JSON.parse(readFileSync(path.join(app.outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    const json = read('consumer');
    const reads = Object.values(json.data.terraform_remote_state) as { backend: string; config: Record<string, unknown>; workspace: string }[];
    expect(reads).toEqual([
      { backend: 's3', config: { bucket: 'state', key: 'app/dev/producer.tfstate', region: 'us-east-1', encrypt: true }, workspace: '${terraform.workspace}' },
    ]);
    // The producer's own backend still takes both locks.
    expect(read('producer').terraform.backend.s3).toMatchObject({ dynamodb_table: 'lock', use_lockfile: true });
  });
});

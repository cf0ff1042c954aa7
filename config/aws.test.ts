import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { parseBackendConfig } from '../modules/remote-state/backend-config';
import { AWS_REGIONS, REGIONS, partitionOf, wafCidrProblem } from './aws';
import { CONFIG_FILE_ENV_VAR, ConfigError, ENV_VAR, loadConfig, loadConfigFromEnv } from './index';

const load = (overrides: unknown, environment = 'dev') => () => loadConfig({ environment, overrides });
const CERT = (region: string, partition = 'aws') => `arn:${partition}:acm:${region}:123456789012:certificate/12345678-1234-1234-1234-123456789012`;

describe('region: a closed list (commercial, GovCloud, China)', () => {
  test.each(['us-east-1', 'eu-central-2', 'ap-southeast-7', 'mx-central-1', 'us-gov-west-1', 'cn-northwest-1'])('%s is accepted', (region) => {
    expect(load({ region })).not.toThrow();
  });

  test.each(['us-east-7', 'eu-west-9', 'us-gov-north-1', 'xx-east-1', 'US-EAST-1'])('%s, shaped like a region but none, is refused naming the field and the list', (region) => {
    expect(load({ region })).toThrow(ConfigError);
    expect(load({ region })).toThrow(new RegExp(`region: got "${region}"; allowed: one of "af-south-1", .*"us-east-1", .*"cn-northwest-1"`));
  });

  test('each region has one partition', () => {
    expect(REGIONS).toHaveLength(new Set(REGIONS).size);
    expect([partitionOf('us-east-1'), partitionOf('us-gov-east-1'), partitionOf('cn-north-1'), partitionOf('us-east-7')]).toEqual(['aws', 'aws-us-gov', 'aws-cn', undefined]);
    expect(AWS_REGIONS['aws-us-gov']).toEqual(['us-gov-east-1', 'us-gov-west-1']);
  });

  test('the state backend\'s region (terraform-backend.hcl) is checked against the same list', () => {
    expect(() => parseBackendConfig('bucket = "state-bucket"\nregion = "us-east-7"\n', 'terraform-backend.hcl')).toThrow(
      /terraform-backend\.hcl.*region = "us-east-7"; allowed: an AWS region, one of af-south-1, /,
    );
    expect(parseBackendConfig('bucket = "state-bucket"\nregion = "eu-west-1"\n', 'terraform-backend.hcl').region).toBe('eu-west-1');
  });
});

describe('gateway.certificateArn: an ACM certificate in the ALB\'s region', () => {
  test('one in region is accepted, in us-east-1 and in eu-west-1', () => {
    expect(load({ gateway: { certificateArn: CERT('us-east-1') } })).not.toThrow();
    expect(load({ region: 'eu-west-1', gateway: { certificateArn: CERT('eu-west-1') } })).not.toThrow();
  });

  test('one in another region is refused, naming the field, the value and the region', () => {
    expect(load({ region: 'eu-west-1', gateway: { certificateArn: CERT('us-east-1') } })).toThrow(
      /gateway\.certificateArn: a certificate in us-east-1 \(aws\); the ALB reads certificates only from its own region, eu-west-1; got "arn:aws:acm:us-east-1:[^"]+"; allowed: an ACM certificate in eu-west-1/,
    );
  });

  test('one of another partition is refused', () => {
    expect(load({ region: 'us-gov-west-1', gateway: { certificateArn: CERT('us-gov-west-1') } })).toThrow(/a certificate in us-gov-west-1 \(aws\)/);
    expect(load({ region: 'us-gov-west-1', gateway: { certificateArn: CERT('us-gov-west-1', 'aws-us-gov') } })).not.toThrow();
  });

  test('an ARN that is not an ACM certificate is refused by its shape', () => {
    expect(load({ gateway: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:private-ca/abc' } })).toThrow(
      /gateway\.certificateArn: got "arn:aws:acm:us-east-1:123456789012:private-ca\/abc"; allowed: an ACM certificate ARN/,
    );
  });
});

describe('edge.allowedCidrs: what a WAFv2 IP set accepts', () => {
  test.each([['0.0.0.0/0', /WAF refuses \/0/], ['203.0.113.7/24', /WAF refuses a block with host bits set; the \/24 network holding it is 203\.0\.113\.0\/24/], ['195.178.188.66/29', /WAF refuses a block with host bits set; the \/29 network holding it is 195\.178\.188\.64\/29/]])(
    '%s is refused, naming the entry',
    (cidr, reason) => {
      const run = load({ edge: { allowedCidrs: ['198.51.100.0/24', cidr] } });
      expect(run).toThrow(new RegExp(`edge\\.allowedCidrs\\[1\\]: ${reason.source}.*got "${cidr.replace(/\./g, '\\.')}"; allowed: an IPv4 CIDR block from /1 to /32 with its host bits zero`));
    },
  );

  test.each(['203.0.113.7/32', '10.0.0.0/8', '128.0.0.0/1', '198.51.100.0/24'])('%s is accepted', (cidr) => {
    expect(wafCidrProblem(cidr)).toBeUndefined();
    expect(load({ edge: { allowedCidrs: [cidr] } })).not.toThrow();
  });
});

describe('the configuration file as a whole', () => {
  const file = (text: string) => {
    const f = path.join(mkdtempSync(path.join(tmpdir(), 'cfg-')), 'organisation.json');
    writeFileSync(f, text);
    return f;
  };

  test.each([['[]', 'an array'], ['"x"', 'a string'], ['null', 'null'], ['42', 'a number'], ['true', 'a boolean']])('%s gives the file\'s name and what it holds', (text, what) => {
    const f = file(text);
    expect(() => loadConfigFromEnv({ [ENV_VAR]: 'dev', [CONFIG_FILE_ENV_VAR]: f })).toThrow(ConfigError);
    expect(() => loadConfigFromEnv({ [ENV_VAR]: 'dev', [CONFIG_FILE_ENV_VAR]: f })).toThrow(
      `GATEWAY_CONFIG_FILE: the file holds ${what}, not an object; got ${JSON.stringify(f)}; allowed: a file holding one JSON object of configuration fields`,
    );
  });

  test('overrides that are not an object are refused by loadConfig too, before they replace the configuration', () => {
    expect(load([])).toThrow(/\(overrides\): got an array, not an object/);
    expect(load({})).not.toThrow();
  });
});

describe('tags: AWS\'s tag rules', () => {
  test.each(['aws:team', 'AWS:team', 'Aws:team'])('a key starting with %s is refused (reserved in any case)', (key) => {
    expect(load({ tags: { [key]: 'x' } })).toThrow(/tags\.[aA][wW][sS]:team: invalid key; got "[aA][wW][sS]:team"; allowed: tag keys \(1-128 chars, not starting with aws: in any case\)/);
  });

  test('a value starting with AWS: is refused; one with aws: elsewhere is accepted', () => {
    expect(load({ tags: { team: 'AWS:platform' } })).toThrow(/tags\.team: got "AWS:platform"; allowed: a tag value .*not starting with aws: in any case/);
    expect(load({ tags: { team: 'platform-aws:x' } })).not.toThrow();
  });

  test('48 tags besides env and application are accepted, 49 refused (50 per resource)', () => {
    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, 'x']));
    expect(load({ tags: tags(48) })).not.toThrow();
    expect(load({ tags: tags(49) })).toThrow(/tags: got "49 tags"; allowed: at most 48 tags besides env and application: AWS allows 50 per resource/);
  });
});

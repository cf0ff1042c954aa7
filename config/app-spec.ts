/**
 * The shape of the whole configuration: each section's spec under its key, and the top-level fields. Each field's
 * type, bounds, default and one-line doc are declared here or in its section's file, once: the defaults of every
 * environment (environments.ts), docs/configuration.md and test/config-constraints.json are made from it
 * (scripts/docs.ts). Its own module so that environments.ts and index.ts both read it without importing each other.
 */
import { agentsSpec } from './agents';
import { REGIONS } from './aws';
import type { ConfigSections } from './app-config';
import { databaseSpec } from './database';
import { edgeSpec } from './edge';
import { gatewaySpec } from './gateway';
import { networkingSpec } from './networking';
import { observabilitySpec } from './observability';
import { ObjectSpecOf } from './schema';
import { secretsSpec } from './secrets';
import { stateSpec } from './state';

export const appSpec: ObjectSpecOf<ConfigSections> = {
  kind: 'object',
  fields: {
    appName: {
      kind: 'string',
      // No '--': RDS identifiers refuse consecutive hyphens.
      pattern: /^(?!.*--)[a-z][a-z0-9-]{0,30}[a-z0-9]$/,
      describe: 'a non-empty lower-case name of letters, digits and single hyphens, 2 to 32 characters, starting with a letter (it prefixes AWS resource names)',
      default: 'document-processing',
      doc: 'Application name: the first part of `<appName>-<environment>-<component>` physical names and the `application` tag. Some names do not carry it (see [Names](#names-what-carries-appname)). No `--` (RDS identifiers refuse it)',
    },
    region: {
      kind: 'string',
      // A closed list, as the AWS provider and every API check it (config/aws.ts).
      allowed: REGIONS,
      default: 'us-east-1',
      doc: 'A region of the commercial, GovCloud or China partitions (the closed list of config/aws.ts): the region of the AWS provider of the networking, database, gateway, observability and edge stacks. Not of the bootstrap stack and the state backend, nor of the catalogue\'s Bedrock calls (see [Region](#region-what-follows-it))',
    },
    // AWS's tag rules (for one, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html): keys 1-128
    // and values 0-256 characters; "aws:" in any case is reserved as a prefix of keys and values; at most 50 tags per
    // resource (checkTags in config/index.ts, with env and application among them).
    tags: {
      kind: 'record',
      keyPattern: /^(?![aA][wW][sS]:)[\w .:/=+\-@]{1,128}$/,
      keyDescribe: 'tag keys (1-128 chars, not starting with aws: in any case)',
      values: {
        kind: 'string',
        pattern: /^(?![aA][wW][sS]:)[\w .:/=+\-@]{0,256}$/,
        describe: 'a tag value (0-256 chars of letters, digits, spaces and _.:/=+-@, not starting with aws: in any case)',
      },
      default: {},
      doc: 'Extra tags on every resource, after `env` and `application` (provider `default_tags`)',
    },
    networking: networkingSpec,
    database: databaseSpec,
    gateway: gatewaySpec,
    observability: observabilitySpec,
    secrets: secretsSpec,
    agents: agentsSpec,
    state: stateSpec,
    edge: edgeSpec,
  },
};

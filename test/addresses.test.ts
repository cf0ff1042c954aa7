import { readFileSync } from 'fs';
import * as path from 'path';
import { AddressTable, PINNED_ENVIRONMENTS, diffAddresses, stackAddresses, synthAddresses } from '../scripts/lib/addresses';

describe('Terraform addresses', () => {
  test('every stack keeps the addresses pinned in test/addresses.json', () => {
    const pinned = JSON.parse(readFileSync(path.join(__dirname, 'addresses.json'), 'utf8')) as AddressTable;
    const actual: AddressTable = Object.fromEntries(PINNED_ENVIRONMENTS.map((env) => [env, synthAddresses(env)]));
    const problems = diffAddresses(pinned, actual);
    if (problems.length > 0) {
      throw new Error(
        `${problems.join('\n')}\nA rename replaces the resource: move it deliberately (a moved block or overrideLogicalId), ` +
          'then record the new addresses with `npm run addresses -- --write`.',
      );
    }
  });

  test('lists resources, data sources, ephemeral blocks and outputs', () => {
    expect(
      stackAddresses({
        resource: { aws_vpc: { vpc: {} } },
        data: { aws_partition: { partition: {} } },
        ephemeral: { aws_secretsmanager_random_password: { key: {} } },
        output: { vpc_id: {} },
      }),
    ).toEqual(['aws_vpc.vpc', 'data.aws_partition.partition', 'ephemeral.aws_secretsmanager_random_password.key', 'output.vpc_id']);
  });

  test('a rename reads as one removal and one addition', () => {
    expect(diffAddresses({ dev: { net: ['aws_vpc.vpc', 'output.a'] } }, { dev: { net: ['aws_vpc.main', 'output.a'] } })).toEqual([
      'dev net: removed aws_vpc.vpc; added aws_vpc.main',
    ]);
    expect(diffAddresses({ dev: { net: ['aws_vpc.vpc'] } }, { dev: { net: ['aws_vpc.vpc'] } })).toEqual([]);
  });
});

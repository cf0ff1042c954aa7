import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { rdsStorageEncrypted } from './rds-storage-encrypted';

describe('rds-storage-encrypted', () => {
  test('an encrypted cluster is compliant', () => {
    expect(evaluateIn(rdsStorageEncrypted, tfElement('aws_rds_cluster.db', { storage_encrypted: true }))).toEqual(COMPLIANT);
  });

  test.each([
    [{}, 'storage_encrypted is not set'],
    [{ storage_encrypted: false }, 'storage_encrypted is false'],
  ])('%j is non-compliant', (attributes, finding) => {
    expect(findingsOf(evaluateIn(rdsStorageEncrypted, tfElement('aws_rds_cluster.db', attributes)))).toEqual([finding]);
  });
});

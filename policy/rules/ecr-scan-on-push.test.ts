import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { ecrScanOnPush } from './ecr-scan-on-push';

describe('ecr-scan-on-push', () => {
  test('scan on push is compliant', () => {
    const repo = tfElement('aws_ecr_repository.gw', { image_scanning_configuration: { scan_on_push: true } });
    expect(evaluateIn(ecrScanOnPush, repo)).toEqual(COMPLIANT);
  });

  test.each([[{}], [{ image_scanning_configuration: { scan_on_push: false } }]])('%j is non-compliant', (attributes) => {
    expect(findingsOf(evaluateIn(ecrScanOnPush, tfElement('aws_ecr_repository.gw', attributes)))).toEqual([
      'image_scanning_configuration.scan_on_push is not true',
    ]);
  });
});

import { firstBlock, isTrue } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** Basic scanning on push reports known CVEs in the gateway image before it is deployed. */
export function evaluateEcrScanOnPush(element: TfElement): RuleResult {
  const scanning = firstBlock(element.attributes['image_scanning_configuration']);
  return isTrue(scanning?.['scan_on_push'])
    ? COMPLIANT
    : nonCompliant('image_scanning_configuration.scan_on_push is not true');
}

export const ecrScanOnPush: PolicyRule = {
  id: 'ecr-scan-on-push',
  title: 'ECR repositories scan images on push',
  appliesTo: ['aws_ecr_repository'],
  fix: 'Set imageScanningConfiguration: { scanOnPush: true } on the EcrRepository.',
  evaluate: evaluateEcrScanOnPush,
};

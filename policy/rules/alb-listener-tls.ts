import { asString, describeValue, isNonEmptyString } from '../terraform';
import { NOT_APPLICABLE, verdict, type PolicyRule, type RuleResult, type TfElement } from '../types';

/**
 * Predefined ELB policies whose minimum protocol is TLS 1.2 or 1.3. The minimum is encoded in the name:
 * `TLS13-1-2-*` / `TLS13-1-3-*` (incl. Res, Ext, FIPS and post-quantum PQ variants), `TLS-1-2-*`, `FS-1-2-*`.
 * Rejected: `ELBSecurityPolicy-2016-08` (what the API picks when ssl_policy is omitted), `2015-05`,
 * `FS-2018-06`, `TLS-1-1-*`, `FS-1-1-*`, `TLS13-1-0-*`, `TLS13-1-1-*`, which all still accept TLS 1.0/1.1.
 */
export const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

const TLS_PROTOCOLS: readonly string[] = ['HTTPS', 'TLS'];

export function isTls12Policy(policy: string): boolean {
  return TLS12_POLICY.test(policy);
}

/** Applies to listeners that terminate TLS: a certificate is configured or the protocol is HTTPS/TLS. */
export function evaluateAlbListenerTls(element: TfElement): RuleResult {
  const { attributes } = element;
  const protocol = asString(attributes['protocol'])?.toUpperCase();
  const hasCertificate = isNonEmptyString(attributes['certificate_arn']);
  const terminatesTls = protocol !== undefined && TLS_PROTOCOLS.includes(protocol);
  if (!hasCertificate && !terminatesTls) {
    return NOT_APPLICABLE;
  }
  const problems: string[] = [];
  if (hasCertificate && !terminatesTls) {
    problems.push(`a certificate is configured but protocol is ${describeValue(attributes['protocol'])}, not HTTPS`);
  }
  const policy = asString(attributes['ssl_policy']);
  if (policy === undefined) {
    problems.push('ssl_policy is not set, so AWS applies ELBSecurityPolicy-2016-08 (TLS 1.0+)');
  } else if (!isTls12Policy(policy)) {
    problems.push(`ssl_policy ${JSON.stringify(policy)} allows protocols older than TLS 1.2`);
  }
  return verdict(problems);
}

export const albListenerTls: PolicyRule = {
  id: 'alb-listener-tls',
  title: 'TLS listeners use HTTPS with a TLS 1.2+ security policy',
  appliesTo: ['aws_lb_listener', 'aws_alb_listener'],
  fix: 'Use protocol HTTPS and sslPolicy "ELBSecurityPolicy-TLS13-1-2-2021-06" (or another TLS13-1-2/TLS13-1-3/TLS-1-2/FS-1-2 policy).',
  evaluate: evaluateAlbListenerTls,
};

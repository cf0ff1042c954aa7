import { argumentStatements, isEveryone, readPolicyArgument, type PolicyStatement } from '../iam';
import { bucketCompanions } from '../s3';
import { COMPLIANT, nonCompliant, type PolicyContext, type PolicyRule, type RuleResult, type TfElement } from '../types';

/**
 * The statement AWS recommends (and checkov/Security Hub S3.5 look for): deny s3:* to everyone when
 * aws:SecureTransport is false. Resources are not checked: a bucket policy can only name its own bucket.
 */
export function isTlsOnlyStatement(statement: PolicyStatement): boolean {
  const coversAllS3 = statement.actions.some((action) => action === 's3:*' || action === '*');
  const deniesPlainHttp = statement.conditions.some(
    (condition) =>
      condition.test === 'Bool' &&
      condition.variable.toLowerCase() === 'aws:securetransport' &&
      condition.values.includes('false'),
  );
  return statement.effect === 'Deny' && coversAllS3 && isEveryone(statement.principals) && deniesPlainHttp;
}

/** The state holds secrets in clear text (e.g. generated passwords); it must never travel over plain HTTP. */
export function evaluateS3TlsOnly(element: TfElement, context: PolicyContext): RuleResult {
  const policies = bucketCompanions(element, 'aws_s3_bucket_policy', context);
  const inlinePolicy = element.attributes['policy'];
  const argumentsToRead = [
    ...policies.map((policy) => policy.attributes['policy']),
    ...(inlinePolicy === undefined ? [] : [inlinePolicy]),
  ].map(readPolicyArgument);
  const enforced = argumentsToRead.some((argument) =>
    argumentStatements(argument, context).some(isTlsOnlyStatement),
  );
  if (enforced) {
    return COMPLIANT;
  }
  if (argumentsToRead.length === 0) {
    return nonCompliant(`no aws_s3_bucket_policy references ${element.address}`);
  }
  const unreadable = argumentsToRead.flatMap((argument) => (argument.kind === 'unverifiable' ? [argument.reason] : []));
  return nonCompliant(
    `no bucket policy statement denies s3:* to "*" when aws:SecureTransport is false${
      unreadable.length > 0 ? ` (${unreadable.join('; ')})` : ''
    }`,
  );
}

export const s3TlsOnly: PolicyRule = {
  id: 's3-tls-only',
  title: 'S3 bucket policies deny requests without TLS',
  appliesTo: ['aws_s3_bucket'],
  fix: 'Attach an S3BucketPolicy whose document has a statement { effect: "Deny", principals: [{ type: "*", identifiers: ["*"] }], actions: ["s3:*"], resources: [bucket.arn, `${bucket.arn}/*`], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] }.',
  evaluate: evaluateS3TlsOnly,
};

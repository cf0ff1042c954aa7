import { IAM_POLICY_DOCUMENT, statementsFromDocument, type PolicyStatement } from '../iam';
import { NOT_APPLICABLE, verdict, type PolicyRule, type RuleResult, type TfElement } from '../types';

const BEDROCK = 'bedrock.amazonaws.com';
const SOURCE_ACCOUNT_TESTS = new Set(['StringEquals']);
const SOURCE_ARN_TESTS = new Set(['ArnLike', 'ArnEquals', 'StringLike', 'StringEquals']);

function has(statement: PolicyStatement, variable: string, tests: ReadonlySet<string>): boolean {
  return statement.conditions.some((c) => c.variable.toLowerCase() === variable && tests.has(c.test) && c.values.length > 0 && !c.values.includes('*'));
}

/**
 * Confused-deputy guard for what Bedrock does on the account's behalf (invocation logging's role trust and bucket
 * policy): a statement that lets `bedrock.amazonaws.com` act must pin both `aws:SourceAccount` and `aws:SourceArn`,
 * as the Bedrock User Guide's invocation-logging and service-role examples do. Without them any account's Bedrock
 * resource could be pointed at this role or bucket.
 */
export function evaluateBedrockServicePrincipalScoped(element: TfElement): RuleResult {
  if (element.mode !== 'data' || element.type !== IAM_POLICY_DOCUMENT) return NOT_APPLICABLE;
  const relevant = statementsFromDocument(element.attributes).filter(
    (s) => s.effect === 'Allow' && s.principals.some((p) => p.type === 'Service' && p.identifiers.includes(BEDROCK)),
  );
  if (relevant.length === 0) return NOT_APPLICABLE;
  return verdict(
    relevant.flatMap((s) => {
      const label = s.sid === undefined ? 'an Allow statement for bedrock.amazonaws.com' : `statement ${JSON.stringify(s.sid)}`;
      const problems: string[] = [];
      if (!has(s, 'aws:sourceaccount', SOURCE_ACCOUNT_TESTS)) problems.push(`${label} has no StringEquals aws:SourceAccount condition`);
      if (!has(s, 'aws:sourcearn', SOURCE_ARN_TESTS)) problems.push(`${label} has no aws:SourceArn condition (ArnLike/ArnEquals)`);
      return problems;
    }),
  );
}

export const bedrockServicePrincipalScoped: PolicyRule = {
  id: 'bedrock-service-principal-scoped',
  title: 'Statements that let bedrock.amazonaws.com act pin aws:SourceAccount and aws:SourceArn',
  appliesTo: [`data.${IAM_POLICY_DOCUMENT}`],
  fix: 'Add condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }, { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:${partition}:bedrock:${region}:${account}:*`] }].',
  evaluate: evaluateBedrockServicePrincipalScoped,
};

/**
 * One view of IAM policy statements, whether they come from a `data "aws_iam_policy_document"` (the project's way:
 * `statement` blocks with `actions` / `resources` / `effect`) or from a plain JSON `policy` string.
 */
import { blocks, interpolations, isJsonObject, parseJsonArgument, stringList } from './terraform';
import type { JsonObject, JsonValue, PolicyContext, TfElement } from './types';

export interface PolicyPrincipal {
  /** `*`, `AWS`, `Service`, `Federated`. */
  readonly type: string;
  readonly identifiers: readonly string[];
}

export interface PolicyCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly principals: readonly PolicyPrincipal[];
  readonly conditions: readonly PolicyCondition[];
}

export const IAM_POLICY_DOCUMENT = 'aws_iam_policy_document';

function effectOf(value: JsonValue | undefined): 'Allow' | 'Deny' {
  // Both the data source and IAM default to Allow when the effect is omitted.
  return value === 'Deny' ? 'Deny' : 'Allow';
}

/** Statements of a `data.aws_iam_policy_document` element (its own blocks only, see `documentStatements`). */
export function statementsFromDocument(attributes: JsonObject): readonly PolicyStatement[] {
  return blocks(attributes['statement']).map((statement) => ({
    ...(typeof statement['sid'] === 'string' ? { sid: statement['sid'] } : {}),
    effect: effectOf(statement['effect']),
    actions: stringList(statement['actions']),
    notActions: stringList(statement['not_actions']),
    resources: stringList(statement['resources']),
    notResources: stringList(statement['not_resources']),
    principals: blocks(statement['principals']).map((principal) => ({
      type: typeof principal['type'] === 'string' ? principal['type'] : '',
      identifiers: stringList(principal['identifiers']),
    })),
    conditions: blocks(statement['condition']).map((condition) => ({
      test: typeof condition['test'] === 'string' ? condition['test'] : '',
      variable: typeof condition['variable'] === 'string' ? condition['variable'] : '',
      values: stringList(condition['values']),
    })),
  }));
}

/** Condition values may be JSON booleans or numbers (`"aws:SecureTransport": false`); compare them as strings. */
function scalarList(value: JsonValue | undefined): readonly string[] {
  const list = Array.isArray(value) ? value : [value];
  return list
    .filter((item): item is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof item))
    .map(String);
}

function principalsFromJson(value: JsonValue | undefined): readonly PolicyPrincipal[] {
  if (value === '*') {
    return [{ type: '*', identifiers: ['*'] }];
  }
  if (!isJsonObject(value)) {
    return [];
  }
  return Object.entries(value).map(([type, identifiers]) => ({ type, identifiers: stringList(identifiers) }));
}

function conditionsFromJson(value: JsonValue | undefined): readonly PolicyCondition[] {
  if (!isJsonObject(value)) {
    return [];
  }
  return Object.entries(value).flatMap(([test, byVariable]) =>
    isJsonObject(byVariable)
      ? Object.entries(byVariable).map(([variable, values]) => ({ test, variable, values: scalarList(values) }))
      : [],
  );
}

/** Statements of a parsed IAM JSON document (`{"Statement": [...]}` or a single statement object). */
export function statementsFromJson(document: JsonValue): readonly PolicyStatement[] {
  if (!isJsonObject(document)) {
    return [];
  }
  const raw = document['Statement'];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter(isJsonObject).map((statement) => ({
    ...(typeof statement['Sid'] === 'string' ? { sid: statement['Sid'] } : {}),
    effect: effectOf(statement['Effect']),
    actions: stringList(statement['Action']),
    notActions: stringList(statement['NotAction']),
    resources: stringList(statement['Resource']),
    notResources: stringList(statement['NotResource']),
    principals: principalsFromJson(statement['Principal']),
    conditions: conditionsFromJson(statement['Condition']),
  }));
}

/** How a `policy` argument holds its document. */
export type PolicyArgument =
  | { readonly kind: 'absent' }
  /** `${data.aws_iam_policy_document.x.json}`: the document is an element of its own. */
  | { readonly kind: 'document'; readonly address: string }
  | { readonly kind: 'statements'; readonly statements: readonly PolicyStatement[] }
  | { readonly kind: 'unverifiable'; readonly reason: string };

const DOCUMENT_JSON = /^\s*(data\.aws_iam_policy_document\.[A-Za-z_][A-Za-z0-9_-]*)\.(json|minified_json)\s*$/;

/** Reads a `policy` / `assume_role_policy` argument. */
export function readPolicyArgument(value: JsonValue | undefined): PolicyArgument {
  if (value === undefined || value === null || value === '') {
    return { kind: 'absent' };
  }
  if (typeof value === 'string') {
    const expressions = interpolations(value);
    const onlyExpression = expressions.length === 1 && value.trim() === `\${${expressions[0] ?? ''}}`;
    const match = onlyExpression ? DOCUMENT_JSON.exec(expressions[0] ?? '') : null;
    if (match?.[1] !== undefined) {
      return { kind: 'document', address: match[1] };
    }
  }
  const parsed = parseJsonArgument(value);
  if (!parsed.ok) {
    return { kind: 'unverifiable', reason: `the policy cannot be read: ${parsed.reason}` };
  }
  return { kind: 'statements', statements: statementsFromJson(parsed.value) };
}

/**
 * All statements a policy document data source produces, following `source_policy_documents` and
 * `override_policy_documents` into other documents of the stack (or plain JSON). Unreadable sources are skipped:
 * callers use this to look for a statement that must be present.
 */
export function documentStatements(
  document: TfElement,
  context: PolicyContext,
  seen: ReadonlySet<string> = new Set(),
): readonly PolicyStatement[] {
  if (seen.has(document.address)) {
    return [];
  }
  const visited = new Set([...seen, document.address]);
  const included = ['source_policy_documents', 'override_policy_documents'].flatMap((key) => {
    const sources = document.attributes[key];
    const list = Array.isArray(sources) ? sources : sources === undefined ? [] : [sources];
    return list.flatMap((source) => argumentStatements(readPolicyArgument(source), context, visited));
  });
  return [...statementsFromDocument(document.attributes), ...included];
}

/** Statements behind a policy argument, resolving document references within the stack. */
export function argumentStatements(
  argument: PolicyArgument,
  context: PolicyContext,
  seen: ReadonlySet<string> = new Set(),
): readonly PolicyStatement[] {
  switch (argument.kind) {
    case 'statements':
      return argument.statements;
    case 'document': {
      const document = context.byAddress(argument.address);
      return document === undefined ? [] : documentStatements(document, context, seen);
    }
    case 'absent':
    case 'unverifiable':
      return [];
  }
}

/** A principal that matches every caller: `"Principal": "*"` or `{"AWS": "*"}`. */
export function isEveryone(principals: readonly PolicyPrincipal[]): boolean {
  return principals.some(
    (principal) => (principal.type === '*' || principal.type === 'AWS') && principal.identifiers.includes('*'),
  );
}

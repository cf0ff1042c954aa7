/**
 * Runs a pack over a stack. `evaluateElements` is the pure core (elements in, report out); `evaluateStack` feeds it
 * a real stack; `applyPolicy` registers a validation so that a violation fails `app.synth()` and
 * `Testing.synth(stack, true)`.
 *
 * Why a validation and not an Aspect: cdktf 0.21 never runs aspects added to the App, only those on each stack,
 * and a validation sees the resolved JSON (`stack.toTerraform()`), overrides and escape hatches included, which is
 * exactly what Terraform will get.
 */
import { TerraformDataSource, TerraformResource, TerraformStack } from 'cdktf';
import { createContext, elementsOf } from './context';
import { gatewayPack } from './packs/gateway-pack';
import { suppressionsOf, terraformAddressOf, type Suppression } from './suppressions';
import {
  elementKind,
  type JsonValue,
  type PolicyContext,
  type PolicyPack,
  type PolicyRule,
  type RuleResult,
  type TfElement,
} from './types';

export interface PolicyOptions {
  /** @default gatewayPack */
  readonly pack?: PolicyPack;
  /** Environment name from the configuration (`dev`, `prod`, or one a configuration file defines). */
  readonly environment: string;
  /**
   * The built-in environment it is based on (`dev` or `prod`): rules that apply to production only follow this, so
   * an environment based on prod is held to prod's requirements whatever its name. @default - environment
   */
  readonly baseEnvironment?: string;
}

export interface RuleRow {
  readonly rule: string;
  readonly title: string;
  /** Elements the rule applied to (not-applicable results are not counted). */
  readonly checked: number;
  readonly pass: number;
  readonly fail: number;
  readonly suppressed: number;
}

export interface Finding {
  readonly ruleId: string;
  readonly title: string;
  readonly address: string;
  readonly constructPath?: string;
  /** `fail` fails synth; `suppressed` is reported only. */
  readonly status: 'fail' | 'suppressed';
  readonly details: readonly string[];
  readonly fix: string;
  /** The suppression reason, for suppressed findings. */
  readonly reason?: string;
}

/** A suppression that matched no violation: the problem was fixed or the suppression sits on the wrong resource. */
export interface UnusedSuppression {
  readonly address: string;
  readonly ruleId: string;
  readonly reason: string;
}

export interface StackReport {
  readonly stack: string;
  readonly environment: string;
  readonly pack: string;
  readonly elements: number;
  /** One row per rule of the pack, in pack order. */
  readonly rows: readonly RuleRow[];
  readonly findings: readonly Finding[];
  readonly unusedSuppressions: readonly UnusedSuppression[];
}

export interface EvaluationInput {
  readonly stackName: string;
  readonly environment: string;
  /** @default - environment */
  readonly baseEnvironment?: string;
  readonly pack: PolicyPack;
  readonly elements: readonly TfElement[];
  /** Suppressions by Terraform address. */
  readonly suppressions?: ReadonlyMap<string, readonly Suppression[]>;
}

/** A rule that throws must not pass silently: its exception becomes a finding. */
function safeEvaluate(rule: PolicyRule, element: TfElement, context: PolicyContext): RuleResult {
  try {
    return rule.evaluate(element, context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'non-compliant', findings: [`the rule itself failed: ${message}`] };
  }
}

/** Pure evaluation of a pack over synthesized elements. */
export function evaluateElements(input: EvaluationInput): StackReport {
  const context = createContext(input.elements, { stackName: input.stackName, environment: input.environment, baseEnvironment: input.baseEnvironment });
  const suppressions = input.suppressions ?? new Map<string, readonly Suppression[]>();
  const used = new Set<string>();
  const findings: Finding[] = [];
  const rows = input.pack.rules.map((rule): RuleRow => {
    let pass = 0;
    let fail = 0;
    let suppressed = 0;
    for (const element of input.elements) {
      if (!rule.appliesTo.includes(elementKind(element))) {
        continue;
      }
      const result = safeEvaluate(rule, element, context);
      if (result.status === 'compliant') {
        pass += 1;
      } else if (result.status === 'non-compliant') {
        const suppression = suppressions.get(element.address)?.find((candidate) => candidate.ruleId === rule.id);
        if (suppression !== undefined) {
          used.add(`${element.address}\u0000${rule.id}`);
          suppressed += 1;
        } else {
          fail += 1;
        }
        findings.push({
          ruleId: rule.id,
          title: rule.title,
          address: element.address,
          ...(element.constructPath === undefined ? {} : { constructPath: element.constructPath }),
          status: suppression === undefined ? 'fail' : 'suppressed',
          details: result.findings,
          fix: rule.fix,
          ...(suppression === undefined ? {} : { reason: suppression.reason }),
        });
      }
    }
    return { rule: rule.id, title: rule.title, checked: pass + fail + suppressed, pass, fail, suppressed };
  });
  const unusedSuppressions = [...suppressions.entries()].flatMap(([address, list]) =>
    list
      .filter((suppression) => !used.has(`${address}\u0000${suppression.ruleId}`))
      .map((suppression) => ({ address, ruleId: suppression.ruleId, reason: suppression.reason })),
  );
  return {
    stack: input.stackName,
    environment: input.environment,
    pack: input.pack.name,
    elements: input.elements.length,
    rows,
    findings,
    unusedSuppressions,
  };
}

/** Suppressions recorded on the stack's own resources and data sources (not those of nested stacks). */
function stackSuppressions(stack: TerraformStack): ReadonlyMap<string, readonly Suppression[]> {
  const byAddress = new Map<string, readonly Suppression[]>();
  for (const node of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(node) && !TerraformDataSource.isTerraformDataSource(node)) {
      continue;
    }
    const list = suppressionsOf(node);
    const address = terraformAddressOf(node);
    if (list.length > 0 && address !== undefined && TerraformStack.of(node) === stack) {
      byAddress.set(address, [...(byAddress.get(address) ?? []), ...list]);
    }
  }
  return byAddress;
}

const appliedOptions = new WeakMap<TerraformStack, Required<PolicyOptions>>();

/** The options `applyPolicy` registered for a stack, if it was called. */
export function policyOptionsOf(stack: TerraformStack): Required<PolicyOptions> | undefined {
  return appliedOptions.get(stack);
}

function resolveOptions(options: PolicyOptions): Required<PolicyOptions> {
  if (options.environment.trim() === '') {
    throw new Error('applyPolicy(): environment must be a non-empty environment name such as "dev" or "prod".');
  }
  const pack = options.pack ?? gatewayPack;
  const ids = pack.rules.map((rule) => rule.id);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined) {
    throw new Error(`applyPolicy(): pack "${pack.name}" lists rule "${duplicate}" twice.`);
  }
  return { pack, environment: options.environment, baseEnvironment: options.baseEnvironment ?? options.environment };
}

/**
 * Evaluates a stack's resolved Terraform JSON.
 *
 * @param options defaults to what `applyPolicy` registered for the stack
 * @throws if no options are given and applyPolicy was not called on the stack
 */
export function evaluateStack(stack: TerraformStack, options?: PolicyOptions): StackReport {
  const resolved = options === undefined ? policyOptionsOf(stack) : resolveOptions(options);
  if (resolved === undefined) {
    throw new Error(`evaluateStack(): no options given and applyPolicy() was never called on stack ${stack.node.path}.`);
  }
  // toTerraform() is the same resolution synth writes to cdk.tf.json; its result is plain JSON data.
  const synthesized = stack.toTerraform() as JsonValue;
  return evaluateElements({
    stackName: stack.node.id,
    environment: resolved.environment,
    baseEnvironment: resolved.baseEnvironment,
    pack: resolved.pack,
    elements: elementsOf(synthesized),
    suppressions: stackSuppressions(stack),
  });
}

/** One line per violation: rule id, Terraform address, construct path, what is wrong, how to fix it. */
export function formatViolation(finding: Finding): string {
  const where = finding.constructPath === undefined ? finding.address : `${finding.address} (${finding.constructPath})`;
  return (
    `[${finding.ruleId}] ${where}: ${finding.details.join('; ')}. Fix: ${finding.fix} ` +
    `If the risk is accepted, call suppress(<that construct>, '${finding.ruleId}', '<reason>') instead.`
  );
}

/**
 * Holds a stack to a policy pack: every unsuppressed violation becomes a validation error, which makes
 * `app.synth()` and `Testing.synth(stack, true)` throw. Call once per stack (aspects on the App never run in
 * cdktf 0.21, so nothing reaches the stacks from above).
 *
 * @throws if called twice on the same stack, or the pack lists a rule twice
 */
export function applyPolicy(stack: TerraformStack, options: PolicyOptions): void {
  if (appliedOptions.has(stack)) {
    throw new Error(`applyPolicy(): already applied to stack ${stack.node.path}.`);
  }
  appliedOptions.set(stack, resolveOptions(options));
  stack.node.addValidation({
    validate: () =>
      evaluateStack(stack)
        .findings.filter((finding) => finding.status === 'fail')
        .map(formatViolation),
  });
}

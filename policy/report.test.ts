import { evaluateElements } from './engine';
import { formatStackReport, violationCount } from './report';
import { vpcDefaultSgClosed } from './rules/vpc-default-sg-closed';
import { vpcFlowLogs } from './rules/vpc-flow-logs';
import { albInternal } from './rules/alb-internal';
import { tfElement } from './testing';

const report = evaluateElements({
  stackName: 'dev-networking',
  environment: 'dev',
  pack: { name: 'test-pack', rules: [vpcFlowLogs, vpcDefaultSgClosed, albInternal] },
  elements: [
    tfElement('aws_vpc.vpc'),
    tfElement('aws_vpc.legacy'),
    tfElement('aws_default_security_group.d', { vpc_id: '${aws_vpc.vpc.id}' }),
    tfElement('aws_default_security_group.l', { vpc_id: '${aws_vpc.legacy.id}' }),
    tfElement('aws_flow_log.f', { vpc_id: '${aws_vpc.vpc.id}' }),
  ],
  suppressions: new Map([
    ['aws_vpc.legacy', [{ ruleId: 'vpc-flow-logs', reason: 'Legacy VPC, deleted in Q3' }]],
    ['aws_vpc.vpc', [{ ruleId: 'vpc-default-sg-closed', reason: 'Left over from an old exception' }]],
  ]),
});

describe('formatStackReport', () => {
  test('prints the table of active rules, suppressions with reasons and unused suppressions', () => {
    expect(formatStackReport(report).split('\n')).toEqual([
      'Stack dev-networking (environment dev, pack test-pack, 5 elements)',
      '  rule                   checked  pass  fail  suppressed',
      '  vpc-flow-logs                2     1     0           1',
      '  vpc-default-sg-closed        2     2     0           0',
      '  (1 other rule(s) found nothing to check in this stack)',
      '  Suppressions:',
      '    [vpc-flow-logs] aws_vpc.legacy: Legacy VPC, deleted in Q3 (finding: no aws_flow_log in the stack has vpc_id referencing aws_vpc.legacy)',
      '  Unused suppressions (nothing to suppress any more; remove them):',
      '    [vpc-default-sg-closed] aws_vpc.vpc: Left over from an old exception',
    ]);
    expect(violationCount([report])).toBe(0);
  });

  test('lists violations with their fix', () => {
    const failing = evaluateElements({
      stackName: 's', environment: 'dev', pack: { name: 'p', rules: [albInternal] }, elements: [tfElement('aws_lb.alb')],
    });
    expect(formatStackReport(failing)).toContain(
      "  Violations:\n    [alb-internal] aws_lb.alb: the load balancer is internet-facing (internal is not true). Fix: Set internal: true",
    );
    expect(violationCount([failing, report])).toBe(1);
  });
});

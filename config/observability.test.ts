import { loadConfig } from './index';
import { alarmDefaults } from './observability';

describe('observability defaults', () => {
  test.each([
    ['dev', 'LlmGateway-document-processing'],
    ['prod', 'LlmGateway-document-processing-prod'],
  ])('%s: seed namespace, dashboard %s, no e-mails, default thresholds', (environment, dashboardName) => {
    const { observability } = loadConfig({ environment });
    expect(observability.metricNamespace).toBe('DocumentProcessing/LlmGateway');
    expect(observability.dashboardName).toBe(dashboardName);
    expect(observability.alarmEmails).toEqual([]);
    expect(observability.alarms).toEqual(alarmDefaults);
  });

  test('the new thresholds default to 10 requests and 1 unhealthy target', () => {
    expect(alarmDefaults.errorRateMinRequests).toBe(10);
    expect(alarmDefaults.unhealthyTargets).toBe(1);
  });

  test('overrides merge key by key into the alarm thresholds', () => {
    const { observability } = loadConfig({
      environment: 'prod',
      overrides: { observability: { alarmEmails: ['oncall@example.com'], alarms: { cpuPercent: 90, unhealthyTargets: 2 } } },
    });
    expect(observability.alarms).toEqual({ ...alarmDefaults, cpuPercent: 90, unhealthyTargets: 2 });
    expect(observability.alarmEmails).toEqual(['oncall@example.com']);
  });
});

describe('observability validation names the field, the value and what is allowed', () => {
  const invalid: Array<[string, unknown, RegExp]> = [
    ['dashboard name with a space', { dashboardName: 'My dashboard' }, /observability\.dashboardName: got "My dashboard"; allowed: a dashboard name of letters, digits, - and _/],
    ['AWS/ namespace', { metricNamespace: 'AWS/Gateway' }, /observability\.metricNamespace: got "AWS\/Gateway"; allowed: a CloudWatch namespace not starting with AWS\//],
    ['malformed e-mail', { alarmEmails: ['oncall'] }, /observability\.alarmEmails\[0\]: got "oncall"; allowed: an e-mail address/],
    ['duplicate e-mails', { alarmEmails: ['a@example.com', 'a@example.com'] }, /observability\.alarmEmails: duplicate items; got .*; allowed: distinct items/],
    ['error rate above 100 %', { alarms: { errorRatePercent: 150 } }, /observability\.alarms\.errorRatePercent: got 150; allowed: a number from 1 to 100/],
    ['CPU threshold 0 %', { alarms: { cpuPercent: 0 } }, /observability\.alarms\.cpuPercent: got 0; allowed: a number from 1 to 100/],
    ['negative 5xx count', { alarms: { alb5xxCount: -1 } }, /observability\.alarms\.alb5xxCount: got -1; allowed: a number >= 0/],
    ['fractional minimum request count', { alarms: { errorRateMinRequests: 2.5 } }, /observability\.alarms\.errorRateMinRequests: got 2\.5; allowed: an integer >= 1/],
    ['zero minimum request count', { alarms: { errorRateMinRequests: 0 } }, /observability\.alarms\.errorRateMinRequests: got 0; allowed: an integer >= 1/],
    ['zero unhealthy targets', { alarms: { unhealthyTargets: 0 } }, /observability\.alarms\.unhealthyTargets: got 0; allowed: an integer >= 1/],
    ['fractional unhealthy targets', { alarms: { unhealthyTargets: 1.5 } }, /observability\.alarms\.unhealthyTargets: got 1\.5; allowed: an integer >= 1/],
    ['unknown threshold', { alarms: { latencyP50: 3 } }, /observability\.alarms\.latencyP50: unknown key; got 3; allowed: one of the keys/],
  ];

  test.each(invalid)('%s', (_, observability, message) => {
    expect(() => loadConfig({ environment: 'dev', overrides: { observability } })).toThrow(message);
  });
});

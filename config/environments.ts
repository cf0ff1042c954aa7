import { agentsDefaults } from './agents';
import { databaseDefaults } from './database';
import { edgeDefaults } from './edge';
import { gatewayDefaults } from './gateway';
import { networkingDefaults } from './networking';
import { observabilityDefaults } from './observability';
import { secretsDefaults } from './secrets';
import { stateDefaults } from './state';
import type { RawConfig } from './app-config';

/** Defaults shared by every environment: they reproduce the seed design (us-east-1, `document-processing`). */
export const BASE: RawConfig = {
  appName: 'document-processing',
  region: 'us-east-1',
  tags: {},
  networking: networkingDefaults,
  database: databaseDefaults,
  gateway: gatewayDefaults,
  observability: observabilityDefaults,
  edge: edgeDefaults,
  secrets: secretsDefaults,
  agents: agentsDefaults,
  state: stateDefaults,
};

/**
 * What each environment changes on top of BASE. Arrays replace, objects merge. Keep the differences few and
 * deliberate: each one is a resource that exists in one environment and not the other.
 */
export const ENVIRONMENTS: Readonly<Record<string, RawConfig>> = {
  // Cost levers (docs/cost.md): Spot tasks, no Container Insights and usage numbers from Logs Insights rather than
  // custom metrics keep dev at or under the seed's $126/month with the same stacks and the same single task; prod
  // keeps on-demand tasks, Container Insights and metric history.
  // dev may run without anyone watching its alarms; every other environment must say who is paged.
  dev: {
    gateway: { capacity: { mode: 'spot' }, containerInsights: false },
    observability: { totalTokensMetric: false, usageMetrics: 'logs-insights', allowUnsubscribedAlarms: true },
  },
  prod: {
    networking: { natGateways: 'per-az', flowLogs: { trafficType: 'ALL', retentionDays: 90 } },
    database: {
      minCapacity: 0.5,
      maxCapacity: 4,
      readers: 1,
      backupRetentionDays: 14,
      deletionProtection: true,
      skipFinalSnapshot: false,
      performanceInsights: true,
      secretRecoveryDays: 30,
    },
    gateway: {
      desiredCount: 2,
      minTasks: 2,
      logRetentionDays: 90,
      redis: { enabled: true },
      albDeletionProtection: true,
    },
    observability: { budgets: { bedrockMonthlyUsd: 1000, totalMonthlyUsd: 400 } },
  },
};

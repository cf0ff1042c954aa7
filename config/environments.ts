import { agentsDefaults } from './agents';
import { databaseDefaults } from './database';
import { gatewayDefaults } from './gateway';
import { networkingDefaults } from './networking';
import { alarmDefaults } from './observability';
import { secretsDefaults } from './secrets';
import { stateDefaults } from './state';
import type { RawConfig } from './index';

/** Defaults shared by every environment: they reproduce the seed design (us-east-1, `document-processing`). */
export const BASE: RawConfig = {
  appName: 'document-processing',
  region: 'us-east-1',
  tags: {},
  networking: networkingDefaults,
  database: databaseDefaults,
  gateway: gatewayDefaults,
  observability: {
    metricNamespace: 'DocumentProcessing/LlmGateway',
    alarmEmails: [],
    alarms: alarmDefaults,
  },
  secrets: secretsDefaults,
  agents: agentsDefaults,
  state: stateDefaults,
};

/**
 * What each environment changes on top of BASE. Arrays replace, objects merge. Keep the differences few and
 * deliberate: each one is a resource that exists in one environment and not the other.
 */
export const ENVIRONMENTS: Readonly<Record<string, RawConfig>> = {
  dev: {},
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
    },
  },
};

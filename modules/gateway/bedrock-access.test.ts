import type { ModelCatalogue } from '../model-catalogue';
import { BEDROCK_INVOKE_ACTIONS, bedrockInvokeStatements, bedrockResources, marketplaceSubscribeStatements, unknownMarketplaceModels } from './bedrock-access';
import { statementProblems } from '../../policy/rules/iam-no-wildcards';
import { statementsFromDocument } from '../../policy/iam';
import type { JsonValue } from '../../policy/types';
import { catalogueFrom, TWO_MODELS } from '../../test/catalogues';

const CTX = { partition: 'aws', account: '111122223333' };
const SONNET = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const US_REGIONS = ['us-east-1', 'us-east-2', 'us-west-2'];

function catalogueWith(models: { alias: string; model: string; region: string }[]): ModelCatalogue {
  return catalogueFrom({
    model_list: models.map((m) => ({ model_name: m.alias, litellm_params: { model: m.model, aws_region_name: m.region }, tpm: 1000, rpm: 10 })),
    litellm_settings: { request_timeout: 600 },
  });
}

const SONNET_PROFILE = `arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.${SONNET}`;
const HAIKU_PROFILE = `arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.${HAIKU}`;

describe('a catalogue shaped like the default (test/catalogues.ts TWO_MODELS)', () => {
  // GIVEN three aliases: Sonnet, and Haiku twice (claude-fallback and claude-fast)
  const resources = bedrockResources(TWO_MODELS, CTX);

  test('one inference profile per distinct model id, in the call region with the caller account', () => {
    expect(resources.profiles.map((p) => p.profileArn)).toEqual([SONNET_PROFILE, HAIKU_PROFILE]);
  });

  test('each profile\'s foundation model in every region (region *), never a fixed list of destinations', () => {
    expect(resources.profiles.map((p) => p.foundationModelArn)).toEqual([
      `arn:aws:bedrock:*::foundation-model/${SONNET}`,
      `arn:aws:bedrock:*::foundation-model/${HAIKU}`,
    ]);
  });

  test('no model is called without a profile', () => {
    expect(resources.directFoundationModelArns).toEqual([]);
  });
});

describe('policy statements', () => {
  const statements = bedrockInvokeStatements(TWO_MODELS, CTX);

  test('exactly InvokeModel and InvokeModelWithResponseStream; the only * is the region of a conditioned foundation model', () => {
    expect(BEDROCK_INVOKE_ACTIONS).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
    for (const s of statements) {
      expect(s.actions).toEqual([...BEDROCK_INVOKE_ACTIONS]);
      for (const r of s.resources ?? []) {
        if (r.includes('*')) {
          expect(r).toMatch(/^arn:aws:bedrock:\*::foundation-model\/[^*]+$/);
          expect(s.condition).toHaveLength(1);
        }
      }
    }
  });

  test('the profiles unconditioned; each foundation model only through its own profile (AWS pattern)', () => {
    expect(statements).toEqual([
      { sid: 'InvokeInferenceProfiles', effect: 'Allow', actions: [...BEDROCK_INVOKE_ACTIONS], resources: [SONNET_PROFILE, HAIKU_PROFILE] },
      {
        sid: 'InvokeFoundationModelThroughProfile1',
        effect: 'Allow',
        actions: [...BEDROCK_INVOKE_ACTIONS],
        resources: [`arn:aws:bedrock:*::foundation-model/${SONNET}`],
        condition: [{ test: 'StringEquals', variable: 'bedrock:InferenceProfileArn', values: [SONNET_PROFILE] }],
      },
      {
        sid: 'InvokeFoundationModelThroughProfile2',
        effect: 'Allow',
        actions: [...BEDROCK_INVOKE_ACTIONS],
        resources: [`arn:aws:bedrock:*::foundation-model/${HAIKU}`],
        condition: [{ test: 'StringEquals', variable: 'bedrock:InferenceProfileArn', values: [HAIKU_PROFILE] }],
      },
    ]);
  });

  test('a destination AWS adds later (us-west-1 for Haiku 4.5) is covered without a change', () => {
    const haiku = statements.find((s) => s.sid === 'InvokeFoundationModelThroughProfile2')!;
    const regionPattern = haiku.resources![0].split(':')[3];
    expect(regionPattern).toBe('*');
    expect(US_REGIONS.concat('us-west-1').every((r) => new RegExp(`^${regionPattern.replace('*', '.*')}$`).test(r))).toBe(true);
  });

  test('partition and account come from the context (tokens in a stack)', () => {
    const cn = bedrockResources(TWO_MODELS, { partition: 'aws-cn', account: '${data.aws_caller_identity.caller.account_id}' });
    expect(cn.profiles[0]).toEqual({
      profileArn: `arn:aws-cn:bedrock:us-east-1:\${data.aws_caller_identity.caller.account_id}:inference-profile/us.${SONNET}`,
      foundationModelArn: `arn:aws-cn:bedrock:*::foundation-model/${SONNET}`,
    });
  });
});

describe('derived from the catalogue, not hard-coded', () => {
  test('a model called in-region (no profile prefix) gets an unconditioned statement on its own region only', () => {
    // GIVEN one profiled model and one in-region model called from us-west-2
    const catalogue = catalogueWith([
      { alias: 'a', model: `bedrock/us.${HAIKU}`, region: 'us-east-2' },
      { alias: 'b', model: 'bedrock/amazon.nova-micro-v1:0', region: 'us-west-2' },
    ]);
    // WHEN the statements are derived
    const statements = bedrockInvokeStatements(catalogue, CTX);
    // THEN the profile lives in the call region and the in-region model is allowed directly
    expect(statements.map((s) => s.sid)).toEqual(['InvokeInferenceProfiles', 'InvokeFoundationModelThroughProfile1', 'InvokeInRegionFoundationModels']);
    expect(statements[0].resources).toEqual([`arn:aws:bedrock:us-east-2:111122223333:inference-profile/us.${HAIKU}`]);
    expect(statements[1].condition).toEqual([
      { test: 'StringEquals', variable: 'bedrock:InferenceProfileArn', values: [`arn:aws:bedrock:us-east-2:111122223333:inference-profile/us.${HAIKU}`] },
    ]);
    expect(statements[2]).toMatchObject({ resources: ['arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-micro-v1:0'] });
    expect(statements[2].condition).toBeUndefined();
  });

  test('only in-region models: no profile statements at all', () => {
    const statements = bedrockInvokeStatements(catalogueWith([{ alias: 'a', model: 'bedrock/amazon.nova-micro-v1:0', region: 'us-east-1' }]), CTX);
    expect(statements.map((s) => s.sid)).toEqual(['InvokeInRegionFoundationModels']);
  });
});

describe('Marketplace subscription on first use (gateway.bedrockMarketplaceSubscribe)', () => {
  test('ViewSubscriptions on *, Subscribe on * for exactly the catalogue products, the key required; no Unsubscribe', () => {
    expect(marketplaceSubscribeStatements(TWO_MODELS)).toEqual([
      { sid: 'MarketplaceViewSubscriptions', effect: 'Allow', actions: ['aws-marketplace:ViewSubscriptions'], resources: ['*'] },
      {
        sid: 'MarketplaceSubscribeCatalogueModels',
        effect: 'Allow',
        actions: ['aws-marketplace:Subscribe'],
        resources: ['*'],
        condition: [
          { test: 'ForAllValues:StringEquals', variable: 'aws-marketplace:ProductId', values: ['prod-mxcfnwvpd6kb4', 'prod-xdkflymybwmvi'] },
          { test: 'Null', variable: 'aws-marketplace:ProductId', values: ['false'] },
        ],
      },
    ]);
  });

  test('the policy pack accepts both on * (actions without a resource type)', () => {
    const statements = statementsFromDocument({ statement: marketplaceSubscribeStatements(TWO_MODELS) as unknown as JsonValue });
    for (const st of statements) expect(statementProblems(st, false)).toEqual([]);
  });

  test('models outside AWS Marketplace (Amazon, Meta, ...) need no statement', () => {
    expect(marketplaceSubscribeStatements(catalogueWith([{ alias: 'a', model: 'bedrock/amazon.nova-micro-v1:0', region: 'us-east-1' }]))).toEqual([]);
  });

  test('a Marketplace model without a known product id is found by unknownMarketplaceModels (refused by the catalogue checks)', () => {
    const catalogue = catalogueWith([
      { alias: 'opus', model: 'bedrock/us.anthropic.claude-opus-9-v1:0', region: 'us-east-1' },
      { alias: 'nova', model: 'bedrock/amazon.nova-micro-v1:0', region: 'us-east-1' },
    ]);
    expect(unknownMarketplaceModels(catalogue).map((m) => m.alias)).toEqual(['opus']);
    expect(unknownMarketplaceModels(TWO_MODELS)).toEqual([]);
  });
});

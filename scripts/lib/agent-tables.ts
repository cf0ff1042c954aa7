/**
 * The agent tables of README.md ("Agents and their keys") and docs/observability.md ("Per-agent widgets"), rendered
 * from the default agents (config/agents.ts) and the model catalogue (gateway-image/config/litellm_config.yaml):
 * each agent with the aliases its key is granted (its own, then the fallbacks the router may use:
 * modules/agent-keys grantedModels). Written by `npm run docs -- --write`; test/catalogue.contract.test.ts fails while
 * either file differs, so adding an agent or a model ends with that command, not with editing the tables.
 */
import { loadConfig } from '../../config';
import { grantedModels } from '../../modules/agent-keys';
import { ModelCatalogue, loadModelCatalogue } from '../../modules/model-catalogue';

export const AGENTS_BEGIN = '<!-- agents-table:begin: generated from the default agents and the model catalogue by `npm run docs -- --write` -->';
export const AGENTS_END = '<!-- agents-table:end -->';

export interface AgentTableStyle {
  readonly modelsHeader: string;
  readonly seriesHeader: string;
  /** After the first agent's series name, where the series appear. */
  readonly firstSeriesSuffix: string;
}

export const README_AGENT_TABLE: AgentTableStyle = {
  modelsHeader: 'models its key is granted',
  seriesHeader: 'its series and rows',
  firstSeriesSuffix: ' in every "Per agent" widget',
};

export const OBSERVABILITY_AGENT_TABLE: AgentTableStyle = {
  modelsHeader: 'models granted',
  seriesHeader: 'its series (dimension `Agent`)',
  firstSeriesSuffix: ' in each of the six widgets',
};

/** The table, in the order of the default agents; each agent's aliases in its own order, then its fallbacks. */
export function renderAgentTable(style: AgentTableStyle, catalogue: ModelCatalogue = loadModelCatalogue()): string {
  const rows = loadConfig({ environment: 'dev' }).agents.map((agent, i) => {
    const granted = grantedModels(agent.models, catalogue);
    const ordered = [...agent.models, ...granted.filter((alias) => !agent.models.includes(alias))];
    return `| ${agent.name} | ${ordered.map((a) => `\`${a}\``).join(', ')} | \`${agent.name}\`${i === 0 ? style.firstSeriesSuffix : ''} |`;
  });
  return [`| agent | ${style.modelsHeader} | ${style.seriesHeader} |`, '|---|---|---|', ...rows].join('\n');
}

export function replaceAgentTable(document: string, table: string, file: string): string {
  const begin = document.indexOf(AGENTS_BEGIN);
  const end = document.indexOf(AGENTS_END);
  if (begin < 0 || end < begin) throw new Error(`docs: no ${AGENTS_BEGIN} ... ${AGENTS_END} in ${file}`);
  return `${document.slice(0, begin + AGENTS_BEGIN.length)}\n${table}\n${document.slice(end)}`;
}

/**
 * The env source's one naming rule. A secret `estate/{env}/{group}` is the variable
 * `ESTATE_SECRET_{GROUP}` holding the JSON object (AWSPREVIOUS: `ESTATE_SECRET_{GROUP}_PREVIOUS`);
 * a parameter `/estate/{env}/{path}` is `ESTATE_PARAM_{PATH}`. Upper case, every character that is
 * not a letter or digit becomes `_`: `config/log_level` -> `ESTATE_PARAM_CONFIG_LOG_LEVEL`.
 */
const toVariable = (text: string) => text.replace(/[^A-Za-z0-9]/g, '_').toUpperCase();

export function secretVariable(secretName: string, stage: 'AWSCURRENT' | 'AWSPREVIOUS'): string {
  const group = secretName.split('/').pop() ?? secretName;
  return `ESTATE_SECRET_${toVariable(group)}${stage === 'AWSPREVIOUS' ? '_PREVIOUS' : ''}`;
}

export function parameterVariable(parameterName: string): string {
  const path = parameterName.replace(/^\/estate\/[^/]+\//, '');
  return `ESTATE_PARAM_${toVariable(path)}`;
}

import { defineSecrets, parameter, secret } from '@estate/secrets';
import {
  DatabaseSecret,
  KrebSecret,
  LogLevel,
  MolitSecret,
  PositiveInteger,
  RabbitmqSecret,
  StringList,
} from '@estate/secrets/catalog';

/** Everything the ETL job may read. Its IAM policy and local access policy are derived from this. */
export const manifest = defineSecrets({
  service: 'etl',
  secrets: {
    database: secret('database', DatabaseSecret),
    rabbitmq: secret('rabbitmq', RabbitmqSecret),
    kreb: secret('kreb', KrebSecret),
    molit: secret('molit', MolitSecret),
  },
  parameters: {
    logLevel: parameter('config/log_level', LogLevel, { default: 'info' }),
    // LAWD codes (5-digit legal district codes) the job loads deals for; Gangnam, Seocho, Songpa by default.
    regions: parameter('config/etl_regions', StringList, { default: '11680,11650,11710' }),
    // R-ONE statistics tables; A_2024_00045 is the monthly apartment sale price index.
    krebTables: parameter('config/etl_kreb_tables', StringList, { default: 'A_2024_00045' }),
    // Deals are reported up to 30 days late and cancelled later: every run re-fetches this many months.
    lookbackMonths: parameter('config/etl_lookback_months', PositiveInteger, { default: '3' }),
  },
});

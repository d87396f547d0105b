// Development stand-ins for the outside APIs, in this process. They live under the apps' dev/
// folders, which no production code imports, and are not part of the apps' exports: hence the paths.
import { startOpenAIStandIn } from '../../../apps/ai-worker/dev/openai-stand-in';
import { startStandIn } from '../../../apps/etl/dev/stand-in/server';

export interface StandInPorts {
  openai: number;
  kreb: number;
  molit: number;
}

export interface StandIns {
  /** What the openai, kreb and molit secrets' baseURL must be. */
  baseURLs: { openai: string; kreb: string; molit: string };
  stop(): Promise<void>;
}

/**
 * OpenAI, R-ONE and MOLIT. The ETL stand-in serves both of its APIs on one server, by path suffix;
 * it is started once per port, so R-ONE on `kreb` (baseURL `/openapi`, as the catalog says) and
 * MOLIT on `molit` (baseURL at the root).
 */
export async function startStandIns(ports: StandInPorts): Promise<StandIns> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    await Promise.allSettled(stops.splice(0).map((close) => close()));
  };
  try {
    const openai = await startOpenAIStandIn({ port: ports.openai });
    stops.push(() => openai.stop());
    const rone = await startStandIn({ port: ports.kreb });
    stops.push(() => rone.close());
    const molit = await startStandIn({ port: ports.molit });
    stops.push(() => molit.close());
    return {
      baseURLs: { openai: openai.baseURL, kreb: `${rone.url}/openapi`, molit: molit.url },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

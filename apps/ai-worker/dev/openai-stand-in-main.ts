import { startOpenAIStandIn } from './openai-stand-in';

// `pnpm --filter @estate/ai-worker openai-stand-in`: point the dev openai secret's baseURL at the
// printed URL. Change its behaviour while it runs with
//   curl -X POST <origin>/__stand-in/behaviour -d '{"script":[{"status":429,"retryAfterSeconds":2}]}'
void startOpenAIStandIn({
  port: Number(process.env.OPENAI_STAND_IN_PORT ?? 4010),
  delayMs: Number(process.env.OPENAI_STAND_IN_DELAY_MS ?? 0),
  acceptedApiKey: process.env.OPENAI_STAND_IN_API_KEY || undefined,
}).then((standIn) => {
  process.stdout.write(`OpenAI stand-in listening: baseURL ${standIn.baseURL}\n`);
  const stop = () => void standIn.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
});

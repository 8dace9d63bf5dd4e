import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat } from './log-format.js';

/**
 * The root structured logger. Modules take a child (`logger.child({ module: 'http' })`). Fields that could carry
 * secrets are redacted as a safety net; the rule is still not to log tokens, passwords, images or personal data.
 * `pretty` formats each line with pino-pretty in this thread, synchronously, so lines keep their order with what
 * the process prints itself (the first-start banner).
 * @default destination stdout
 * @default format 'json'
 */
export function createLogger(level: string, destination?: DestinationStream, format: LogFormat = 'json'): Logger {
  const stream =
    format === 'pretty' ? pretty({ destination: destination ?? 1, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }) : destination;
  return pino(
    {
      level,
      redact: { paths: ['*.authorization', '*.password', '*.secret', '*.token', 'req.headers.authorization'], censor: '[redacted]' },
    },
    stream,
  );
}

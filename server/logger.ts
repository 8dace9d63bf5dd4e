import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * The root structured logger. Modules take a child (`logger.child({ module: 'http' })`). Fields that could carry
 * secrets are redacted as a safety net; the rule is still not to log tokens, passwords, images or personal data.
 * @default destination stdout
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: ['*.authorization', '*.password', '*.secret', '*.token', 'req.headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}

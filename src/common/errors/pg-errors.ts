/** PostgreSQL SQLSTATE of a driver error, wherever TypeORM has wrapped it. */
export function pgCode(e: unknown): string | undefined {
  const err = e as { code?: unknown; driverError?: { code?: unknown } };
  const code = err?.driverError?.code ?? err?.code;
  return typeof code === 'string' ? code : undefined;
}

export function pgConstraint(e: unknown): string | undefined {
  const err = e as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const c = err?.driverError?.constraint ?? err?.constraint;
  return typeof c === 'string' ? c : undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';

const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * 53300 too many connections, 57014 statement timeout; 25006 (read-only transaction) only reaches
 * us when a failover left the read-write address briefly pointing at a node still in recovery:
 * the service never opens a read-only transaction itself, so the write is refused for now, not wrong.
 */
const UNAVAILABLE_SQLSTATES = new Set(['53300', '57014', '25006']);

/**
 * Whether an error means the database cannot be reached right now (down, restarting, shutting
 * down, out of connections, or a lost connection), as opposed to a fault in the request.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  // TypeORM releases a transaction's query runner when its connection emits an error (the server
  // went away mid-transaction, e.g. a failover); the transaction's next statement then fails
  // with one of these instead of the connection error itself.
  const name = (e as Error)?.constructor?.name;
  if (name === 'QueryRunnerProviderAlreadyReleasedError' || name === 'QueryRunnerAlreadyReleasedError') return true;
  const code = pgCode(e);
  if (code && (UNAVAILABLE_SOCKET_CODES.has(code) || code.startsWith('08') || code.startsWith('57P') || UNAVAILABLE_SQLSTATES.has(code))) return true;
  const message = ((e as { message?: unknown })?.message ?? '') as string;
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(message);
}

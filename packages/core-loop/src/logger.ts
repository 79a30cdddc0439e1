/**
 * Where the loop writes what it reports (Python's `logging.getLogger('asyncio')`). Replace its
 * methods to route the reports elsewhere; tests spy on them.
 */
export const logger = {
  /** An error nobody handled: the default exception handler writes here. */
  error(message: string): void {
    console.error(message);
  },
  /** Something suspicious but not fatal, such as a slow callback in debug mode. */
  warning(message: string): void {
    console.warn(message);
  },
  /** Detail for debug mode; silent unless replaced. */
  debug(_message: string): void {},
};

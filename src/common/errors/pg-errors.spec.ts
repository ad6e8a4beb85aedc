import { isDatabaseUnavailable } from './pg-errors.js';

describe('isDatabaseUnavailable', () => {
  const driver = (code: string) => ({ driverError: { code } });

  it.each(['57P01', '57P03', '08006', '53300', '57014', '25006', 'ECONNREFUSED'])('treats %s as the database being unavailable', (code) => {
    expect(isDatabaseUnavailable(driver(code))).toBe(true);
  });

  it.each(['23505', '23503', '22P02', '40001', '42P01'])('treats %s as a fault of the request or the code, not an outage', (code) => {
    expect(isDatabaseUnavailable(driver(code))).toBe(false);
  });

  it('recognises a connection lost mid-transaction by its message', () => {
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('syntax error'))).toBe(false);
  });
});

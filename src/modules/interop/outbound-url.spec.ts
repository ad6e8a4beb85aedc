import { describe, expect, it } from '@jest/globals';
import { outboundUrlProblem } from './outbound-url.js';

describe('outboundUrlProblem', () => {
  it('takes https to a public address', async () => {
    expect(await outboundUrlProblem('https://203.0.113.10/fhir-r4/v1', [])).toBeNull();
  });

  it('refuses plain http, credentials in the URL, and what is not a URL', async () => {
    expect(await outboundUrlProblem('http://203.0.113.10/fhir', [])).toMatch(/must be https/);
    expect(await outboundUrlProblem('https://user:pw@203.0.113.10/fhir', [])).toMatch(/credentials/);
    expect(await outboundUrlProblem('not a url', [])).toBe('is not a URL');
  });

  it('refuses loopback, private, link-local, CGNAT and mapped addresses', async () => {
    for (const host of ['127.0.0.1', '10.1.2.3', '172.20.0.5', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '[::1]', '[fd00::1]', '[fe80::1]', '[::ffff:10.0.0.1]']) {
      expect([host, await outboundUrlProblem(`https://${host}/fhir`, [])]).toEqual([host, expect.stringMatching(/private or loopback/)]);
    }
    expect(await outboundUrlProblem('https://localhost/fhir', [])).toMatch(/private or loopback/);
  });

  it('lets an allowed host through over http or https, by name or host:port', async () => {
    expect(await outboundUrlProblem('http://127.0.0.1:8080/fhir', ['127.0.0.1'])).toBeNull();
    expect(await outboundUrlProblem('http://127.0.0.1:8080/fhir', ['127.0.0.1:8080'])).toBeNull();
    expect(await outboundUrlProblem('http://127.0.0.1:9090/fhir', ['127.0.0.1:8080'])).toMatch(/must be https/);
    expect(await outboundUrlProblem('ftp://127.0.0.1/fhir', ['127.0.0.1'])).toBe('must be http(s)');
  });
});

import { describe, expect, it } from '@jest/globals';
import { addressForSend, isPublicAddress, REFUSED_PRIVATE, type ResolveHost, webhookUrlProblem } from './webhook-target.js';

const INTERNAL = 'must not point at a loopback, private, link-local or otherwise internal address';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '255.255.255.255',
    '224.0.0.251', '192.0.2.10', '198.18.0.1', '240.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', 'fc00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1',
    '::ffff:169.254.169.254', '64:ff9b::a00:1', '2002:a00:1::', '2001::1', '2001:db8::1', 'not-an-address',
  ])('%s is not public', (a) => expect(isPublicAddress(a)).toBe(false));
  it.each(['8.8.8.8', '103.10.20.30', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (a) => expect(isPublicAddress(a)).toBe(true));
});

describe('webhookUrlProblem', () => {
  it.each([
    ['http://hooks.example.org/x', 'must use https (plain http only for hosts in WEBHOOK_ALLOWED_HOSTS)'],
    ['ftp://hooks.example.org/x', 'must be an https URL'],
    ['https://a:b@hooks.example.org/x', 'must not contain a user name or password'],
    ['https://localhost/', 'must not point at localhost'],
    ['https://LOCALHOST./', 'must not point at localhost'],
    ['https://x.localhost/', 'must not point at localhost'],
    ['https://2130706433/', INTERNAL],
    ['https://0x7f.0.0.1/', INTERNAL],
    ['https://0177.0.0.1/', INTERNAL],
    ['https://127.1/', INTERNAL],
    ['https://[::ffff:7f00:1]/', INTERNAL],
    ['https://[0:0:0:0:0:ffff:169.254.169.254]/', INTERNAL],
    ['https://[fe80::1%25eth0]/', 'must be an http(s) URL'],
    ['not a url', 'must be an http(s) URL'],
  ])('%s: %s', (url, reason) => expect(webhookUrlProblem(url, [])).toBe(reason));

  it('accepts https to a name or a public address, and http or a private address only for an allow-listed host', () => {
    expect(webhookUrlProblem('https://tpps.bekasikab.go.id/hooks', [])).toBeNull();
    expect(webhookUrlProblem('https://103.10.20.30/hooks', [])).toBeNull();
    expect(webhookUrlProblem('http://10.0.0.5:8080/hooks', ['10.0.0.5'])).toBeNull();
    expect(webhookUrlProblem('http://[::1]:8080/hooks', ['::1'])).toBeNull();
    expect(webhookUrlProblem('http://a:b@10.0.0.5/hooks', ['10.0.0.5'])).toBe('must not contain a user name or password');
  });
});

describe('addressForSend', () => {
  const dns = (answers: Record<string, string[]>): ResolveHost => async (host) => (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  const refused = (p: Promise<unknown>) => expect(p).rejects.toThrow(REFUSED_PRIVATE);

  it('refuses a name when any of its addresses is internal, in either family or mapped', async () => {
    await refused(addressForSend(new URL('https://a.example/'), [], dns({ 'a.example': ['8.8.8.8', '10.0.0.1'] })));
    await refused(addressForSend(new URL('https://a.example/'), [], dns({ 'a.example': ['2606:4700::1111', 'fd00::2'] })));
    await refused(addressForSend(new URL('https://a.example/'), [], dns({ 'a.example': ['::ffff:192.168.0.9'] })));
    await refused(addressForSend(new URL('https://127.0.0.1:9/'), [], dns({})));
    await refused(addressForSend(new URL('https://[::1]:9/'), [], dns({})));
    await refused(addressForSend(new URL('https://localhost:9/'), [], dns({ localhost: ['8.8.8.8'] })));
  });

  it('answers the checked address, so the connection goes where the check looked', async () => {
    expect(await addressForSend(new URL('https://a.example/'), [], dns({ 'a.example': ['103.10.20.30', '103.10.20.31'] }))).toEqual({ address: '103.10.20.30', family: 4 });
    expect(await addressForSend(new URL('http://recv.test:8080/'), ['recv.test'], dns({ 'recv.test': ['127.0.0.1'] }))).toEqual({ address: '127.0.0.1', family: 4 });
    await expect(addressForSend(new URL('https://nowhere.example/'), [], dns({}))).rejects.toThrow('does not resolve');
  });
});

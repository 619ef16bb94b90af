import { describe, expect, test } from 'vitest';
import type { ProxyTrust } from '../../src/config/config.ts';
import { createForwardedReader, type ClientView, type PeerInfo } from '../../src/request/forwarded.ts';

const none: ProxyTrust = { kind: 'none' };
const oneHop: ProxyTrust = { kind: 'hops', hops: 1 };
const twoHops: ProxyTrust = { kind: 'hops', hops: 2 };
const privateNets: ProxyTrust = { kind: 'ranges', ranges: ['loopback', '10.0.0.0/8'] };

const peer = (remoteAddress: string, headers: { for?: string; host?: string; proto?: string } = {}): PeerInfo => ({
  remoteAddress,
  forwardedFor: headers.for,
  forwardedHost: headers.host,
  forwardedProto: headers.proto,
});
const view = (client: string, host: string | null = null, secure = false): ClientView => ({ client, host, secure });

type Case = [name: string, trust: ProxyTrust, peer: PeerInfo, expected: ClientView];

const CASES: Case[] = [
  ['no trust: forwarded headers ignored', none, peer('203.0.113.9', { for: '1.1.1.1', host: 'evil.example', proto: 'https' }), view('203.0.113.9')],
  ['one hop: the proxy’s view of the client', oneHop, peer('10.0.0.2', { for: '198.51.100.7', host: 'shop.example', proto: 'https' }), view('198.51.100.7', 'shop.example', true)],
  ['one hop: a spoofed value ahead of the proxy’s is not taken', oneHop, peer('10.0.0.2', { for: '6.6.6.6, 198.51.100.7', host: 'evil.example, shop.example', proto: 'http, https' }), view('198.51.100.7', 'shop.example', true)],
  ['one hop without X-Forwarded-For: the peer is the client', oneHop, peer('10.0.0.2', { host: 'shop.example' }), view('10.0.0.2', 'shop.example')],
  ['two hops: the outermost trusted proxy’s values', twoHops, peer('10.0.0.3', { for: '6.6.6.6, 198.51.100.7, 10.0.0.2', host: 'evil.example, shop.example, shop.example' }), view('198.51.100.7', 'shop.example')],
  ['two hops, one value: a proxy that overwrites', twoHops, peer('10.0.0.3', { for: '198.51.100.7, 10.0.0.2', host: 'shop.example', proto: 'https' }), view('198.51.100.7', 'shop.example', true)],
  ['ranges: an untrusted peer is the client, whatever it says', privateNets, peer('203.0.113.9', { for: '1.1.1.1', host: 'evil.example', proto: 'https' }), view('203.0.113.9')],
  ['ranges: trusted peers are skipped up to the first untrusted address', privateNets, peer('127.0.0.1', { for: '6.6.6.6, 198.51.100.7, 10.1.2.3', host: 'evil.example, a.example, b.example' }), view('198.51.100.7', 'a.example')],
  ['ranges: an IPv4-mapped peer is matched', privateNets, peer('::ffff:10.0.0.2', { for: '198.51.100.7', host: 'shop.example' }), view('198.51.100.7', 'shop.example')],
  ['an empty forwarded host is kept, to be refused', oneHop, peer('10.0.0.2', { for: '198.51.100.7', host: 'evil.example, ' }), view('198.51.100.7', '')],
  ['proto other than https is not secure', oneHop, peer('10.0.0.2', { proto: 'HTTP' }), view('10.0.0.2', null, false)],
  ['proto https in any case is secure', oneHop, peer('10.0.0.2', { proto: 'HTTPS' }), view('10.0.0.2', null, true)],
];

describe('forwarded headers from trusted hops only', () => {
  test.each(CASES)('%s', (_name, trust, input, expected) => {
    expect(createForwardedReader(trust).read(input)).toEqual(expected);
  });

  test('says whether any proxy is trusted', () => {
    expect(createForwardedReader(none).trusting).toBe(false);
    expect(createForwardedReader(oneHop).trusting).toBe(true);
    expect(createForwardedReader(privateNets).trusting).toBe(true);
  });
});

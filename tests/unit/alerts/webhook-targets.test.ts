// Which webhook targets the service refuses to POST to (src/alerts/webhook-targets.ts).
import { describe, expect, it } from 'vitest';
import { forbiddenAddress, webhookUrlProblem } from '../../../src/alerts/webhook-targets.ts';

describe('webhook targets', () => {
  it('refuses loopback, link-local, metadata and unspecified addresses, IPv4 and IPv6', () => {
    expect(forbiddenAddress('127.0.0.1')).toMatch(/loopback/);
    expect(forbiddenAddress('127.255.0.9')).toMatch(/loopback/);
    expect(forbiddenAddress('::1')).toMatch(/loopback/);
    expect(forbiddenAddress('::ffff:127.0.0.1')).toMatch(/loopback/);
    expect(forbiddenAddress('169.254.169.254')).toMatch(/metadata/);
    expect(forbiddenAddress('fd00:ec2::254')).toMatch(/metadata/);
    expect(forbiddenAddress('169.254.3.4')).toMatch(/link-local/);
    expect(forbiddenAddress('fe80::1')).toMatch(/link-local/);
    expect(forbiddenAddress('febf::1')).toMatch(/link-local/);
    expect(forbiddenAddress('0.0.0.0')).toMatch(/unspecified/);
    expect(forbiddenAddress('::')).toMatch(/unspecified/);
  });

  it('allows LAN and public addresses, and names (judged when they resolve)', () => {
    for (const ip of ['10.0.0.2', '172.16.5.1', '192.168.1.10', '203.0.113.7', 'fd12::1', 'fec0::1', '2001:db8::1', 'chat.example.org']) expect(forbiddenAddress(ip), ip).toBeNull();
  });

  it('checks a URL as written: scheme, literal address, localhost; all allowed with allow_local', () => {
    expect(webhookUrlProblem('http://[::1]:8080/x', false)).toMatch(/^http:\/\/\[::1\]:8080\/x: ::1 is a loopback address.*ALERT_WEBHOOK_ALLOW_LOCAL=true/);
    expect(webhookUrlProblem('http://app.localhost/x', false)).toMatch(/loopback/);
    expect(webhookUrlProblem('http://LOCALHOST:1/x', false)).toMatch(/loopback/);
    expect(webhookUrlProblem('file:///etc/passwd', true)).toMatch(/http:\/\/ or https:\/\//);
    expect(webhookUrlProblem('http://127.0.0.1/x', true)).toBeNull();
    expect(webhookUrlProblem('https://192.168.0.5/hook', false)).toBeNull();
  });
});

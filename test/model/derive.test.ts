/**
 * The shared derivation step (model/derive.ts): each rule from the facts it reads, that a scanner's
 * own verdict is never replaced, and that unknown inputs leave the fact unknown.
 */
import { describe, expect, it } from 'vitest';
import { deriveFacts } from '../../src/model/derive.js';
import { emptyObservation, type CipherClass, type Observation, type Protocol } from '../../src/model/observation.js';
import type { Fact } from '../../src/model/source.js';

const at = (excerpt: string) => ({ kind: 'probe' as const, file: 'probe://mx.example.test:25', excerpt });
const yes = (what: string): Fact<boolean> => ({ value: true, source: at(what) });
const no = (what: string): Fact<boolean> => ({ value: false, source: at(what) });

function obs(p: { protocols?: Partial<Record<Protocol, boolean>>; classes?: Partial<Record<CipherClass, boolean>>; tls10?: Partial<Record<CipherClass, boolean>> } = {}): Observation {
  const o = emptyObservation({ host: 'mx.example.test', port: 25, service: 'smtp', transport: 'starttls' }, '2026-12-01T00:00:00Z', 'input');
  for (const [k, v] of Object.entries(p.protocols ?? {})) o.protocols[k as Protocol] = v ? yes(k) : no(k);
  for (const [k, v] of Object.entries(p.classes ?? {})) o.cipherClasses[k as CipherClass] = v ? yes(k) : no(k);
  if (p.tls10) o.cipherClassesByProtocol = { 'TLSv1.0': Object.fromEntries(Object.entries(p.tls10).map(([k, v]) => [k, v ? yes(`TLSv1.0 ${k}`) : no(`TLSv1.0 ${k}`)])) };
  return deriveFacts(o);
}

const NONE: Partial<Record<CipherClass, boolean>> = { cbc: false, '3des': false, des: false, export: false };

describe('derived vulnerabilities', () => {
  it('SWEET32 from 64-bit block ciphers', () => {
    expect(obs({ classes: { ...NONE, '3des': true } }).vulnerabilities.sweet32?.value.state).toBe('vulnerable');
    expect(obs({ classes: NONE }).vulnerabilities.sweet32?.value.state).toBe('not-vulnerable');
    expect(obs({ classes: { des: false } }).vulnerabilities.sweet32).toBeUndefined();
  });

  it('BEAST from CBC under SSL 3.0 / TLS 1.0, citing the fact that shows it', () => {
    const v = obs({ protocols: { SSLv3: false, 'TLSv1.0': true }, tls10: { cbc: true, '3des': false, des: false } }).vulnerabilities.beast;
    expect(v?.value.state).toBe('vulnerable');
    expect(v?.source.excerpt).toBe('TLSv1.0 cbc');
    expect(obs({ protocols: { SSLv3: false, 'TLSv1.0': true }, tls10: { cbc: false, '3des': false, des: false } }).vulnerabilities.beast?.value.state).toBe('not-vulnerable');
    expect(obs({ protocols: { SSLv3: false, 'TLSv1.0': false } }).vulnerabilities.beast?.value.state).toBe('not-vulnerable');
    // TLS 1.0 offered but its suites unknown: undecided, never a pass.
    expect(obs({ protocols: { SSLv3: false, 'TLSv1.0': true } }).vulnerabilities.beast).toBeUndefined();
    expect(obs({ protocols: { 'TLSv1.0': false } }).vulnerabilities.beast).toBeUndefined();
  });

  it('LUCKY13 is only "potentially" from a CBC offer', () => {
    expect(obs({ classes: { ...NONE, cbc: true } }).vulnerabilities.lucky13?.value.state).toBe('potentially-vulnerable');
    expect(obs({ classes: NONE }).vulnerabilities.lucky13?.value.state).toBe('not-vulnerable');
  });

  it('Logjam is ruled out by the absence of EXPORT suites, never ruled in by a DH group size', () => {
    expect(obs({ classes: { export: false } }).vulnerabilities.logjam?.value.state).toBe('not-vulnerable');
    expect(obs({ classes: { export: true } }).vulnerabilities.logjam).toBeUndefined();
    const weakGroup = obs();
    weakGroup.dhBits = { value: 1024, source: at('DH 1024') };
    expect(deriveFacts(weakGroup).vulnerabilities.logjam).toBeUndefined();
  });

  it('keeps a scanner\'s own verdict and changes nothing on a second run', () => {
    const o = obs({ classes: { ...NONE, '3des': true } });
    const own = { value: { state: 'not-vulnerable' as const, detail: 'testssl: not vulnerable' }, source: at('SWEET32 row') };
    o.vulnerabilities.sweet32 = own;
    const before = JSON.stringify(o);
    expect(JSON.stringify(deriveFacts(o))).toBe(before);
    expect(o.vulnerabilities.sweet32).toBe(own);
  });
});

/**
 * The runner's helpers: message formatting (strict by design), finding construction, evidence
 * summaries.
 */
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import { evidenceFor } from '../../src/checks/shared/evidence.js';
import { findingSentence, messageTemplate, templatePlaceholders } from '../../src/checks/shared/message.js';
import type { Check } from '../../src/checks/types.js';
import type { VulnFact } from '../../src/model/observation.js';
import { CTX, fct, observation, src } from './helpers.js';

describe('findingSentence: the template filled from the data', () => {
  it('fills placeholders, repeated ones too, with strings and numbers', () => {
    expect(findingSentence('{{a}} and {{ b }} and {{a}}', { a: 'x', b: 2 })).toBe('x and 2 and x');
    expect(findingSentence('no placeholders', {})).toBe('no placeholders');
  });

  it('throws, naming the placeholder, when data lacks it', () => {
    expect(() => findingSentence('{{protocol}} is offered', { proto: 'TLS 1.0' })).toThrow(/needs \{\{protocol\}\}, but the data has proto/);
  });

  it('does not resolve placeholders from Object.prototype', () => {
    expect(() => findingSentence('{{constructor}}', {})).toThrow(/needs \{\{constructor\}\}/);
  });

  it('rejects malformed placeholders instead of printing them', () => {
    expect(() => findingSentence('{{ 1bad }}', {})).toThrow(/Malformed placeholder/);
    expect(() => findingSentence('{{open', {})).toThrow(/Malformed placeholder/);
    expect(templatePlaceholders('{{a}} {{b-c}}')).toEqual(['a', 'b-c']);
  });
});

describe('messageTemplate', () => {
  const meta = { id: 'proto-tls10', messages: { offered: '{{protocol}} is offered' } } as const;
  it('returns the template or throws listing the defined ids', () => {
    expect(messageTemplate(meta, 'offered')).toBe('{{protocol}} is offered');
    expect(() => messageTemplate(meta, 'nope')).toThrow('Check proto-tls10 produced messageId "nope", which is not one of its messages: offered');
    expect(() => messageTemplate(meta, 'toString')).toThrow(/toString/);
  });
});

describe('runChecks on made-up checks', () => {
  const fake = (messageId: string, data: Record<string, string>, severity?: 'info'): Check => ({
    meta: {
      id: 'proto-tls10', title: 'Fake', passedTitle: 'Not fake', severity: 'high', category: 'protocol', description: 'd', remediation: 'r',
      appliesTo: ['smtp'], messages: { hello: 'hello {{name}}' },
    },
    evaluate: () => [severity === undefined ? { status: 'fail', messageId, data, evidence: [] } : { status: 'fail', messageId, data, evidence: [], severity }],
  });

  it('surfaces check bugs: unknown messageId or missing data throw', () => {
    expect(() => runChecks(observation(), CTX, [fake('bye', { name: 'x' })])).toThrow(/messageId "bye"/);
    expect(() => runChecks(observation(), CTX, [fake('hello', {})])).toThrow(/needs \{\{name\}\}/);
  });

  it('uses the outcome severity over the check default, and copies data', () => {
    const data = { name: 'world' };
    const [withDefault] = runChecks(observation(), CTX, [fake('hello', data)]);
    const [withOwn] = runChecks(observation(), CTX, [fake('hello', data, 'info')]);
    expect(withDefault).toMatchObject({ severity: 'high', message: 'hello world', id: 'proto-tls10@mx.example.test[192.0.2.25]:25' });
    expect(withOwn?.severity).toBe('info');
    expect(withDefault?.data).not.toBe(data);
  });

  it('honours appliesTo by service', () => {
    expect(runChecks(observation({ endpoint: { service: 'imaps', port: 993 } }), CTX, [fake('hello', { name: 'x' })])).toEqual([]);
  });
});

describe('evidence summaries', () => {
  // What a check's evidence line says, read from evidenceFor, which builds every finding's evidence.
  const summary = (f: Parameters<typeof evidenceFor>[0][number]) => evidenceFor([f])[0]!.summary;

  it('uses the scanner\'s words for vulnerability and trust facts', () => {
    expect(summary(fct<VulnFact>({ state: 'vulnerable', detail: 'VULNERABLE (NOT ok)\nmore' }))).toBe('VULNERABLE (NOT ok)');
  });

  it('uses the first non-empty line of the record for bare values, condensed and capped', () => {
    expect(summary({ value: true, source: src('\n  "TLS1",   "x",\t"offered"\nsecond line') })).toBe('"TLS1", "x", "offered"');
    const long = summary({ value: true, source: src('x'.repeat(500)) });
    expect(long).toHaveLength(160);
    expect(long.endsWith('…')).toBe(true);
  });

  it('falls back to the value when the record is empty', () => {
    expect(summary({ value: ['a.test', 'b.test'], source: src('') })).toBe('a.test, b.test');
    expect(summary({ value: 2048, source: src('   ') })).toBe('2048');
  });
});

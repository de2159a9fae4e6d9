/** Helpers that return markup: escaping first, then only their own tags. */
import { describe, expect, it } from 'vitest';
import { wrapPoints } from '../../../src/report/html/markup.js';

describe('markup helpers', () => {
  it('adds break points after dots and slashes, and escapes everything else', () => {
    expect(wrapPoints('mail.example.test').toString()).toBe('mail.<wbr>example.<wbr>test');
    expect(wrapPoints('samples/domains.csv:2').toString()).toBe('samples/<wbr>domains.<wbr>csv:2');
    expect(wrapPoints('<img src=x onerror=alert(1)>.test').toString()).toBe('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;.<wbr>test');
  });
});

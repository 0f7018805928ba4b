import { describe, expect, it } from 'vitest';
import { isOriginAllowed, parseAllowedDomains } from './allowed-origins.ts';

describe('parseAllowedDomains', () => {
  it('splits on commas and whitespace, lower-cases and drops duplicates', () => {
    expect(parseAllowedDomains(' Example.com,shop.example.org  example.com\n*.b.io ')).toEqual([
      'example.com',
      'shop.example.org',
      '*.b.io',
    ]);
  });

  it('reads anything but a string as none', () => {
    expect(parseAllowedDomains(undefined)).toEqual([]);
    expect(parseAllowedDomains(42)).toEqual([]);
    expect(parseAllowedDomains(' , ')).toEqual([]);
  });
});

describe('isOriginAllowed', () => {
  const domains = ['example.com', '*.shop.io'];

  it('allows every origin when no domain is configured', () => {
    expect(isOriginAllowed('https://evil.test', [])).toBe(true);
  });

  it('allows a domain and its subdomains, on any port and scheme', () => {
    expect(isOriginAllowed('https://example.com', domains)).toBe(true);
    expect(isOriginAllowed('http://www.example.com:8080', domains)).toBe(true);
    expect(isOriginAllowed('https://EXAMPLE.com.', domains)).toBe(true);
  });

  it('refuses other domains, including ones that merely end the same way', () => {
    expect(isOriginAllowed('https://evil.test', domains)).toBe(false);
    expect(isOriginAllowed('https://notexample.com', domains)).toBe(false);
    expect(isOriginAllowed('https://example.com.evil.test', domains)).toBe(false);
  });

  it('a wildcard allows only subdomains', () => {
    expect(isOriginAllowed('https://a.shop.io', domains)).toBe(true);
    expect(isOriginAllowed('https://shop.io', domains)).toBe(false);
  });

  it('refuses opaque and malformed origins but not a missing one', () => {
    expect(isOriginAllowed('null', domains)).toBe(false);
    expect(isOriginAllowed('file:///index.html', domains)).toBe(false);
    expect(isOriginAllowed(undefined, domains)).toBe(true);
  });
});

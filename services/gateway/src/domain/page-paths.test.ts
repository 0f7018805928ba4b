import { describe, expect, it } from 'vitest';
import { pageContentType, pageTarget } from './page-paths.ts';

describe('pageTarget', () => {
  it('names a page folder’s index, and a hashed asset as immutable', () => {
    expect(pageTarget('/widget/')).toEqual({
      kind: 'file',
      relativePath: 'widget/index.html',
      immutable: false,
    });
    expect(pageTarget('/assets/widget-1jUZ0LyJ.js')).toEqual({
      kind: 'file',
      relativePath: 'assets/widget-1jUZ0LyJ.js',
      immutable: true,
    });
  });

  it('sends a folder without its slash to the folder, keeping the query', () => {
    expect(pageTarget('/widget', '?organization_id=o')).toEqual({
      kind: 'redirect',
      location: '/widget/?organization_id=o',
    });
  });

  it.each([
    '/assets/../../package.json',
    '/assets/..%2f..%2fpackage.json',
    '/assets/%2e%2e/secret',
    '/console/./index.html',
    '/assets/..\\..\\package.json',
    '/assets/%5c..%5cpackage.json',
    '/widget/%00index.html',
    '/widget/%E0%A4%A',
  ])('refuses %s, which could leave the pages directory', (path) => {
    expect(pageTarget(path)).toEqual({ kind: 'refused' });
  });
});

describe('pageContentType', () => {
  it('answers the type by extension, and bytes for anything unknown', () => {
    expect(pageContentType('widget/index.html')).toBe('text/html; charset=utf-8');
    expect(pageContentType('assets/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(pageContentType('assets/a.css')).toBe('text/css; charset=utf-8');
    expect(pageContentType('assets/a.exe')).toBe('application/octet-stream');
  });
});

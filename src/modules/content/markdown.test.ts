import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderInline, renderMarkdown } from './markdown.ts';

test('raw HTML is shown as text, never interpreted', () => {
  const html = renderMarkdown('Hello <script>alert(1)</script> <img src=x onerror=alert(1)>');
  assert.doesNotMatch(html, /<script>|<img/);
  assert.match(html, /&lt;script&gt;/);
});

test('only safe link schemes', () => {
  assert.doesNotMatch(renderMarkdown('[x](javascript:alert(1))'), /href="javascript:/);
  assert.doesNotMatch(renderMarkdown('[x](data:text/html,hi)'), /href="data:/);
  assert.match(renderMarkdown('[x](https://example.org/)'), /href="https:\/\/example\.org\/"/);
  assert.match(renderMarkdown('[x](/fr/visite)'), /href="\/fr\/visite"/);
});

test('a foreign-language fragment gets its lang attribute', () => {
  assert.equal(renderInline('the exhibition [« La Libération de la Drôme »]{lang=fr}'), 'the exhibition <span lang="fr">« La Libération de la Drôme »</span>');
});

test('no attribute other than lang, and no odd lang value', () => {
  assert.doesNotMatch(renderInline('[x]{onclick=alert(1)}'), /onclick/);
  assert.doesNotMatch(renderInline('[x]{.evil #id style=color:red}'), /class=|id=|style=/);
  assert.doesNotMatch(renderInline('[x]{lang="fr onmouseover=alert(1)"}'), /onmouseover/);
});

test('a stray h1 in content becomes an h2: the page title is the only h1', () => {
  assert.match(renderMarkdown('# Title'), /^<h2>Title<\/h2>/);
});

test('tables render inside a scrollable wrapper', () => {
  assert.match(renderMarkdown('| a | b |\n| - | - |\n| 1 | 2 |'), /<div class="table-scroll" tabindex="0"><table>/);
});

#!/usr/bin/env node
// Renderer bundle size, gzip: the JavaScript the window must fetch and parse before the wizard can
// show (the entry chunk(s) of out/renderer/index.html, its modulepreload links and every chunk they
// import statically), and every other chunk, loaded later through dynamic import(). Exits 1 when
// the start JS is over the budget, so `npm run dist` never ships a slow-starting window.
// Usage: node scripts/bundle-size.mjs [out/renderer] [--json]
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import ts from 'typescript';

export const START_JS_BUDGET_GZIP = 600 * 1024;
export const DEFAULT_RENDERER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'renderer');

/** @typedef {{ file: string, bytes: number, gzip: number }} Sized  file is relative to the renderer dir, with / */

function attr(tag, name) {
  return new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)?.slice(1).find((v) => v !== undefined);
}

/**
 * What index.html makes the page load at start: module scripts, modulepreloads and stylesheets.
 * Remote or inline scripts are reported too, so callers can refuse them.
 */
export function readStartAssets(html) {
  const scripts = [];
  const inlineScripts = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const src = attr(match[0].slice(0, match[0].indexOf('>') + 1), 'src');
    if (src) scripts.push(src);
    else if (match[2].trim() !== '') inlineScripts.push(match[2].trim());
  }
  const preloads = [];
  const stylesheets = [];
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = (attr(tag, 'rel') ?? '').toLowerCase().split(/\s+/);
    const href = attr(tag, 'href');
    if (!href) continue;
    if (rel.includes('modulepreload')) preloads.push(href);
    if (rel.includes('stylesheet')) stylesheets.push(href);
  }
  return { scripts, preloads, stylesheets, inlineScripts };
}

/** Static (`import … from`, `export … from`, `import "x"`) and dynamic (`import("x")`) specifiers of an ES module. */
export function moduleImports(code, fileName = 'chunk.js') {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const staticImports = [];
  const dynamicImports = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      staticImports.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) dynamicImports.push(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { staticImports, dynamicImports };
}

function isRemote(url) {
  return /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(url) || /^(?:data|blob|javascript):/i.test(url);
}

function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? d.path, d.name));
}

/** Measures out/renderer. Throws with a clear message when it is missing or references what it cannot. */
export function measureRendererBundle(rendererDir = DEFAULT_RENDERER_DIR) {
  const indexPath = join(rendererDir, 'index.html');
  let html;
  try {
    html = readFileSync(indexPath, 'utf8');
  } catch {
    throw new Error(`${indexPath} not found: build the renderer first (npx electron-vite build)`);
  }
  const rel = (abs) => relative(rendererDir, abs).split(sep).join('/');
  const sizeCache = new Map();
  const sized = (abs) => {
    let entry = sizeCache.get(abs);
    if (!entry) {
      const data = readFileSync(abs);
      entry = { file: rel(abs), bytes: data.length, gzip: gzipSync(data).length };
      sizeCache.set(abs, entry);
    }
    return entry;
  };
  const localFile = (from, url) => {
    if (isRemote(url)) throw new Error(`${rel(from)} loads remote or inline-URL script ${url}: the app must ship its own code`);
    const clean = url.split(/[?#]/)[0];
    const abs = clean.startsWith('/') ? join(rendererDir, clean) : resolve(dirname(from), clean);
    if (!abs.startsWith(rendererDir + sep)) throw new Error(`${rel(from)} references ${url}, outside ${rendererDir}`);
    return abs;
  };

  const assets = readStartAssets(html);
  const start = new Set();
  const queue = [...assets.scripts, ...assets.preloads].map((u) => localFile(indexPath, u));
  const lazyRoots = new Set();
  while (queue.length > 0) {
    const file = queue.shift();
    if (start.has(file)) continue;
    start.add(file);
    const { staticImports, dynamicImports } = moduleImports(readFileSync(file, 'utf8'), file);
    for (const spec of staticImports) {
      if (!spec.startsWith('.') && !spec.startsWith('/')) throw new Error(`${rel(file)} imports bare module "${spec}", which a browser cannot load`);
      queue.push(localFile(file, spec));
    }
    for (const spec of dynamicImports) if (spec.startsWith('.') || spec.startsWith('/')) lazyRoots.add(localFile(file, spec));
  }

  const allJs = listFiles(rendererDir).filter((f) => /\.m?js$/.test(f)).sort();
  const startJs = [...start].sort().map(sized);
  const lazyJs = allJs.filter((f) => !start.has(f)).map(sized);
  const css = assets.stylesheets.map((u) => sized(localFile(indexPath, u)));
  const sum = (list, key) => list.reduce((n, s) => n + s[key], 0);
  return {
    rendererDir,
    inlineScripts: assets.inlineScripts,
    startJs,
    lazyJs,
    dynamicImportTargets: [...lazyRoots].map(rel).sort(),
    css,
    startJsGzip: sum(startJs, 'gzip'),
    startJsBytes: sum(startJs, 'bytes'),
    allJsGzip: sum(startJs, 'gzip') + sum(lazyJs, 'gzip'),
    allJsBytes: sum(startJs, 'bytes') + sum(lazyJs, 'bytes'),
    cssGzip: sum(css, 'gzip'),
    budgetGzip: START_JS_BUDGET_GZIP,
  };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

export function formatBundleReport(report) {
  const row = (s) => `  ${s.file.padEnd(48)} ${kb(s.bytes).padStart(11)} ${kb(s.gzip).padStart(10)} gzip`;
  const lines = [
    `Renderer bundle (${report.rendererDir})`,
    `JS loaded at start: ${kb(report.startJsGzip)} gzip (${kb(report.startJsBytes)} raw), budget ${kb(report.budgetGzip)} gzip`,
    ...report.startJs.map(row),
    `JS loaded later (dynamic import): ${report.lazyJs.length} chunk(s), ${kb(report.allJsGzip - report.startJsGzip)} gzip`,
    ...report.lazyJs.map(row),
    `CSS loaded at start: ${kb(report.cssGzip)} gzip`,
    ...report.css.map(row),
    `All JS: ${kb(report.allJsGzip)} gzip (${kb(report.allJsBytes)} raw)`,
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--'));
  try {
    const report = measureRendererBundle(dir ? resolve(dir) : DEFAULT_RENDERER_DIR);
    console.log(args.includes('--json') ? JSON.stringify(report, null, 2) : formatBundleReport(report));
    if (report.startJsGzip > report.budgetGzip) {
      console.error(`Start JS is ${kb(report.startJsGzip)} gzip, over the ${kb(report.budgetGzip)} budget: split the rest with import().`);
      process.exitCode = 1;
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}

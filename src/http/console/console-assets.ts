/** The console's static files: its own, and uPlot's from node_modules (no CDN). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { CONSOLE_CSP } from './console-http';

const ASSET_DIR = path.join(__dirname, 'assets');

function loadAssets(): Map<string, { type: string; body: Buffer }> {
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  const uplotDir = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  const files: [string, string, string][] = [
    ['console.css', path.join(ASSET_DIR, 'console.css'), css],
    ['console.js', path.join(ASSET_DIR, 'console.js'), js],
    ['overview.js', path.join(ASSET_DIR, 'overview.js'), js],
    ['import.js', path.join(ASSET_DIR, 'import.js'), js],
    ['inquiries.js', path.join(ASSET_DIR, 'inquiries.js'), js],
    ['uplot.js', path.join(uplotDir, 'uPlot.iife.min.js'), js],
    ['uplot.css', path.join(uplotDir, 'uPlot.min.css'), css],
  ];
  return new Map(files.map(([name, file, type]) => [name, { type, body: readFileSync(file) }]));
}

/** The console's static files, mounted before the audit trail (fetching a stylesheet is not worth an entry). */
export function consoleAssets(): express.Router {
  const r = express.Router({ strict: false, caseSensitive: true });
  const assets = loadAssets();
  r.get('/:name', (req, res) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    const a = assets.get(String(req.params['name']));
    if (!a) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.status(200).type(a.type).send(a.body);
  });
  return r;
}

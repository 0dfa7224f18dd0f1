/**
 * PDF for the command line: print the report's HTML with a local Chromium (or Chrome / Edge) in
 * headless mode. The desktop app prints with webContents.printToPDF instead. Nothing is
 * downloaded: when no browser is found, the error says how to get one.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export class ChromiumNotFoundError extends Error {
  override name = 'ChromiumNotFoundError';
}

export interface FindChromiumOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** For tests: whether a path is an executable file. */
  isExecutable?: (path: string) => boolean;
}

function executable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (process.platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where Chromium-family browsers usually live, most specific first. */
export function chromiumCandidates(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'darwin') {
    const apps = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge', 'Brave Browser.app/Contents/MacOS/Brave Browser'];
    return [...apps.map((a) => `/Applications/${a}`), ...(env.HOME ? apps.map((a) => `${env.HOME}/Applications/${a}`) : [])];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
    const rel = ['Google\\Chrome\\Application\\chrome.exe', 'Chromium\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe'];
    return roots.flatMap((r) => rel.map((p) => `${r}\\${p}`));
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'brave-browser'];
  const fixed = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium', '/opt/google/chrome/chrome'];
  const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean).flatMap((dir) => names.map((n) => join(dir, n)));
  return [...new Set([...fixed, ...onPath])];
}

/** CHROMIUM_PATH when set, else the first usual location that holds an executable. */
export function findChromium(opts: FindChromiumOptions = {}): string | undefined {
  const env = opts.env ?? process.env;
  const isExec = opts.isExecutable ?? executable;
  if (env.CHROMIUM_PATH) return isExec(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  return chromiumCandidates(env, opts.platform ?? process.platform).find(isExec);
}

export function chromiumHelp(env: NodeJS.ProcessEnv = process.env): string {
  const bad = env.CHROMIUM_PATH ? `CHROMIUM_PATH is set to "${env.CHROMIUM_PATH}", which is not an executable file. ` : '';
  return (
    `${bad}No Chromium, Google Chrome or Microsoft Edge was found to print the PDF. Install one ` +
    `(Debian/Ubuntu: sudo apt-get install chromium; Fedora: sudo dnf install chromium; macOS or Windows: install Google Chrome), ` +
    `or set CHROMIUM_PATH to the browser's executable. Or export the report as HTML and print it to PDF from any browser.`
  );
}

export interface RenderPdfOptions {
  chromiumPath?: string;
  /** Give up after this long (ms). Default 60 s. */
  timeoutMs?: number;
}

/** Prints `html` to `outFile` as PDF (A4, the report's print styles). */
export async function renderPdfWithChromium(html: string, outFile: string, opts: RenderPdfOptions = {}): Promise<void> {
  const browser = opts.chromiumPath ?? findChromium();
  if (!browser || !existsSync(browser)) throw new ChromiumNotFoundError(chromiumHelp());

  const dir = mkdtempSync(join(tmpdir(), 'ahi-report-pdf-'));
  try {
    const htmlFile = join(dir, 'report.html');
    const pdfFile = join(dir, 'report.pdf');
    writeFileSync(htmlFile, html);
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--no-default-browser-check',
      '--no-pdf-header-footer',
      '--print-to-pdf-no-header',
      `--user-data-dir=${join(dir, 'profile')}`,
      `--print-to-pdf=${pdfFile}`,
      pathToFileURL(htmlFile).href,
    ];
    await new Promise<void>((resolve, reject) => {
      execFile(browser, args, { timeout: opts.timeoutMs ?? 60_000, windowsHide: true, maxBuffer: 4 * 1024 * 1024 }, (err, _stdout, stderr) => {
        if (err && !existsSync(pdfFile)) {
          const tail = String(stderr ?? '').split('\n').filter(Boolean).slice(-3).join(' | ');
          reject(new Error(`Chromium at ${browser} could not print the PDF: ${err.message}${tail ? ` (${tail})` : ''}`));
        } else resolve();
      });
    });
    if (!existsSync(pdfFile) || readFileSync(pdfFile).subarray(0, 5).toString('latin1') !== '%PDF-') {
      throw new Error(`Chromium at ${browser} did not produce a PDF.`);
    }
    copyFileSync(pdfFile, outFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
